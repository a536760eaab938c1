// The platform names of pack libraries: "linux-x86_64", "linux-aarch64"...
#pragma once

#include <string>

namespace seam::pack {

// The platform this seam was built for (a pack must carry a library for it).
std::string host_platform();
// "linux-x86_64" and the like: an OS and a machine joined by '-'.
bool valid_platform(const std::string &name);

} // namespace seam::pack
