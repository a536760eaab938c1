// Making packs: `seam pack build DIR -o OUT` and `seam pack sign PACK --key KEY`.
#pragma once

#include "seam/core/host/pack/manifest.hpp"

#include <string>

namespace seam::pack {

struct BuildResult {
  Manifest manifest; // as written into the pack, with every sha256
  std::string file;  // OUT/NAME-VERSION.seampack
};

// Reads DIR/seam-pack.toml, adds the libraries found at DIR/lib/PLATFORM/
// seam-NAME.so that it does not list, checksums every file, loads this
// machine's library in a child (SEAM_EXE __describe) and compares its name,
// version, ABI and steps with the manifest, then writes the pack into OUT (a
// directory, or a file name ending in .seampack). Throws PackError.
BuildResult build_pack(const std::string &dir, const std::string &out, const std::string &seam_exe);

// Adds (or replaces) the Ed25519 signature of the pack's manifest, signed
// with the private key in KEY_FILE. Returns the key id. Throws PackError.
std::string sign_pack(const std::string &pack_file, const std::string &key_file);

} // namespace seam::pack
