// Sizes on the command line: --max-memory 512M.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace seam {

// "4G", "4GiB", "512M", "512MiB", "65536K", "1048576" (bytes): binary units,
// a whole number. nullopt when the text is not a size.
std::optional<uint64_t> parse_size(const std::string &text);

} // namespace seam
