// SHA-256 of files and bytes (OpenSSL EVP), as lower-case hex.
#pragma once

#include <string>
#include <string_view>

namespace seam::pack {

std::string sha256_hex(std::string_view bytes);
// Throws PackError (Io) when the file cannot be read.
std::string sha256_file(const std::string &path);

} // namespace seam::pack
