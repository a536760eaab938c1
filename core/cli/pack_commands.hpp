// The pack commands of `seam`: pack build/sign/manifest, trust add/list and
// plugins install/remove/verify (docs/packs.md). They are the only commands
// that need libarchive and OpenSSL, so they live in the pack helper
// (pack_main.cpp), which seam runs for them (pack_helper.hpp).
#pragma once

#include <string>

namespace seam::cli {

// Runs the command of ARGV (argv[1] is "pack", "trust" or "plugins") and
// returns its exit code. `exe`: the path of the seam executable, whose
// installation holds the packs and which describes libraries (__describe).
int run_pack_command(int argc, char **argv, const std::string &exe);

} // namespace seam::cli
