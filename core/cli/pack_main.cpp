// seam-pack: the pack helper, PREFIX/lib/seam/seam-pack. seam runs it (exec,
// same process) for the pack commands, so that only these load libarchive,
// OpenSSL and the libraries they pull in (pack_helper.hpp):
//   seam-pack SEAM_EXE COMMAND ARGS...
#include "pack_commands.hpp"

#include <cstdio>
#include <string>

int main(int argc, char **argv) {
  if (argc < 3 || argv[1][0] != '/') {
    std::fprintf(stderr, "error: seam-pack is run by seam, not by hand\n"
                         "  hint: seam pack --help\n");
    return 2;
  }
  std::string exe = argv[1];
  // What follows SEAM_EXE is seam's own command line.
  argv[1] = argv[0];
  try {
    return seam::cli::run_pack_command(argc - 1, argv + 1, exe);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: internal error: %s\n", e.what());
    return 70;
  }
}
