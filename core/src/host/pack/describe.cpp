// Describing a plugin library from a child process; see describe.hpp.
#include "seam/core/host/pack/describe.hpp"
#include "seam/core/host/plugin_host.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char **environ;

namespace seam::pack {

nlohmann::json describe_json(const LoadedPlugin &p) {
  nlohmann::json steps = nlohmann::json::object();
  for (const auto &[n, s] : p.steps)
    steps[n] = s.summary;
  return {{"name", p.name},           {"version", p.version},     {"summary", p.summary},
          {"abi_major", p.abi_major}, {"abi_minor", p.abi_minor}, {"steps", steps}};
}

LibraryInfo describe_library(const std::string &seam_exe, const std::string &library,
                             const std::string &expected_name, std::chrono::milliseconds limit) {
  LibraryInfo info;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    info.error = library + ": cannot describe: pipe: " + std::strerror(errno);
    return info;
  }
  std::vector<std::string> args = {seam_exe, "__describe", library};
  if (!expected_name.empty()) {
    args.push_back("--expect");
    args.push_back(expected_name);
  }
  std::vector<char *> argv;
  for (auto &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, seam_exe.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (err != 0) {
    ::close(fds[0]);
    info.error =
        library + ": cannot describe: cannot start " + seam_exe + ": " + std::strerror(err);
    return info;
  }
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + limit;
  bool timed_out = false;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      timed_out = r == 0;
      break;
    }
    char buf[8192];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out)
    ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    info.error = library + ": refused: loading it did not finish within " +
                 std::to_string(limit.count() / 1000) + " s";
    return info;
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    info.error = library + ": refused: loading it crashed (signal " + std::to_string(sig) + ", " +
                 ::strsignal(sig) + ")";
    return info;
  }
  try {
    auto j = nlohmann::json::parse(out);
    if (j.contains("error")) {
      info.error = j["error"].get<std::string>();
      return info;
    }
    info.name = j.at("name").get<std::string>();
    info.version = j.at("version").get<std::string>();
    info.summary = j.at("summary").get<std::string>();
    info.abi_major = j.at("abi_major").get<unsigned>();
    info.abi_minor = j.at("abi_minor").get<unsigned>();
    for (const auto &[k, v] : j.at("steps").items())
      info.steps[k] = v.get<std::string>();
    info.ok = true;
  } catch (const std::exception &) {
    info.error = library + ": refused: loading it ended with exit status " +
                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                 " and no description";
  }
  return info;
}

} // namespace seam::pack
