// The host side of the C ABI: the function table plugins call back into,
// and the calls into a loaded plugin (steps, resources, per-test hooks), each
// with its own context, whose outcome becomes a CallResult.
#include "call_context.hpp"
#include "seam/core/host/plugin_host.hpp"

#include "seam/core/expect/expect.hpp"

#include <seam/json_read.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace seam {

namespace {

// An output this large gets room past its text, zeroed, so that the core
// reads it in place (seam::json_source) instead of into a fresh copy; a
// smaller one is copied cheaply into the reader's reused buffer.
constexpr size_t kReadInPlace = 4096;

void with_reading_room(std::string &output) {
  if (output.size() < kReadInPlace)
    return;
  const size_t size = output.size();
  output.reserve(size + json_read_padding); // no copy after host_set_output
  output.append(json_read_padding, '\0');
  output.resize(size);
}

void host_set_output(seam_ctx *ctx, const char *json_text, size_t len) {
  if (!ctx)
    return;
  if (!json_text)
    len = 0;
  // Room for the reader (finish) taken now: no second copy to make it.
  if (len >= kReadInPlace)
    ctx->output.reserve(len + json_read_padding);
  ctx->output.assign(json_text ? json_text : "", len);
  ctx->has_output = true;
}

void host_set_error(seam_ctx *ctx, const char *message, size_t len) {
  if (!ctx)
    return;
  ctx->error.assign(message ? message : "", message ? len : 0);
  ctx->has_error = true;
}

void host_log(seam_ctx *ctx, seam_log_level level, const char *message, size_t len) {
  if (!ctx || !message)
    return;
  // Bounded, so a chatty plugin cannot exhaust memory through its reports.
  if (ctx->logs.size() < 1000)
    ctx->logs.push_back({level, std::string(message, len)});
}

int host_cancelled(const seam_ctx *ctx) {
  if (!ctx || !ctx->limits)
    return 0;
  if (ctx->limits->interrupted && ctx->limits->interrupted->load(std::memory_order_relaxed))
    return 1;
  if (ctx->limits->deadline && std::chrono::steady_clock::now() >= *ctx->limits->deadline)
    return 1;
  return 0;
}

int64_t host_remaining_ms(const seam_ctx *ctx) {
  if (!ctx || !ctx->limits || !ctx->limits->deadline)
    return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *ctx->limits->deadline - std::chrono::steady_clock::now());
  return std::max<int64_t>(0, left.count());
}

void host_add_secret(seam_ctx *ctx, const char *value, size_t len) {
  if (ctx && ctx->secrets && value)
    ctx->secrets->add(std::string_view(value, len));
}

int host_match(seam_ctx *ctx, const char *expect, size_t expect_len, const char *document,
               size_t document_len) {
  std::string why;
  int r = PluginHost::match(std::string_view(expect ? expect : "", expect ? expect_len : 0),
                            std::string_view(document ? document : "", document ? document_len : 0),
                            &why);
  if (r < 0 && ctx)
    host_log(ctx, SEAM_LOG_ERROR, why.data(), why.size());
  return r;
}

const char *host_test_id(const seam_ctx *ctx) {
  return ctx && ctx->limits && ctx->limits->test_id ? ctx->limits->test_id->c_str() : "";
}

uint32_t host_jobs(const seam_ctx *ctx) { return ctx ? ctx->jobs : 1; }

const seam_host_api kHostApi = {
    sizeof(seam_host_api), SEAM_ABI_MAJOR,
    SEAM_ABI_MINOR,        host_set_output,
    host_set_error,        host_log,
    host_cancelled,        host_remaining_ms,
    host_add_secret,       host_match,
    host_test_id,          host_jobs,
    call_io::input_type,   call_io::input_string,
    call_io::input_int,    call_io::input_double,
    call_io::input_bool,   call_io::input_json,
    call_io::input_size,   call_io::output_string,
    call_io::output_int,   call_io::output_double,
    call_io::output_bool,  call_io::output_null,
    call_io::output_json,
};

