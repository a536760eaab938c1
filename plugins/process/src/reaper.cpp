// reaper.cpp - see reaper.hpp. The reaper is forked from a multi-threaded
// process and never execs, so everything it runs after fork() is
// async-signal-safe: recv, kill, clock_nanosleep, sigaction, _exit, and a
// table in static storage (no allocation).
#include "reaper.hpp"

#include <seam/plugin.hpp>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>
#include <pthread.h>
#include <string>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace seam_process {
namespace {

struct message {
  int32_t op; // 1 watch, 2 forget
  int32_t pgid;
  int32_t grace_ms;
};

// The reaper's table: a fixed size, as the child may not allocate. A run
// with more live groups than this at once leaves the surplus to the
// resources' own close.
constexpr int kMaxGroups = 4096;
struct entry {
  pid_t pgid;
  int grace_ms;
  bool done;
};
entry g_table[kMaxGroups];
int g_count = 0;

std::mutex g_mu;
int g_fd = -1;
pid_t g_pid = 0;

long now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void sleep_ms(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {
  }
}

[[noreturn]] void reaper_main(int fd) {
  // Out of seam's session and process group: Ctrl-C at the terminal, or a
  // kill of seam's group, must not take the reaper down before it did its job.
  setsid();
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU})
    sigaction(sig, &ign, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Hold nothing of seam's: not its terminal, pipes or sockets (they would
  // keep readers of them waiting after seam died).
  if (fd > 0)
    syscall(SYS_close_range, 0U, static_cast<unsigned>(fd - 1), 0U);
  syscall(SYS_close_range, static_cast<unsigned>(fd + 1), ~0U, 0U);
  g_count = 0;
  for (;;) {
    message m{};
    ssize_t n = recv(fd, &m, sizeof m, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; // seam is gone
    if (n != sizeof m)
      continue;
    if (m.op == 1 && g_count < kMaxGroups) {
      g_table[g_count++] = {m.pgid, m.grace_ms, false};
    } else if (m.op == 2) {
      for (int i = 0; i < g_count; ++i) {
        if (g_table[i].pgid == m.pgid) {
          g_table[i] = g_table[--g_count];
          break;
        }
      }
    }
  }
  long start = now_ms();
  for (int i = 0; i < g_count; ++i) {
    kill(-g_table[i].pgid, SIGTERM);
    kill(-g_table[i].pgid, SIGCONT); // a paused group must see the TERM
  }
  for (;;) {
    bool left = false;
    long elapsed = now_ms() - start;
    for (int i = 0; i < g_count; ++i) {
      entry &e = g_table[i];
      if (e.done)
        continue;
      if (kill(-e.pgid, 0) != 0 && errno == ESRCH) {
        e.done = true;
      } else if (elapsed >= e.grace_ms) {
        kill(-e.pgid, SIGKILL);
        e.done = true;
      } else {
        left = true;
      }
    }
    if (!left)
      break;
    sleep_ms(20);
  }
  _exit(0);
}

// A process forked from seam without exec (a worker process, a test's
// stand-in) must not share seam's reaper: its copy of the socket would keep
// the reaper from seeing seam die, and seam's reaper would outlive nothing of
// the child's. So a forked child starts with no reaper; its first command
// forks one of its own. Runs in the child right after fork: close() and
// placement-new of a mutex another thread may have held are all it does.
void forget_reaper_in_child() {
  if (g_fd >= 0)
    close(g_fd);
  g_fd = -1;
  g_pid = 0;
  new (&g_mu) std::mutex;
}

[[maybe_unused]] const int g_atfork = pthread_atfork(nullptr, nullptr, &forget_reaper_in_child);

void send_locked(const message &m) {
  // MSG_NOSIGNAL: a reaper that died must not kill seam with SIGPIPE.
  while (send(g_fd, &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

} // namespace

void reaper_watch(pid_t pgid, int grace_ms) {
  std::lock_guard lock(g_mu);
  if (g_fd < 0) {
    int sv[2];
    // SEQPACKET: one message per recv, end-of-file when seam's end closes.
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
      throw seam::error(std::string("cannot start the process reaper: socketpair: ") +
                        std::strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
      int err = errno;
      close(sv[0]);
      close(sv[1]);
      throw seam::error(std::string("cannot start the process reaper: fork: ") +
                        std::strerror(err));
    }
    if (pid == 0)
      reaper_main(sv[1]);
    close(sv[1]);
    g_fd = sv[0];
    g_pid = pid;
  }
  send_locked({1, static_cast<int32_t>(pgid), grace_ms});
}

void reaper_forget(pid_t pgid) {
  std::lock_guard lock(g_mu);
  if (g_fd >= 0)
    send_locked({2, static_cast<int32_t>(pgid), 0});
}

pid_t reaper_pid() {
  std::lock_guard lock(g_mu);
  return g_pid;
}

} // namespace seam_process
