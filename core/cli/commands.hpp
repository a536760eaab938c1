// The subcommands that live beside main.cpp, each in its own file; main.cpp
// dispatches to them with the arguments after the command's name.
#pragma once

#include <string>
#include <vector>

namespace seam::cli {

// docs/cli.md: the exit codes every command shares.
enum Exit {
  kPassed = 0,
  kFailed = 1,
  kUsage = 2,
  kPlugin = 3,
  kReport = 4,
  kInternal = 70,
  kInterrupted = 130
};

// `seam report merge A.json B.json ... --report KIND:PATH...`
int report_command(const std::vector<std::string> &args);

} // namespace seam::cli