// The one place where how a call ended becomes a CallResult. A call that
// returned SEAM_OK without set_output has what output_* built as its output.
// WHAT and NAME name the call in "... failed (no message given)".
CallResult finish(seam_ctx &ctx, seam_status st, const LoadedPlugin &p, std::string_view what,
                  std::string_view name = {}) {
  CallResult r;
  r.logs = std::move(ctx.logs);
  if (st == SEAM_OK) {
    if (ctx.has_output) {
      r.status = CallStatus::Ok;
      r.output = std::move(ctx.output);
      with_reading_room(r.output);
      return r;
    }
    if (!ctx.output_problem.empty()) {
      r.error = "plugin '" + p.name + "' built an invalid output: " + ctx.output_problem;
      return r;
    }
    r.status = CallStatus::Ok;
    r.output = ctx.has_built ? ctx.built.dump(-1, ' ', false, json::error_handler_t::replace)
                             : std::string("{}");
    with_reading_room(r.output);
    return r;
  }
  // SEAM_UNAVAILABLE exists from ABI 1.2 on; any other value is a failure.
  r.status =
      st == SEAM_UNAVAILABLE && p.abi_minor >= 2 ? CallStatus::Unavailable : CallStatus::Error;
  std::string no_message = std::string(what) + std::string(name) + " failed (no message given)";
  r.error = ctx.has_error && !ctx.error.empty() ? std::move(ctx.error) : no_message;
  // Plugins that predate ABI 1.2 say "unavailable: ..." in the message; from
  // 1.2 on the status says it, and the message is only text.
  constexpr std::string_view prefix = "unavailable:";
  if (r.status == CallStatus::Error && p.abi_minor < 2 &&
      r.error.compare(0, prefix.size(), prefix) == 0) {
    r.status = CallStatus::Unavailable;
    size_t start = r.error.find_first_not_of(' ', prefix.size());
    r.error.erase(0, start == std::string::npos ? r.error.size() : start);
    if (r.error.empty())
      r.error = no_message;
  }
  return r;
}

} // namespace

const seam_host_api &host_api() { return kHostApi; }

CallResult PluginHost::call(const StepInfo &step, void *resource, std::string_view input,
                            const CallLimits &limits) {
  seam_ctx ctx(&limits, &secrets_, jobs_, input);
  seam_status st = step.run(&kHostApi, &ctx, step.data, step.plugin->state, resource, input.data(),
                            input.size());
  return finish(ctx, st, *step.plugin, "step ", step.full_name);
}

CallResult PluginHost::open_resource(const ResourceKind &kind, const std::string &name,
                                     std::string_view config, const CallLimits &limits,
                                     void **handle) {
  seam_ctx ctx(&limits, &secrets_, jobs_, config);
  *handle = nullptr;
  seam_status st = kind.type.open(&kHostApi, &ctx, kind.plugin->state, name.c_str(), config.data(),
                                  config.size(), handle);
  return finish(ctx, st, *kind.plugin, "open");
}

CallResult PluginHost::close_resource(const ResourceKind &kind, void *handle,
                                      const CallLimits &limits) {
  if (kind.type.close_with_context) {
    seam_ctx ctx(&limits, &secrets_, jobs_);
    kind.type.close_with_context(&kHostApi, &ctx, kind.plugin->state, handle);
    return finish(ctx, SEAM_OK, *kind.plugin, "close");
  }
  kind.type.close(kind.plugin->state, handle);
  CallResult r;
  r.status = CallStatus::Ok;
  r.output = "{}";
  return r;
}

CallResult PluginHost::test_begin(const ResourceKind &kind, void *handle,
                                  const std::string &test_id, const CallLimits &limits) {
  CallLimits with_id = limits;
  with_id.test_id = &test_id;
  seam_ctx ctx(&with_id, &secrets_, jobs_);
  seam_status st =
      kind.type.test_begin(&kHostApi, &ctx, kind.plugin->state, handle, test_id.c_str());
  CallResult r = finish(ctx, st, *kind.plugin, "test_begin");
  r.output.clear();
  return r;
}

void PluginHost::test_end(const ResourceKind &kind, void *handle, const std::string &test_id) {
  CallLimits limits;
  limits.test_id = &test_id;
  seam_ctx ctx(&limits, &secrets_, jobs_);
  kind.type.test_end(&kHostApi, &ctx, kind.plugin->state, handle, test_id.c_str());
}

int PluginHost::match(std::string_view expect, std::string_view document, std::string *why) {
  json e, doc;
  try {
    e = json::parse(expect);
    doc = json::parse(document);
  } catch (const json::parse_error &err) {
    if (why)
      *why = std::string("match: invalid JSON: ") + err.what();
    return -1;
  }
  if (!e.is_object()) {
    if (why)
      *why = "match: the expectation must be a table of PATH = value-or-matcher";
    return -1;
  }
  std::vector<Diagnostic> errors;
  std::vector<Expectation> checks = compile_expectations(e, errors);
  if (!errors.empty()) {
    if (why)
      *why = "match: " + errors.front().message;
    return -1;
  }
  struct NoVars : Resolver {
    std::optional<json> lookup(const Ref &) const override { return std::nullopt; }
  } none;
  for (const auto &c : checks) {
    try {
      if (evaluate(c, doc, none))
        return 0;
    } catch (const std::exception &ex) {
      if (why)
        *why = std::string("match: ") + ex.what();
      return -1;
    }
  }
  return 1;
}

} // namespace seam
