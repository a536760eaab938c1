// Does a library say what its manifest says? Name, version, ABI and steps,
// asked of the library in a child process (describe.hpp).
#pragma once

#include "seam/core/host/pack/manifest.hpp"

#include <string>

namespace seam::pack {

// Throws PackError: Library when the library is refused (or crashes),
// Contents when it differs from the manifest (every difference is named).
void check_library(const Manifest &m, const std::string &library, const std::string &seam_exe);

// The manifest of a library as it describes itself (name, version, summary,
// ABI, steps), with the library under this machine's platform by its file
// name and sha256: what seam_add_plugin() writes beside each library, and a
// start for a pack's seam-pack.toml. Throws PackError (Library) when refused.
Manifest manifest_of_library(const std::string &library, const std::string &seam_exe);

} // namespace seam::pack
