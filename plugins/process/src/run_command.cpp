// run_command.cpp - see run_command.hpp. One poll loop over stdout, stderr,
// stdin and the process's pidfd, so a command that fills one pipe while we
// write the other cannot deadlock with seam.
#include "run_command.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seam/plugin.hpp>

namespace seam_process {
namespace {

struct fd_guard {
  int fd = -1;
  ~fd_guard() { reset(); }
  void reset() {
    if (fd >= 0)
      close(fd);
    fd = -1;
  }
};

void make_pipe(fd_guard &r, fd_guard &w) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw seam::error(std::string("cannot make a pipe: ") + std::strerror(errno));
  r.fd = fds[0];
  w.fd = fds[1];
}

// write() to a pipe whose reader is gone raises SIGPIPE, which would end
// seam: block it on this thread for the call and swallow the one raised.
ssize_t write_no_sigpipe(int fd, const char *data, size_t len) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t w = write(fd, data, len);
  int err = errno;
  if (w < 0 && err == EPIPE) {
    timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return w;
}

} // namespace

run_result run_command(const command_spec &spec, const std::string &input,
                       std::chrono::steady_clock::time_point until,
                       const std::function<bool()> &cancelled, size_t max_output) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  fd_guard out_r, out_w, err_r, err_w, in_r, in_w;
  make_pipe(out_r, out_w);
  make_pipe(err_r, err_w);
  if (!input.empty())
    make_pipe(in_r, in_w);
  child c = spawn(spec, out_w.fd, err_w.fd, input.empty() ? -1 : in_r.fd);
  out_w.reset();
  err_w.reset();
  in_r.reset();
  for (int fd : {out_r.fd, err_r.fd, in_w.fd})
    if (fd >= 0)
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  fd_guard pidfd{c.pidfd};

  run_result res;
  size_t written = 0;
  bool exited = false, killed = false;
  clock::time_point drain_until{};
  char buf[65536];
  auto take = [&](fd_guard &fd, std::string &into, bool &truncated) {
    ssize_t n = read(fd.fd, buf, sizeof buf);
    if (n > 0) {
      size_t room = max_output > into.size() ? max_output - into.size() : 0;
      into.append(buf, std::min(room, static_cast<size_t>(n)));
      truncated = truncated || static_cast<size_t>(n) > room;
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      fd.reset();
    }
  };
  for (;;) {
    if (exited && out_r.fd < 0 && err_r.fd < 0)
      break;
    auto now = clock::now();
    if (exited && now >= drain_until)
      break; // a process that left the group holds the pipes: stop reading
    if (!exited && !killed && (now >= until || (cancelled && cancelled()))) {
      (now >= until ? res.timed_out : res.cancelled) = true;
      kill(-c.pid, SIGKILL);
      killed = true;
    }
    pollfd fds[4];
    int n = 0;
    int i_out = -1, i_err = -1, i_in = -1, i_pid = -1;
    if (out_r.fd >= 0)
      i_out = n, fds[n++] = {out_r.fd, POLLIN, 0};
    if (err_r.fd >= 0)
      i_err = n, fds[n++] = {err_r.fd, POLLIN, 0};
    if (in_w.fd >= 0)
      i_in = n, fds[n++] = {in_w.fd, POLLOUT, 0};
    if (!exited)
      i_pid = n, fds[n++] = {pidfd.fd, POLLIN, 0};
    // Short waits: cancellation is asked for, not signalled.
    if (poll(fds, static_cast<nfds_t>(n), 20) < 0 && errno != EINTR)
      break;
    if (i_out >= 0 && fds[i_out].revents)
      take(out_r, res.out, res.out_truncated);
    if (i_err >= 0 && fds[i_err].revents)
      take(err_r, res.err, res.err_truncated);
    if (i_in >= 0 && fds[i_in].revents) {
      if (fds[i_in].revents & (POLLERR | POLLHUP)) {
        in_w.reset(); // the command closed its stdin
      } else {
        ssize_t w = write_no_sigpipe(in_w.fd, input.data() + written, input.size() - written);
        if (w > 0)
          written += static_cast<size_t>(w);
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size())
          in_w.reset();
      }
    }
    if (i_pid >= 0 && (fds[i_pid].revents & POLLIN)) {
      int status = finish_group(c);
      exited = true;
      in_w.reset();
      drain_until = clock::now() + std::chrono::milliseconds(500);
      if (WIFEXITED(status))
        res.exit_code = WEXITSTATUS(status);
      else if (WIFSIGNALED(status))
        res.signal = WTERMSIG(status);
    }
  }
  if (!exited) { // poll failed: do not leave the command behind
    kill(-c.pid, SIGKILL);
    int status = finish_group(c);
    if (WIFEXITED(status))
      res.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
      res.signal = WTERMSIG(status);
  }
  res.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count();
  return res;
}

} // namespace seam_process
