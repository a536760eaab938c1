// Installing and removing packs. An install checks everything
// before it touches the plugin directory: the archive (archive.hpp), the
// manifest, the signature against the trust directory, every checksum, the
// ABI, platform and seam version, name clashes and versions, and finally the
// library itself, loaded in a child process and compared with the manifest.
// Only then does the pack move in, by one rename from a staging directory
// (an exchange of directories when it replaces an older version), so that an
// install cut short leaves the previous state as it was.
#pragma once

#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/host/pack/pack_dirs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seam::pack {

struct InstallOptions {
  bool system = false;         // into PREFIX/lib/seam/packs, not the user's directory
  bool replace = false;        // upgrade (or reinstall) a pack of the same name
  bool downgrade = false;      // also accept an older version (implies replace)
  bool allow_unsigned = false; // accept an unsigned pack or one by an untrusted key
  std::string seam_exe;        // seam itself, to load the library in a child
};

struct InstallResult {
  Manifest manifest;
  std::string dir;                     // where it is now
  std::optional<std::string> previous; // the version it replaced
  std::string signer;                  // key id of a trusted signer; "" when unsigned/untrusted
  bool was_signed = false;
};

// Throws PackError; the plugin directories are unchanged then.
InstallResult install_pack(const std::string &pack_file, const PackRoots &roots,
                           const InstallOptions &opt);

// Removes the pack NAME (from the user's directory, or --system). Returns its
// directory. Throws PackError (Usage) when no such pack is installed.
std::string remove_pack(const std::string &name, const PackRoots &roots, bool system);

} // namespace seam::pack
