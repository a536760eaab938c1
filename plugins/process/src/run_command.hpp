// run_command.hpp - running a command to its end (process.exec, `exec`
// readiness checks): exit status, stdout and stderr apart, a deadline.
#pragma once

#include "spawn.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace seam_process {

struct run_result {
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::string out, err;
  bool out_truncated = false, err_truncated = false;
  bool timed_out = false; // the deadline passed: the group was killed
  bool cancelled = false; // cancelled() said so: the group was killed
  int64_t duration_ms = 0;
};

// Runs spec with `input` on its stdin, keeping at most max_output bytes of
// each stream (the first ones). At `until` or when cancelled() is true, the
// process group is killed (SIGKILL). Throws seam::error if it cannot start.
run_result run_command(const command_spec &spec, const std::string &input,
                       std::chrono::steady_clock::time_point until,
                       const std::function<bool()> &cancelled, size_t max_output);

} // namespace seam_process
