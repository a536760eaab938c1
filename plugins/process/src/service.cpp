// service.cpp - see service.hpp.
#include "service.hpp"

#include "reaper.hpp"

#include <seam/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace seam_process {
namespace {

const std::vector<std::pair<std::string, int>> &signal_table() {
  static const std::vector<std::pair<std::string, int>> table{
      {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
      {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},
      {"KILL", SIGKILL},     {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
      {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
      {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
      {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
      {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
      {"SYS", SIGSYS}};
  return table;
}

} // namespace

std::string signal_name(int sig) {
  for (const auto &[name, number] : signal_table())
    if (number == sig)
      return name;
  return "SIG" + std::to_string(sig);
}

std::optional<int> parse_signal(const std::string &text) {
  std::string upper;
  for (char c : text)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (upper.rfind("SIG", 0) == 0)
    upper = upper.substr(3);
  for (const auto &[name, number] : signal_table())
    if (name == upper)
      return number;
  if (!upper.empty() && upper.size() < 4 &&
      std::all_of(upper.begin(), upper.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = std::stoi(upper);
    if (n > 0 && n < NSIG)
      return n;
  }
  return std::nullopt;
}

service::service(command_spec spec, size_t log_size) : spec_(std::move(spec)), log_(log_size) {}

service::~service() {
  try {
    stop(std::chrono::milliseconds(spec_.grace_ms));
  } catch (...) {
  }
  join_pump();
}

void service::start() {
  std::unique_lock lock(mu_);
  if (alive_)
    throw seam::error("is already running (pid " + std::to_string(st_.pid) +
                      "); hint: use process.restart");
  lock.unlock();
  join_pump(); // the previous run's thread, done or nearly
  lock.lock();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw seam::error(std::string("cannot make its output pipe: ") + std::strerror(errno));
  child c;
  try {
    // stdout and stderr share one pipe: the log keeps their order (2>&1).
    c = spawn(spec_, fds[1], fds[1]);
  } catch (const std::exception &e) {
    close(fds[0]);
    close(fds[1]);
    throw seam::error(std::string("could not start: ") + e.what());
  }
  close(fds[1]);
  start_mark_ = log_.mark();
  alive_ = true;
  st_ = status{};
  st_.state = "running";
  st_.pid = c.pid;
  st_.starts = ++starts_total_;
  pump_ = std::thread([this, c, fd = fds[0]] { pump(c, fd); });
}

void service::pump(child c, int out_fd) {
  char buf[65536];
  bool open = true, exited = false;
  clock::time_point drain_until{};
  while (open) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {c.pidfd, POLLIN, 0}};
    int timeout = -1;
    if (exited) {
      // The group was killed, so the pipe ends soon; a process that left the
      // group (setsid) may hold it open: stop reading after a moment.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(drain_until - clock::now());
      timeout = static_cast<int>(std::max<int64_t>(0, left.count()));
    }
    int n = poll(fds, exited ? 1 : 2, timeout);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; // drained (or poll failed: the exit is still waited for below)
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = read(out_fd, buf, sizeof buf);
      if (r > 0)
        log_.append(buf, static_cast<size_t>(r));
      else if (r == 0 || (errno != EINTR && errno != EAGAIN))
        open = false;
    }
    if (!exited && (fds[1].revents & POLLIN)) {
      int status = finish_group(c);
      exited = true;
      drain_until = clock::now() + std::chrono::milliseconds(500);
      std::lock_guard lock(mu_);
      alive_ = false;
      st_.state = "exited";
      if (WIFEXITED(status))
        st_.exit_code = WEXITSTATUS(status);
      else if (WIFSIGNALED(status))
        st_.signal = WTERMSIG(status);
    }
  }
  if (!exited) { // the pipe ended first: wait for the exit itself
    pollfd fd{c.pidfd, POLLIN, 0};
    while (poll(&fd, 1, -1) < 0 && errno == EINTR) {
    }
    int status = finish_group(c);
    std::lock_guard lock(mu_);
    alive_ = false;
    st_.state = "exited";
    if (WIFEXITED(status))
      st_.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
      st_.signal = WTERMSIG(status);
  }
  close(out_fd);
  close(c.pidfd);
  {
    std::lock_guard lock(mu_);
    exited_runs_++;
  }
  cv_.notify_all();
  log_.notify();
}

void service::join_pump() {
  if (pump_.joinable())
    pump_.join();
}

void service::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mu_);
  if (alive_) {
    pid_t pid = st_.pid;
    st_.by_seam = true;
    kill(-pid, SIGTERM);
    kill(-pid, SIGCONT); // a paused process must see the TERM
    uint64_t runs = exited_runs_;
    if (!cv_.wait_for(lock, grace, [&] { return exited_runs_ != runs; })) {
      kill(-pid, SIGKILL);
      cv_.wait(lock, [&] { return exited_runs_ != runs; });
    }
  }
  lock.unlock();
  join_pump();
}

void service::send(int sig) {
  std::lock_guard lock(mu_);
  if (!alive_)
    throw seam::error("is not running: it " + describe_locked());
  if (sig == SIGKILL || sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
    st_.by_seam = true;
  kill(-st_.pid, sig);
  if (sig == SIGSTOP)
    st_.state = "paused";
  else if (sig == SIGCONT)
    st_.state = "running";
}

void service::pause() { send(SIGSTOP); }
void service::resume() { send(SIGCONT); }

service::status service::get_status() const {
  std::lock_guard lock(mu_);
  return st_;
}

bool service::running() const {
  std::lock_guard lock(mu_);
  return alive_;
}

bool service::wait_exit(clock::time_point until, const std::function<bool()> &cancelled) const {
  std::unique_lock lock(mu_);
  while (alive_) {
    if (cancelled && cancelled())
      return false;
    auto step = std::min(until, clock::now() + std::chrono::milliseconds(20));
    cv_.wait_until(lock, step);
    if (clock::now() >= until)
      return !alive_;
  }
  return true;
}

void service::wait_drained(clock::time_point until) const {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, until,
                 [&] { return !alive_ && exited_runs_ == static_cast<uint64_t>(starts_total_); });
}

std::string service::describe() const {
  std::lock_guard lock(mu_);
  return describe_locked();
}

std::string service::describe_locked() const {
  if (alive_)
    return std::string(st_.state == "paused" ? "is paused" : "is running") + " (pid " +
           std::to_string(st_.pid) + ")";
  if (st_.starts == 0)
    return "was never started";
  if (st_.exit_code)
    return "exited with code " + std::to_string(*st_.exit_code);
  if (st_.signal)
    return "was killed by signal " + signal_name(*st_.signal);
  return "exited";
}

uint64_t service::start_mark() const {
  std::lock_guard lock(mu_);
  return start_mark_;
}

} // namespace seam_process
