// How seam runs its pack commands: in the pack helper (pack_main.cpp), which
// it executes in its own place. libarchive and OpenSSL bring a dozen shared
// libraries (libxml2, ICU, nettle, lzma, zstd, ...) whose loading and symbol
// look-ups took more than half of every seam start; only packs need them.
#pragma once

#include <string>

namespace seam::cli {

// True when ARGV is a command of the pack helper: pack, trust, plugins
// install|remove|verify.
bool is_pack_command(int argc, char **argv);

// Where the helper of the seam at EXE is: beside the installation, in
// PREFIX/lib/seam (the build tree has the same layout).
std::string pack_helper_path(const std::string &exe);

// Replaces this process with the helper running ARGV's command. Returns only
// when the helper cannot be run: prints why and returns the exit code 70.
int run_pack_helper(int argc, char **argv, const std::string &exe);

} // namespace seam::cli
