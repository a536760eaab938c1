// The command line of `seam run`, `check`, `plugins` and `schema` as
// main.cpp parsed it (Boost.Program_options), for the commands' own files.
#pragma once

#include <string>
#include <vector>

namespace seam::cli {

struct Cli {
  std::string command;
  std::vector<std::string> args;
  std::vector<std::string> plugin_paths, plugin_files, vars, tags, reports;
  std::string filter, color = "auto", timeout, jobs, grace, max_memory, shard, shard_by_time,
                      output;
  bool fail_fast = false, verbose = false, skip_unavailable = false, in_process = false;
};

} // namespace seam::cli
