// plugin.cpp - the stripe pack's descriptor: three kinds of resource
// (`client`, `mock`, `webhooks`; ABI 1.2's resource_types) and the steps on
// each. Written against the C ABI's kind fields directly; the C++ wrapper
// (seam/plugin.hpp) gives the context and the exception guard.
#include "schemas.hpp"
#include "steps.hpp"

#include <seam/plugin.hpp>

#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace {

using seam::json;
using namespace seam_stripe;

using step_fn = std::function<json(void *resource, const json &input, seam::context &ctx)>;

struct step_entry {
  std::string name, summary, input, output;
  const char *kind; // nullptr: no resource
  step_fn fn;
  seam_step c{};
};

std::deque<step_entry> &steps() {
  static std::deque<step_entry> s;
  return s;
}

seam_status run_step(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *,
                     void *resource, const char *input, size_t len) {
  seam::context c(host, ctx);
  auto *s = static_cast<step_entry *>(step_data);
  return seam::detail::guarded(
      c, [&] { c.set_output(s->fn(resource, seam::detail::parse_input(input, len), c)); });
}

void add(std::string name, std::string summary, std::string input, std::string output,
         const char *kind, step_fn fn) {
  steps().push_back({std::move(name), std::move(summary), std::move(input), std::move(output), kind,
                     std::move(fn)});
}

// Secrets of a resource's table: masked from the moment it opens.
void mask_config_secrets(const json &config, seam::context &ctx) {
  if (auto k = config.find("api_key"); k != config.end() && k->is_string())
    ctx.add_secret(k->get<std::string>());
  if (auto s = config.find("secret"); s != config.end() && s->is_string())
    ctx.add_secret(s->get<std::string>());
  for (const auto &w : config.value("webhooks", json::array()))
    if (w.is_object() && w.contains("secret") && w["secret"].is_string())
      ctx.add_secret(w["secret"].get<std::string>());
}

template <class R, class Make>
seam_status open_kind(const seam_host_api *host, seam_ctx *ctx, const char *name,
                      const char *config, size_t len, void **handle, Make make) {
  seam::context c(host, ctx);
  return seam::detail::guarded(c, [&] {
    json table = seam::detail::parse_input(config, len);
    mask_config_secrets(table, c);
    table.erase("kind");
    table.erase("plugin");
    std::unique_ptr<R> r = make(std::string(name), table, c);
    *handle = r.release();
  });
}

seam_status open_client(const seam_host_api *host, seam_ctx *ctx, void *, const char *name,
                        const char *config, size_t len, void **handle) {
  return open_kind<client_config>(host, ctx, name, config, len, handle,
                                  [](const std::string &n, const json &t, seam::context &c) {
                                    auto r =
                                        std::make_unique<client_config>(parse_client_config(n, t));
                                    c.publish({{"api_base", r->api_base}});
                                    return r;
                                  });
}

seam_status open_mock(const seam_host_api *host, seam_ctx *ctx, void *, const char *name,
                      const char *config, size_t len, void **handle) {
  return open_kind<emulator_server>(host, ctx, name, config, len, handle,
                                    [](const std::string &n, const json &t, seam::context &c) {
                                      auto r = std::make_unique<emulator_server>(n, t);
                                      c.publish(r->attributes());
                                      return r;
                                    });
}

seam_status open_webhooks(const seam_host_api *host, seam_ctx *ctx, void *, const char *name,
                          const char *config, size_t len, void **handle) {
  return open_kind<webhook_listener>(host, ctx, name, config, len, handle,
                                     [](const std::string &n, const json &t, seam::context &c) {
                                       auto r = std::make_unique<webhook_listener>(n, t);
                                       c.publish(r->attributes());
                                       return r;
                                     });
}

void close_client(void *, void *handle) { delete static_cast<client_config *>(handle); }
void close_mock(void *, void *handle) { delete static_cast<emulator_server *>(handle); }
void close_webhooks(void *, void *handle) { delete static_cast<webhook_listener *>(handle); }

seam_resource_type resource_type(const char *kind, const char *summary, const char *schema,
                                 decltype(seam_resource_type::open) open,
                                 decltype(seam_resource_type::close) close) {
  seam_resource_type t{};
  t.struct_size = sizeof t;
  t.summary = summary;
  t.config_schema = schema;
  t.open = open;
  t.close = close;
  t.kind = kind;
  return t;
}

