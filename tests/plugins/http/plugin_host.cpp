// plugin_host.cpp - see plugin_host.hpp.
#include "plugin_host.hpp"

#include <seam/core/plugin_host.hpp>

#include <dlfcn.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

struct seam_ctx {
  seam_test::call_result *result = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::string test_id;
  uint32_t jobs = 1;
};

namespace seam_test {

namespace {

void set_output(seam_ctx *ctx, const char *text, size_t len) {
  ctx->result->output = json::parse(text, text + len);
}
void set_error(seam_ctx *ctx, const char *text, size_t len) {
  ctx->result->error.assign(text, len);
}
void log(seam_ctx *ctx, seam_log_level, const char *text, size_t len) {
  ctx->result->logs.emplace_back(text, len);
}
int64_t remaining_ms(const seam_ctx *ctx) {
  if (!ctx->deadline)
    return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  *ctx->deadline - std::chrono::steady_clock::now())
                  .count();
  return left < 0 ? 0 : left;
}
int cancelled(const seam_ctx *ctx) { return ctx->deadline && remaining_ms(ctx) == 0 ? 1 : 0; }
void add_secret(seam_ctx *ctx, const char *text, size_t len) {
  ctx->result->secrets.emplace_back(text, len);
}
// The real host's matcher (seam's expect language), as the mock server's
// threads call it: with or without a context.
int match(seam_ctx *ctx, const char *expect, size_t elen, const char *doc, size_t dlen) {
  std::string why;
  int r = seam::PluginHost::match(std::string_view(expect, elen), std::string_view(doc, dlen), &why);
  if (r < 0 && ctx != nullptr)
    ctx->result->logs.push_back(why);
  return r;
}
const char *test_id(const seam_ctx *ctx) { return ctx != nullptr ? ctx->test_id.c_str() : ""; }
uint32_t jobs(const seam_ctx *ctx) { return ctx != nullptr ? ctx->jobs : 1; }

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
  api.test_id = test_id;
  api.jobs = jobs;
  return api;
}

const seam_host_api kApi = make_api();

std::string source_dir() {
  const char *env = std::getenv("SEAM_SOURCE_DIR");
  return env != nullptr ? env : SEAM_SOURCE_DIR_DEFAULT;
}

} // namespace

std::string plugin_path() {
  const char *env = std::getenv("SEAM_HTTP_PLUGIN");
  return env != nullptr ? env : SEAM_HTTP_PLUGIN_DEFAULT;
}

plugin_host::plugin_host(const std::string &path) {
  void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr)
    throw std::runtime_error(std::string("dlopen: ") + dlerror());
  auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib, SEAM_PLUGIN_ENTRY_NAME));
  if (entry == nullptr)
    throw std::runtime_error("no " SEAM_PLUGIN_ENTRY_NAME " in " + path);
  plugin_ = entry();
  if (plugin_->init != nullptr) {
    call_result r;
    seam_ctx ctx{&r, std::nullopt, "", 1};
    if (plugin_->init(&kApi, &ctx, &state_) != SEAM_OK)
      throw std::runtime_error("init failed: " + r.error);
  }
}

const seam_step *plugin_host::find_step(const std::string &name) const {
  for (size_t i = 0; i < plugin_->step_count; ++i)
    if (name == plugin_->steps[i]->name)
      return plugin_->steps[i];
  return nullptr;
}

call_result plugin_host::run(const std::string &step, const json &input, void *resource,
                             long deadline_ms, const std::string &test_id, unsigned jobs) {
  const seam_step *s = find_step(step);
  if (s == nullptr)
    throw std::runtime_error("no step " + step);
  call_result r;
  seam_ctx ctx{&r, std::nullopt, test_id, jobs};
  if (deadline_ms >= 0)
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  std::string text = input.dump();
  r.ok = s->run(&kApi, &ctx, s->data, state_, resource, text.data(), text.size()) == SEAM_OK;
  return r;
}

call_result plugin_host::open(const std::string &name, const json &config, void **handle) {
  call_result r;
  seam_ctx ctx{&r, std::nullopt, "", 1};
  std::string text = config.dump();
  *handle = nullptr;
  r.ok = plugin_->resource_type->open(&kApi, &ctx, state_, name.c_str(), text.data(),
                                      text.size(), handle) == SEAM_OK;
  return r;
}

void plugin_host::close(void *handle) { plugin_->resource_type->close(state_, handle); }

const std::map<std::string, std::string> &nginx() {
  static std::map<std::string, std::string> facts = [] {
    std::string env_file;
    if (const char *env = std::getenv("SEAM_TEST_NGINX_ENV"); env != nullptr && *env != '\0') {
      env_file = env;
    } else {
      // No ctest fixture: start a private nginx for this process.
      std::string cmd = source_dir() + "/tools/nginx start";
      FILE *p = popen(cmd.c_str(), "r");
      char buf[4096] = {0};
      std::string dir;
      if (p != nullptr) {
        while (fgets(buf, sizeof buf, p) != nullptr)
          dir += buf;
        pclose(p);
      }
      while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r'))
        dir.pop_back();
      if (dir.empty())
        throw std::runtime_error("tools/nginx start failed");
      env_file = dir + "/nginx.env";
      static std::string stop = source_dir() + "/tools/nginx stop " + dir;
      std::atexit([] { (void)std::system(stop.c_str()); });
    }
    std::map<std::string, std::string> out;
    std::ifstream in(env_file);
    if (!in)
      throw std::runtime_error("cannot read " + env_file);
    for (std::string line; std::getline(in, line);) {
      size_t eq = line.find('=');
      if (eq != std::string::npos)
        out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
  }();
  return facts;
}

} // namespace seam_test
