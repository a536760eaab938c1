// spawn.hpp - starting a command in a process group of its own, safely from a
// multi-threaded process.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace seam_process {

// What to run. `argv[0]` is looked up in the PATH of `env` unless it has a '/'.
struct command_spec {
  std::vector<std::string> argv;
  std::vector<std::string> env; // "NAME=value", the child's whole environment
  std::string cwd;              // empty: seam's
  int grace_ms = 5000;          // for the reaper: SIGTERM, then SIGKILL after this
};

// The environment of seam itself, as "NAME=value" strings.
std::vector<std::string> current_environment();

// `env` with NAME set to value (replacing an earlier NAME).
void set_env(std::vector<std::string> &env, const std::string &name, const std::string &value);

// Resolves argv[0] as execvp would, in the PATH of `env` (seam's when it has
// none). Throws seam::error naming the command when nothing executable is found.
std::string find_executable(const std::string &name, const std::vector<std::string> &env);

struct child {
  pid_t pid = -1; // also the process group id
  int pidfd = -1; // readable once the process exited (O_CLOEXEC)
};

// Starts `spec` in a new process group registered with the reaper, stdin from
// /dev/null (or stdin_fd), stdout to out_fd and stderr to err_fd. No other fd
// of seam's reaches the child. Throws seam::error when the command cannot
// start (not found, not executable, bad cwd).
child spawn(const command_spec &spec, int out_fd, int err_fd, int stdin_fd = -1);

// Ends a process group whose leader exited (but is not reaped yet, so the id
// cannot be reused): SIGKILL for what is left, reap the leader, tell the
// reaper. Returns the leader's wait status.
int finish_group(const child &c);

} // namespace seam_process
