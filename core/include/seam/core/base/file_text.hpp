// A whole file's bytes in one string, read in one pass into a string of the
// file's size: a suite of a hundred megabytes is copied once, with no buffer
// that doubles as it grows and no second copy out of it.
#pragma once

#include <optional>
#include <string>

namespace seam {

// The file's bytes, or nullopt with errno set when it cannot be opened or
// read (a directory, no permission, an I/O error).
std::optional<std::string> read_file_text(const std::string &path);

} // namespace seam
