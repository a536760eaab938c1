// plugin.cpp - the stripe pack's descriptor: three kinds of resource
// (`client`, `mock`, `webhooks`) and the steps on each, declared on the SDK's
// C++ wrapper (seam/plugin.hpp).
#include "schemas.hpp"
#include "state.hpp"
#include "steps.hpp"

#include <seam/plugin.hpp>

namespace {

using seam::json;
using namespace seam_stripe;

// Secrets of a resource's table: masked from the moment it opens (seam masks
// the schema's x-seam-secret values too; a host older than 1.1 does not).
void mask_config_secrets(const json &config, seam::context &ctx) {
  if (auto k = config.find("api_key"); k != config.end() && k->is_string())
    ctx.add_secret(k->get<std::string>());
  if (auto s = config.find("secret"); s != config.end() && s->is_string())
    ctx.add_secret(s->get<std::string>());
  for (const auto &w : config.value("webhooks", json::array()))
    if (w.is_object() && w.contains("secret") && w["secret"].is_string())
      ctx.add_secret(w["secret"].get<std::string>());
}

// The inputs a typed step takes beyond its own are refused by `seam check`;
// this says where they go instead.
// The open of a server kind (the emulator, the webhook listener): built from
// its table, its URL and port published.
template <class Server> auto open_server() {
  return [](const std::string &name, const json &config, seam::context &ctx) {
    mask_config_secrets(config, ctx);
    auto server = std::make_unique<Server>(name, config);
    ctx.publish(server->attributes());
    return server;
  };
}

std::string refusal_hint(const typed_step &t) {
  return std::string("A parameter stripe.") + t.name +
         " does not list goes through stripe.request: method = \"" + t.method + "\", path = \"" +
         t.path + "\", params = { ... }";
}

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("stripe", "0.1.0", "Stripe: API client, stateful emulator, signed webhooks");
  plugin.state<plugin_state>();

  plugin.resource<client_config>(
      {.kind = "client",
       .summary = "A Stripe API client (api_base, api_key, version, account)",
       .config = schemas::client_config},
      [](const std::string &name, const json &config, seam::context &ctx) {
        mask_config_secrets(config, ctx);
        auto client = std::make_unique<client_config>(parse_client_config(name, config));
        ctx.publish({{"api_base", client->api_base}});
        return client;
      });
  plugin.resource<emulator_server>(
      {.kind = "mock",
       .summary = "A stateful Stripe emulator on loopback, with signed webhooks",
       .config = schemas::mock_config},
      open_server<emulator_server>());
  plugin.resource<webhook_listener>(
      {.kind = "webhooks",
       .summary = "A webhook endpoint that verifies Stripe signatures",
       .config = schemas::webhooks_config},
      open_server<webhook_listener>());

  plugin.step<client_config>(
      {.name = "request",
       .summary = "Any Stripe API request: form-encoded params, idempotency, retries",
       .input = schemas::request_input(),
       .output = schemas::response_output},
      run_request);
  for (const typed_step &t : typed_steps()) {
    bool has_id = std::string(t.path).find("{id}") != std::string::npos;
    plugin.step<client_config>(
        {.name = t.name,
         .summary = t.summary,
         .input = schemas::typed_input(has_id, t.params, t.required, refusal_hint(t)),
         .output = schemas::response_output},
        [&t](const client_config &client, const json &in, seam::context &ctx) {
          return run_typed(t, client, in, ctx);
        });
  }
  plugin.step<client_config>(
      {.name = "list",
       .summary = "Lists a collection, following has_more page by page (up to `max`)",
       .input = schemas::list_input(),
       .output = schemas::list_output},
      run_list);
  plugin.step<emulator_server>(
      {.name = "mock_calls",
       .summary = "The requests a Stripe emulator received (no API key in them)",
       .input = schemas::mock_calls_input},
      run_mock_calls);
  plugin.step<emulator_server>(
      {.name = "events",
       .summary = "The events a Stripe emulator recorded, with their webhook deliveries",
       .input = schemas::events_input},
      run_events);
  plugin.step({.name = "webhook.send",
               .summary = "Signs an event as Stripe does and POSTs it to a URL",
               .input = schemas::webhook_send_input,
               .output = schemas::webhook_send_output},
              run_webhook_send);
  plugin.step<webhook_listener>(
      {.name = "webhook.wait",
       .summary = "Waits for a webhook delivery matching `until` on a listener",
       .input = schemas::webhook_wait_input,
       .output = schemas::webhook_wait_output},
      run_webhook_wait);
}
