// service.hpp - one long-running command of a `process` resource: started in
// its own process group, its output pumped into an output_log by a thread of
// its own, stopped, signalled, paused and started again by steps.
#pragma once

#include "output_log.hpp"
#include "spawn.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace seam_process {

using clock = std::chrono::steady_clock;

class service {
public:
  service(command_spec spec, size_t log_size);
  ~service(); // stops the process (SIGTERM, SIGKILL after the grace)
  service(const service &) = delete;
  service &operator=(const service &) = delete;

  // Starts the command; throws seam::error when it is running or cannot start.
  void start();

  // SIGTERM (and SIGCONT, so a paused process sees it) to the process group,
  // SIGKILL after `grace`; returns once the process is gone.
  void stop(std::chrono::milliseconds grace);

  // Sends sig to the process group. Throws when no process is running.
  void send(int sig);
  void pause();  // SIGSTOP
  void resume(); // SIGCONT

  struct status {
    std::string state = "exited"; // running, paused, exited
    pid_t pid = 0;                // of the latest start
    int starts = 0;
    std::optional<int> exit_code; // exited normally
    std::optional<int> signal;    // ended by this signal
    bool by_seam = false;         // a step or close ended it (not the process itself)
  };
  status get_status() const;
  bool running() const;

  // Waits until the process exits, `until` passes or cancelled() says so.
  // True when it exited.
  bool wait_exit(clock::time_point until, const std::function<bool()> &cancelled) const;

  // Waits (up to `until`) until the output of an exited process is all read.
  void wait_drained(clock::time_point until) const;

  // "exited with code 1", "was killed by signal KILL", "is running (pid 12)".
  std::string describe() const;

  output_log &log() { return log_; }
  uint64_t start_mark() const; // log offset at the latest start
  const command_spec &spec() const { return spec_; }

private:
  void pump(child c, int out_fd);
  void join_pump();
  std::string describe_locked() const;

  command_spec spec_;
  output_log log_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  status st_;
  bool alive_ = false;
  uint64_t start_mark_ = 0;
  int starts_total_ = 0;
  uint64_t exited_runs_ = 0; // counts ended runs, so waiters tell runs apart
  std::thread pump_;
};

// "TERM" for SIGTERM; "SIG23" for one without a name here.
std::string signal_name(int sig);
// "TERM", "SIGTERM", "term", or a number; nullopt when unknown.
std::optional<int> parse_signal(const std::string &name);

} // namespace seam_process
