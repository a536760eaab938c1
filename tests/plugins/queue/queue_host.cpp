// queue_host.cpp - see queue_host.hpp.
#include "queue_host.hpp"

#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

namespace queue_test {

namespace {

std::string env_or(const char *name, const char *fallback) {
  const char *v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string read_first_line(const std::string &path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// True when every thread under /proc/PID/task is stopped (state T or t).
bool all_threads_stopped(const std::string &tasks) {
  std::error_code ec;
  for (const auto &task : std::filesystem::directory_iterator(tasks, ec)) {
    // The state follows the command name's closing parenthesis.
    std::string stat = read_first_line(task.path() / "stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size())
      continue; // the thread has just ended
    char state = stat[close + 2];
    if (state != 'T' && state != 't')
      return false;
  }
  return !ec;
}

} // namespace

plugin_host::plugin_host() : host_(env_or("SEAM_QUEUE_PLUGIN", SEAM_QUEUE_PLUGIN_DEFAULT)) {}

call_result plugin_host::convert(seam::testing::result r, size_t secrets_before) const {
  call_result c;
  c.ok = r.ok;
  c.unavailable = r.unavailable();
  c.output = std::move(r.output);
  c.error = std::move(r.error);
  auto all = host_.secrets();
  c.secrets.assign(all.begin() + static_cast<long>(std::min(secrets_before, all.size())),
                   all.end());
  return c;
}

call_result plugin_host::run(const std::string &step, const json &input, void *resource,
                             long deadline_ms, long cancel_after_ms) const {
  seam::testing::call_options o;
  if (deadline_ms >= 0)
    o.deadline = std::chrono::milliseconds(deadline_ms);
  if (cancel_after_ms >= 0)
    o.cancel_after = std::chrono::milliseconds(cancel_after_ms);
  size_t before = host_.secrets().size();
  return convert(host_.run(step, input, resource, o), before);
}

call_result plugin_host::open(const std::string &name, const json &config, void **handle) const {
  size_t before = host_.secrets().size();
  return convert(host_.open(name, config, handle), before);
}

void plugin_host::close(void *handle) const { host_.close(handle); }

broker::broker() {
  char tmpl[] = "/tmp/seam-queue-test-XXXXXX";
  if (mkdtemp(tmpl) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  start();
  url_ = read_first_line(dir_ + "/url");
}

broker::~broker() {
  try {
    stop();
  } catch (...) {
  }
  std::string rm = "rm -rf '" + dir_ + "'";
  (void)std::system(rm.c_str());
}

void broker::tool(const std::string &command) const {
  std::string root = env_or("SEAM_SOURCE_DIR", SEAM_SOURCE_DIR_DEFAULT);
  std::string cmd = root + "/tools/rabbitmq " + command + " '" + dir_ + "' >/dev/null";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("failed: " + cmd);
}

void broker::start() { tool("start"); }
void broker::stop() { tool("stop"); }

void broker::signal(int sig) const {
  std::string pid = read_first_line(dir_ + "/rabbitmq.pid");
  if (pid.empty() || ::kill(static_cast<pid_t>(std::stol(pid)), sig) != 0)
    throw std::runtime_error("cannot signal the broker started in " + dir_);
  if (sig != SIGSTOP)
    return;
  // kill() returns before the VM has stopped: the kernel wakes one thread,
  // which then stops the others, and on a busy machine the rest go on
  // serving connections meanwhile. The broker hangs once every thread does.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!all_threads_stopped("/proc/" + pid + "/task")) {
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("the broker started in " + dir_ +
                               " did not stop within 60s of SIGSTOP");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void broker::ctl(const std::string &args) const { (void)ctl_output(args); }

std::string broker::ctl_output(const std::string &args) const {
  std::string root = env_or("SEAM_SOURCE_DIR", SEAM_SOURCE_DIR_DEFAULT);
  std::string cmd = root + "/tools/rabbitmq ctl '" + dir_ + "' " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
  if (!pipe)
    throw std::runtime_error("cannot run: " + cmd);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0;)
    out.append(buf, n);
  if (::pclose(pipe.release()) != 0)
    throw std::runtime_error("failed: " + cmd + "\n" + out);
  return out;
}

std::string shared_url() {
  static std::string url = [] {
    std::string dir = env_or("SEAM_TEST_RABBITMQ_DIR", "");
    if (!dir.empty())
      return read_first_line(dir + "/url");
    // No ctest fixture: a broker for this process, stopped at exit.
    static std::unique_ptr<broker> own = std::make_unique<broker>();
    std::atexit([] { own.reset(); });
    return own->url();
  }();
  return url;
}

std::string unique(const std::string &prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

} // namespace queue_test
