// queue_host.cpp - see queue_host.hpp.
#include "queue_host.hpp"

#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>

struct seam_ctx {
  queue_test::call_result *result = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::optional<std::chrono::steady_clock::time_point> interrupt; // Ctrl-C
};

namespace queue_test {

namespace {

void set_output(seam_ctx *ctx, const char *text, size_t len) {
  ctx->result->output = json::parse(text, text + len);
}
void set_error(seam_ctx *ctx, const char *text, size_t len) {
  ctx->result->error.assign(text, len);
}
void log(seam_ctx *, seam_log_level, const char *, size_t) {}
int64_t remaining_ms(const seam_ctx *ctx) {
  if (!ctx->deadline)
    return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  *ctx->deadline - std::chrono::steady_clock::now())
                  .count();
  return left < 0 ? 0 : left;
}
// As seam's host: the deadline itself, not the rounded milliseconds.
int cancelled(const seam_ctx *ctx) {
  auto now = std::chrono::steady_clock::now();
  return (ctx->deadline && now >= *ctx->deadline) || (ctx->interrupt && now >= *ctx->interrupt)
             ? 1
             : 0;
}
void add_secret(seam_ctx *ctx, const char *text, size_t len) {
  ctx->result->secrets.emplace_back(text, len);
}

// The real host evaluates the whole expect language; equality on dotted
// paths is all these tests filter with.
const json *walk(const json &doc, const std::string &path) {
  const json *cur = &doc;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!cur->is_object() || !cur->contains(key))
      return nullptr;
    cur = &(*cur)[key];
    if (dot == std::string::npos)
      break;
    pos = dot + 1;
  }
  return cur;
}

int match(seam_ctx *, const char *expect, size_t elen, const char *doc, size_t dlen) {
  try {
    json e = json::parse(expect, expect + elen), d = json::parse(doc, doc + dlen);
    if (!e.is_object())
      return -1;
    for (const auto &[path, want] : e.items()) {
      const json *got = walk(d, path);
      if (got == nullptr || *got != want)
        return 0;
    }
    return 1;
  } catch (...) {
    return -1;
  }
}

seam_host_api make_api() {
  seam_host_api api{};
  api.struct_size = sizeof api;
  api.abi_major = SEAM_ABI_MAJOR;
  api.abi_minor = SEAM_ABI_MINOR;
  api.set_output = set_output;
  api.set_error = set_error;
  api.log = log;
  api.cancelled = cancelled;
  api.remaining_ms = remaining_ms;
  api.add_secret = add_secret;
  api.match = match;
  return api;
}

const seam_host_api kApi = make_api();

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

} // namespace

plugin_host::plugin_host() {
  std::string path = env_or("SEAM_QUEUE_PLUGIN", SEAM_QUEUE_PLUGIN_DEFAULT);
  void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr)
    throw std::runtime_error(std::string("dlopen: ") + dlerror());
  auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib, SEAM_PLUGIN_ENTRY_NAME));
  if (entry == nullptr)
    throw std::runtime_error("no " SEAM_PLUGIN_ENTRY_NAME " in " + path);
  plugin_ = entry();
  if (plugin_->init != nullptr) {
    call_result r;
    seam_ctx ctx{&r, std::nullopt, std::nullopt};
    if (plugin_->init(&kApi, &ctx, &state_) != SEAM_OK)
      throw std::runtime_error("init failed: " + r.error);
  }
}

call_result plugin_host::run(const std::string &step, const json &input, void *resource,
                             long deadline_ms, long cancel_after_ms) const {
  const seam_step *s = nullptr;
  for (size_t i = 0; i < plugin_->step_count; ++i)
    if (step == plugin_->steps[i]->name)
      s = plugin_->steps[i];
  if (s == nullptr)
    throw std::runtime_error("no step queue." + step);
  call_result r;
  seam_ctx ctx{&r, std::nullopt, std::nullopt};
  auto now = std::chrono::steady_clock::now();
  if (deadline_ms >= 0)
    ctx.deadline = now + std::chrono::milliseconds(deadline_ms);
  if (cancel_after_ms >= 0)
    ctx.interrupt = now + std::chrono::milliseconds(cancel_after_ms);
  std::string text = input.dump();
  r.ok = s->run(&kApi, &ctx, s->data, state_, resource, text.data(), text.size()) == SEAM_OK;
  return r;
}

call_result plugin_host::open(const std::string &name, const json &config, void **handle) const {
  call_result r;
  seam_ctx ctx{&r, std::nullopt, std::nullopt};
  std::string text = config.dump();
  *handle = nullptr;
  r.ok = plugin_->resource_type->open(&kApi, &ctx, state_, name.c_str(), text.data(),
                                      text.size(), handle) == SEAM_OK;
  return r;
}

void plugin_host::close(void *handle) const { plugin_->resource_type->close(state_, handle); }

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
}

void broker::ctl(const std::string &args) const {
  std::string root = env_or("SEAM_SOURCE_DIR", SEAM_SOURCE_DIR_DEFAULT);
  std::string cmd = root + "/tools/rabbitmq ctl '" + dir_ + "' " + args + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("failed: " + cmd);
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
