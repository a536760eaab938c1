// abi_host.cpp - see abi_host.hpp.
#include "abi_host.hpp"

#include <seam/core/host/plugin_host.hpp>

#include <dlfcn.h>

#include <chrono>
#include <optional>
#include <stdexcept>

struct seam_ctx {
  stripe_test::abi_result *result = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

namespace stripe_test {

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
int match(seam_ctx *ctx, const char *expect, size_t elen, const char *doc, size_t dlen) {
  std::string why;
  int r =
      seam::PluginHost::match(std::string_view(expect, elen), std::string_view(doc, dlen), &why);
  if (r < 0 && ctx != nullptr)
    ctx->result->logs.push_back(why);
  return r;
}
const char *test_id(const seam_ctx *) { return ""; }
uint32_t jobs(const seam_ctx *) { return 1; }

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

} // namespace

abi_host::abi_host(const std::string &library) {
  void *lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr)
    throw std::runtime_error(std::string("dlopen: ") + dlerror());
  auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib, SEAM_PLUGIN_ENTRY_NAME));
  if (entry == nullptr)
    throw std::runtime_error("no entry symbol in " + library);
  plugin_ = entry();
  if (plugin_->init != nullptr) {
    abi_result r;
    seam_ctx ctx{&r, std::nullopt};
    if (plugin_->init(&kApi, &ctx, &state_) != SEAM_OK)
      throw std::runtime_error("init failed: " + r.error);
  }
}

const seam_step *abi_host::step(const std::string &name) const {
  for (size_t i = 0; i < plugin_->step_count; ++i)
    if (name == plugin_->steps[i]->name)
      return plugin_->steps[i];
  return nullptr;
}

const seam_resource_type *abi_host::kind(const std::string &kind) const {
  for (size_t i = 0; i < plugin_->resource_type_count; ++i)
    if (kind == plugin_->resource_types[i]->kind)
      return plugin_->resource_types[i];
  return nullptr;
}

abi_result abi_host::run(const std::string &name, const json &input, void *resource,
                         long deadline_ms) {
  const seam_step *s = step(name);
  if (s == nullptr)
    throw std::runtime_error("no step " + name);
  abi_result r;
  seam_ctx ctx{&r, std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms)};
  std::string text = input.dump();
  r.ok = s->run(&kApi, &ctx, s->data, state_, resource, text.data(), text.size()) == SEAM_OK;
  return r;
}

abi_result abi_host::open(const std::string &kind_name, const std::string &name, const json &config,
                          void **handle) {
  const seam_resource_type *t = kind(kind_name);
  if (t == nullptr)
    throw std::runtime_error("no kind " + kind_name);
  abi_result r;
  seam_ctx ctx{&r, std::nullopt};
  std::string text = config.dump();
  *handle = nullptr;
  r.ok = t->open(&kApi, &ctx, state_, name.c_str(), text.data(), text.size(), handle) == SEAM_OK;
  return r;
}

void abi_host::close(const std::string &kind_name, void *handle) {
  kind(kind_name)->close(state_, handle);
}

} // namespace stripe_test
