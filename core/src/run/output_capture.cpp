// A worker's own stdout and stderr, captured (output_capture.hpp).
#include "output_capture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

namespace seam {

namespace {

struct Capture {
  int fd[2] = {-1, -1}; // read ends: stdout, stderr
  int ready = -1;       // an epoll set of both: whether either has data
  const Secrets *secrets = nullptr;
  char *tail = nullptr;
  size_t tail_size = 0;
  std::atomic<uint32_t> *tail_len = nullptr;
  std::mutex mu;
  std::string pending[2]; // read, not yet taken by a step
  // 1 while the reader thread drains the pipes or pending holds output: a
  // step that finds the pipes empty and this 0 has nothing to take, and
  // takes no lock.
  std::atomic<int> held{0};
};

Capture *g_capture = nullptr;
// Set by SIGIO, which the kernel sends the worker's main thread as anything
// is written to either pipe (O_ASYNC), before the write returns to a writer
// on that thread.
std::atomic<int> g_written{0};
// True on the thread SIGIO goes to, once it is set up; the other threads (and
// this one, if it could not be set up) ask the epoll set instead.
thread_local bool tl_signalled = false;
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

extern "C" void on_pipe_written(int) { g_written.store(1, std::memory_order_relaxed); }

// Asks for SIGIO on the main thread (the one that runs the tests unless
// --jobs) as either pipe is written. SA_RESTART: a system call the signal
// lands in goes on (poll and its kind return EINTR, which code that runs
// under signals handles).
bool signal_writes(const Capture &c) {
  struct sigaction sa {};
  sa.sa_handler = on_pipe_written;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (::sigaction(SIGIO, &sa, nullptr) != 0)
    return false;
  f_owner_ex owner{F_OWNER_TID, static_cast<pid_t>(::syscall(SYS_gettid))};
  for (int fd : c.fd)
    if (::fcntl(fd, F_SETOWN_EX, &owner) != 0 ||
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_ASYNC) != 0)
      return false;
  return true;
}

// Keeps the latest output (masked) where the parent can read it.
void add_tail_locked(Capture &c, const std::string &text) {
  std::string masked = c.secrets->mask(text);
  uint32_t len = c.tail_len->load(std::memory_order_relaxed);
  if (masked.size() >= c.tail_size) {
    masked.erase(0, masked.size() - c.tail_size);
    len = 0;
  } else if (len + masked.size() > c.tail_size) {
    size_t drop = len + masked.size() - c.tail_size;
    std::memmove(c.tail, c.tail + drop, len - drop);
    len -= static_cast<uint32_t>(drop);
  }
  std::memcpy(c.tail + len, masked.data(), masked.size());
  c.tail_len->store(len + static_cast<uint32_t>(masked.size()), std::memory_order_release);
}

// Reads whatever is in the pipes now (they do not block).
void drain_locked(Capture &c) {
  c.held.store(1); // before a byte leaves the pipes
  char buf[16384];
  for (int i = 0; i < 2; ++i) {
    for (;;) {
      ssize_t n = ::read(c.fd[i], buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      std::string chunk(buf, static_cast<size_t>(n));
      add_tail_locked(c, chunk);
      c.pending[i] += chunk;
    }
  }
  c.held.store(c.pending[0].empty() && c.pending[1].empty() ? 0 : 1);
}

} // namespace

void capture_plugin_output(int out[2], int err[2], const Secrets &secrets, char *tail,
                           size_t tail_size, std::atomic<uint32_t> *tail_len) {
  auto *c = new Capture; // lives as long as the worker
  c->secrets = &secrets;
  c->tail = tail;
  c->tail_size = tail_size;
  c->tail_len = tail_len;
  c->fd[0] = out[0];
  c->fd[1] = err[0];
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(out[1], 1);
  ::dup2(err[1], 2);
  ::close(out[1]);
  ::close(err[1]);
  // What a plugin prints is in the pipe when its call returns, or when it
  // crashes right after (glibc keeps the full buffering of a stdout that was
  // used before, whatever _IOLBF asks).
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  c->ready = ::epoll_create1(EPOLL_CLOEXEC);
  for (int fd : c->fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ::epoll_ctl(c->ready, EPOLL_CTL_ADD, fd, &ev);
  }
  tl_signalled = signal_writes(*c);
  g_capture = c;
  // Reads on while no step ends, so that a plugin that writes much never
  // blocks on a full pipe.
  std::thread([c] {
    pollfd p[2] = {{c->fd[0], POLLIN, 0}, {c->fd[1], POLLIN, 0}};
    for (;;) {
      if (::poll(p, 2, -1) < 0 && errno != EINTR)
        return;
      std::lock_guard lock(c->mu);
      drain_locked(*c);
      if ((p[0].revents | p[1].revents) & (POLLHUP | POLLERR | POLLNVAL))
        return;
    }
  }).detach();
}

void take_plugin_output(std::vector<LogLine> &logs) {
  Capture *c = g_capture;
  if (!c)
    return;
  // Most steps print nothing: no SIGIO since the last look says the pipes
  // had no write, and `held` that the reader thread has nothing either - no
  // system call, which at a tenth of a microsecond was a fifth of a step.
  // The signal reaches the main thread only, at once for its own writes:
  // the threads of --jobs, and a main thread without the signal, look at
  // the epoll set's ready list instead (a write puts its pipe on the list
  // before it returns; the call is made directly, as libc's wrapper adds a
  // cancellation point around it).
  bool ready;
  if (tl_signalled) {
    ready = g_written.exchange(0, std::memory_order_relaxed) != 0;
  } else {
    epoll_event ev[2];
    ready = ::syscall(SYS_epoll_wait, c->ready, ev, 2, 0) > 0;
  }
  if (!ready && c->held.load() == 0)
    return;
  std::lock_guard lock(c->mu);
  drain_locked(*c);
  c->held.store(0); // taken below
  if (c->pending[0].empty() && c->pending[1].empty())
    return;
  static const char *const kWhat[2] = {"stdout: ", "stderr: "};
  for (int i = 0; i < 2; ++i) {
    std::string &p = c->pending[i];
    size_t start = 0;
    while (start < p.size()) {
      size_t nl = p.find('\n', start);
      size_t end = nl == std::string::npos ? p.size() : nl;
      logs.push_back(
          {i == 0 ? SEAM_LOG_INFO : SEAM_LOG_WARN, kWhat[i] + p.substr(start, end - start)});
      start = end + 1;
    }
    p.clear();
  }
}

std::vector<std::string> last_output_lines(const char *tail, uint32_t tail_len, int out_fd,
                                           int err_fd, const Secrets &secrets, size_t max_lines) {
  std::string text(tail, tail_len);
  // What nobody read before the worker died is still in the pipes.
  char buf[4096];
  for (int fd : {out_fd, err_fd}) {
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      text.append(buf, static_cast<size_t>(n));
      if (text.size() > (1u << 20))
        break;
    }
  }
  text = secrets.mask(text); // before anything is cut
  std::vector<std::string> lines;
  size_t end = text.size();
  while (end > 0 && lines.size() < max_lines) {
    size_t nl = text.rfind('\n', end - 1);
    size_t start = nl == std::string::npos ? 0 : nl + 1;
    std::string line = text.substr(start, end - start);
    if (!line.empty())
      lines.insert(lines.begin(), line.size() > 200 ? line.substr(0, 200) + "..." : line);
    if (nl == std::string::npos)
      break;
    end = nl;
  }
  return lines;
}

} // namespace seam
