// Running the pack helper; see pack_helper.hpp.
#include "pack_helper.hpp"
#include "commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace seam::cli {

bool is_pack_command(int argc, char **argv) {
  if (argc < 2)
    return false;
  std::string first = argv[1];
  if (first == "pack" || first == "trust")
    return true;
  if (first == "plugins" && argc > 2) {
    std::string sub = argv[2];
    return sub == "install" || sub == "remove" || sub == "verify";
  }
  return false;
}

std::string pack_helper_path(const std::string &exe) {
  namespace fs = std::filesystem;
  return (fs::path(exe).parent_path().parent_path() / "lib" / "seam" / "seam-pack").string();
}

int run_pack_helper(int argc, char **argv, const std::string &exe) {
  std::string helper = pack_helper_path(exe);
  // seam-pack SEAM_EXE COMMAND ARGS...
  std::vector<char *> args{helper.data(), const_cast<char *>(exe.c_str())};
  args.insert(args.end(), argv + 1, argv + argc);
  args.push_back(nullptr);
  std::fflush(nullptr);
  ::execv(helper.c_str(), args.data());
  int err = errno;
  std::fprintf(stderr,
               "error: cannot run seam's pack helper %s: %s\n"
               "  hint: reinstall seam (cmake --install puts it in PREFIX/lib/seam)\n",
               helper.c_str(), std::strerror(err));
  return kInternal;
}

} // namespace seam::cli
