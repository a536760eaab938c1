// spawn.cpp - fork + exec with only async-signal-safe calls in between.
//
// The child waits for a "go" byte before exec: the parent registers the new
// process group with the reaper first, so no instant exists in which seam
// could die and leave a started command behind. An exec failure comes back
// through a close-on-exec pipe (the classic self-pipe): end-of-file means the
// exec succeeded.
#include "spawn.hpp"

#include "reaper.hpp"

#include <seam/plugin.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace seam_process {
namespace {

struct child_error {
  int stage; // 1 chdir, 2 exec
  int err;
};

std::string errno_text(int err) { return std::strerror(err); }

void close_fd(int &fd) {
  if (fd >= 0)
    close(fd);
  fd = -1;
}

} // namespace

std::vector<std::string> current_environment() {
  std::vector<std::string> env;
  for (char **e = environ; e != nullptr && *e != nullptr; ++e)
    env.emplace_back(*e);
  return env;
}

void set_env(std::vector<std::string> &env, const std::string &name, const std::string &value) {
  std::string prefix = name + "=";
  for (auto &e : env) {
    if (e.compare(0, prefix.size(), prefix) == 0) {
      e = prefix + value;
      return;
    }
  }
  env.push_back(prefix + value);
}

std::string find_executable(const std::string &name, const std::vector<std::string> &env) {
  if (name.empty())
    throw seam::error("the command is empty");
  auto executable = [](const std::string &p) {
    struct stat st {};
    return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (!executable(name))
      throw seam::error("command '" + name + "' is not an executable file");
    return name;
  }
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto &e : env)
    if (e.rfind("PATH=", 0) == 0)
      path = e.substr(5);
  size_t start = 0;
  for (;;) {
    size_t end = path.find(':', start);
    std::string dir =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable(candidate))
      return candidate;
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  throw seam::error("command '" + name + "' not found in PATH (" + path +
                    "); hint: give its full path, or set PATH in `env`");
}

child spawn(const command_spec &spec, int out_fd, int err_fd, int stdin_fd) {
  if (spec.argv.empty())
    throw seam::error("the command is empty");
  std::string path = find_executable(spec.argv[0], spec.env);
  // Everything the child needs is built before fork: it may not allocate.
  std::vector<char *> argv, envp;
  for (const auto &a : spec.argv)
    argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto &e : spec.env)
    envp.push_back(const_cast<char *>(e.c_str()));
  envp.push_back(nullptr);
  const char *cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();

  int null_fd = -1, go[2] = {-1, -1}, report[2] = {-1, -1};
  if (stdin_fd < 0) {
    null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    stdin_fd = null_fd;
  }
  if (stdin_fd < 0 || pipe2(go, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0) {
    int err = errno;
    close_fd(null_fd);
    for (int *fd : {&go[0], &go[1], &report[0], &report[1]})
      close_fd(*fd);
    throw seam::error("cannot start '" + spec.argv[0] + "': " + errno_text(err));
  }
  pid_t pid = fork();
  if (pid == 0) {
    // The child: async-signal-safe calls only, until execve.
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
      sigaction(sig, &dfl, nullptr); // an ignored signal would stay ignored across exec
    dup2(stdin_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    child_error ce{0, 0};
    if (cwd != nullptr && chdir(cwd) != 0) {
      ce = {1, errno};
    } else {
      // Whatever seam has open (other plugins' sockets, other services'
      // pipes), even without O_CLOEXEC, closes at exec.
      syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
      char byte = 0;
      ssize_t n;
      while ((n = read(go[0], &byte, 1)) < 0 && errno == EINTR) {
      }
      if (n != 1)
        _exit(127); // seam went away before the group was registered
      execve(path.c_str(), argv.data(), envp.data());
      ce = {2, errno};
    }
    ssize_t w = write(report[1], &ce, sizeof ce);
    (void)w;
    _exit(127);
  }
  int fork_err = errno;
  close_fd(null_fd);
  close_fd(go[0]);
  close_fd(report[1]);
  if (pid < 0) {
    close_fd(go[1]);
    close_fd(report[0]);
    throw seam::error("cannot start '" + spec.argv[0] + "': fork: " + errno_text(fork_err));
  }
  setpgid(pid, pid); // also here, so the group exists whichever runs first
  try {
    reaper_watch(pid, spec.grace_ms);
  } catch (...) {
    close_fd(go[1]); // the child reads end-of-file and exits
    close_fd(report[0]);
    waitpid(pid, nullptr, 0);
    throw;
  }
  char byte = 1;
  ssize_t w;
  while ((w = write(go[1], &byte, 1)) < 0 && errno == EINTR) {
  }
  close_fd(go[1]);
  child_error ce{0, 0};
  ssize_t n;
  while ((n = read(report[0], &ce, sizeof ce)) < 0 && errno == EINTR) {
  }
  close_fd(report[0]);
  if (n > 0) {
    waitpid(pid, nullptr, 0);
    reaper_forget(pid);
    if (ce.stage == 1)
      throw seam::error("cannot start '" + spec.argv[0] + "': cwd '" + spec.cwd +
                        "': " + errno_text(ce.err));
    throw seam::error("cannot start '" + spec.argv[0] + "' (" + path + "): " + errno_text(ce.err));
  }
  child c;
  c.pid = pid;
  c.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (c.pidfd < 0) {
    int err = errno;
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    reaper_forget(pid);
    throw seam::error("cannot watch '" + spec.argv[0] + "': pidfd_open: " + errno_text(err));
  }
  fcntl(c.pidfd, F_SETFD, FD_CLOEXEC);
  return c;
}

int finish_group(const child &c) {
  // The leader is a zombie until reaped: its id still names the group, so
  // this SIGKILL cannot reach an unrelated process.
  kill(-c.pid, SIGKILL);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  reaper_forget(c.pid);
  return status;
}

} // namespace seam_process