void define_steps() {
  add("request", "Any Stripe API request: form-encoded params, idempotency, retries",
      schemas::request_input(), schemas::response_output, "client",
      [](void *r, const json &in, seam::context &ctx) {
        return run_request(*static_cast<client_config *>(r), in, ctx);
      });
  for (const auto &t : typed_steps()) {
    bool has_id = std::string(t.path).find("{id}") != std::string::npos;
    add(t.name, t.summary, schemas::typed_input(has_id, t.params, t.required),
        schemas::response_output, "client", [&t](void *r, const json &in, seam::context &ctx) {
          return run_typed(t, *static_cast<client_config *>(r), in, ctx);
        });
  }
  add("list", "Lists a collection, following has_more page by page (up to `max`)",
      schemas::list_input(), schemas::list_output, "client",
      [](void *r, const json &in, seam::context &ctx) {
        return run_list(*static_cast<client_config *>(r), in, ctx);
      });
  add("mock_calls", "The requests a Stripe emulator received (no API key in them)",
      schemas::mock_calls_input, "", "mock", [](void *r, const json &in, seam::context &ctx) {
        return run_mock_calls(*static_cast<emulator_server *>(r), in, ctx);
      });
  add("events", "The events a Stripe emulator recorded, with their webhook deliveries",
      schemas::events_input, "", "mock", [](void *r, const json &in, seam::context &ctx) {
        return run_events(*static_cast<emulator_server *>(r), in, ctx);
      });
  add("webhook.send", "Signs an event as Stripe does and POSTs it to a URL",
      schemas::webhook_send_input, schemas::webhook_send_output, nullptr,
      [](void *, const json &in, seam::context &ctx) { return run_webhook_send(in, ctx); });
  add("webhook.wait", "Waits for a webhook delivery matching `until` on a listener",
      schemas::webhook_wait_input, schemas::webhook_wait_output, "webhooks",
      [](void *r, const json &in, seam::context &ctx) {
        return run_webhook_wait(*static_cast<webhook_listener *>(r), in, ctx);
      });
}

const seam_plugin *describe() {
  static std::vector<const seam_step *> step_ptrs;
  static seam_resource_type types[] = {
      resource_type("client", "A Stripe API client (api_base, api_key, version, account)",
                    schemas::client_config, open_client, close_client),
      resource_type("mock", "A stateful Stripe emulator on loopback, with signed webhooks",
                    schemas::mock_config, open_mock, close_mock),
      resource_type("webhooks", "A webhook endpoint that verifies Stripe signatures",
                    schemas::webhooks_config, open_webhooks, close_webhooks)};
  static const seam_resource_type *type_ptrs[] = {&types[0], &types[1], &types[2]};
  static seam_plugin plugin{};
  define_steps();
  for (auto &s : steps()) {
    s.c.struct_size = sizeof(seam_step);
    s.c.name = s.name.c_str();
    s.c.summary = s.summary.c_str();
    s.c.input_schema = s.input.c_str();
    s.c.output_schema = s.output.empty() ? nullptr : s.output.c_str();
    s.c.run = run_step;
    s.c.resource = s.kind ? SEAM_RESOURCE_REQUIRED : SEAM_RESOURCE_NONE;
    s.c.data = &s;
    s.c.resource_kind = s.kind;
    step_ptrs.push_back(&s.c);
  }
  plugin.struct_size = sizeof plugin;
  plugin.abi_major = SEAM_ABI_MAJOR;
  plugin.abi_minor = SEAM_ABI_MINOR;
  plugin.name = "stripe";
  plugin.version = "0.1.0";
  plugin.summary = "Stripe: API client, stateful emulator, signed webhooks";
  plugin.steps = step_ptrs.data();
  plugin.step_count = step_ptrs.size();
  plugin.resource_types = type_ptrs;
  plugin.resource_type_count = 3;
  return &plugin;
}

} // namespace

extern "C" SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) {
  static const seam_plugin *descriptor = [] {
    try {
      return describe();
    } catch (...) {
      static seam_plugin empty{};
      empty.struct_size = sizeof empty;
      empty.abi_major = SEAM_ABI_MAJOR;
      empty.abi_minor = SEAM_ABI_MINOR;
      return static_cast<const seam_plugin *>(&empty);
    }
  }();
  return descriptor;
}
