// steps.cpp - see steps.hpp.
#include "steps.hpp"

#include "http_call.hpp"
#include "signature.hpp"

#include <thread>

namespace seam_stripe {

namespace {

// A step's own bound on a wait (`wait`, `timeout`), within the host's deadline.
seam::deadline deadline_of(const json &input, const char *key, const char *fallback,
                           const std::string &step, seam::context &ctx) {
  auto d = seam::read_duration(input.value(key, fallback));
  if (!d.value)
    throw seam::error(step + ": " + key + " " + d.message);
  return ctx.deadline().within(*d.value);
}

retry_log log_of(seam::context &ctx) {
  return [&ctx](const std::string &line) { ctx.info(line); };
}

} // namespace

const std::vector<typed_step> &typed_steps() {
  static const std::vector<typed_step> steps = {
      {"payment_intents.create", "Creates a payment intent (POST /v1/payment_intents)", "POST",
       "/v1/payment_intents",
       R"("amount": {"type": "integer", "minimum": 1}, "currency": {"type": "string"},
          "customer": {"type": "string"}, "payment_method": {"type": "string"},
          "confirm": {"type": "boolean"}, "capture_method": {"enum": ["automatic", "automatic_async", "manual"]},
          "description": {"type": "string"}, "metadata": {"type": "object"},)",
       R"("amount", "currency")"},
      {"payment_intents.confirm", "Confirms a payment intent", "POST",
       "/v1/payment_intents/{id}/confirm", R"("payment_method": {"type": "string"},)", R"("id")"},
      {"payment_intents.retrieve", "Retrieves a payment intent", "GET", "/v1/payment_intents/{id}",
       "", R"("id")"},
      {"payment_intents.cancel", "Cancels a payment intent", "POST",
       "/v1/payment_intents/{id}/cancel",
       R"("cancellation_reason": {"enum": ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]},)",
       R"("id")"},
      {"payment_intents.capture", "Captures a payment intent (manual capture)", "POST",
       "/v1/payment_intents/{id}/capture",
       R"("amount_to_capture": {"type": "integer", "minimum": 1},)", R"("id")"},
      {"charges.retrieve", "Retrieves a charge", "GET", "/v1/charges/{id}", "", R"("id")"},
      {"customers.create", "Creates a customer", "POST", "/v1/customers",
       R"("email": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
          "payment_method": {"type": "string"}, "metadata": {"type": "object"},)",
       ""},
      {"customers.retrieve", "Retrieves a customer", "GET", "/v1/customers/{id}", "", R"("id")"},
      {"customers.delete", "Deletes a customer", "DELETE", "/v1/customers/{id}", "", R"("id")"},
      {"refunds.create", "Refunds a payment intent or a charge", "POST", "/v1/refunds",
       R"("payment_intent": {"type": "string"}, "charge": {"type": "string"},
          "amount": {"type": "integer", "minimum": 1},
          "reason": {"enum": ["duplicate", "fraudulent", "requested_by_customer"]}, "metadata": {"type": "object"},)",
       ""},
      {"payment_methods.attach", "Attaches a payment method to a customer", "POST",
       "/v1/payment_methods/{id}/attach", R"("customer": {"type": "string"},)",
       R"("id", "customer")"},
  };
  return steps;
}

json run_request(const client_config &client, const json &input, seam::context &ctx) {
  ctx.add_secret(client.api_key);
  return stripe_request(client, input, ctx.deadline(), log_of(ctx));
}

json run_typed(const typed_step &step, const client_config &client, const json &input,
               seam::context &ctx) {
  static const char *const options[] = {"idempotency_key", "version", "account", "expand",
                                        "max_retries"};
  json request = {{"method", step.method}, {"params", json::object()}};
  std::string path = step.path;
  for (const auto &[k, v] : input.items()) {
    if (k == "id")
      continue;
    if (std::find(std::begin(options), std::end(options), k) != std::end(options))
      request[k] = v;
    else
      request["params"][k] = v;
  }
  if (auto at = path.find("{id}"); at != std::string::npos) {
    std::string id = input.value("id", "");
    if (id.empty() || id.find('/') != std::string::npos)
      throw seam::error(std::string("stripe.") + step.name + ": id \"" + id +
                        "\" is not an object id");
    path.replace(at, 4, id);
  }
  request["path"] = path;
  return run_request(client, request, ctx);
}

json run_list(const client_config &client, const json &input, seam::context &ctx) {
  ctx.add_secret(client.api_key);
  size_t max = input.value("max", 1000);
  json params = input.value("params", json::object());
  params["limit"] = input.value("page_size", 100);
  json request = input;
  request.erase("max");
  request.erase("page_size");
  request["method"] = "GET";
  json data = json::array();
  int pages = 0;
  bool more = true;
  while (more && data.size() < max) {
    request["params"] = params;
    json page = stripe_request(client, request, ctx.deadline(), log_of(ctx));
    ++pages;
    if (page["status"] != 200)
      throw seam::error("stripe.list: " + input.value("path", "") + " page " +
                        std::to_string(pages) + " answered " + page["status"].dump() + ": " +
                        page.value("error", json::object()).value("message", page.dump()));
    const json &body = page["json"];
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array())
      throw seam::error("stripe.list: " + input.value("path", "") +
                        " did not answer a list (object \"list\" with data)");
    for (const auto &o : body["data"])
      if (data.size() < max)
        data.push_back(o);
    more = body.value("has_more", false) && !body["data"].empty();
    if (more)
      params["starting_after"] = body["data"].back()["id"];
  }
  size_t count = data.size();
  return {{"data", std::move(data)}, {"count", count}, {"pages", pages}, {"has_more", more}};
}

json run_mock_calls(const emulator_server &mock, const json &input, seam::context &ctx) {
  json calls = json::array();
  std::string method = input.value("method", ""), path = input.value("path", "");
  const json *match = input.contains("match") ? &input["match"] : nullptr;
  for (auto &c : mock.calls()) {
    if ((!method.empty() && c["method"] != method) || (!path.empty() && c["path"] != path))
      continue;
    if (match && !ctx.match(*match, c))
      continue;
    calls.push_back(std::move(c));
  }
  size_t count = calls.size();
  return {{"calls", std::move(calls)}, {"count", count}};
}

json run_events(const emulator_server &mock, const json &input, seam::context &ctx) {
  auto deadline = deadline_of(input, "wait", "0s", "stripe.events", ctx);
  size_t min_count = input.value("min_count", 0);
  bool settled = input.value("delivered", false);
  std::string type = input.value("type", "");
  const json *match = input.contains("match") ? &input["match"] : nullptr;
  for (;;) {
    json events = json::array();
    bool pending = false;
    for (auto &e : mock.events()) {
      if ((!type.empty() && e["type"] != type) || (match && !ctx.match(*match, e)))
        continue;
      for (const auto &d : e["deliveries"])
        pending = pending || d["pending"].get<bool>();
      events.push_back(std::move(e));
    }
    bool enough = events.size() >= min_count && !(settled && pending);
    if (enough || deadline.done()) {
      if (!enough)
        throw seam::error("stripe.events: " + std::to_string(events.size()) + " matching event(s)" +
                          (pending ? ", deliveries still pending" : "") +
                          " when the wait ended; wanted " + std::to_string(min_count) +
                          (settled ? " with deliveries settled" : "") +
                          "; hint: a longer `wait`, or check `type`/`match`");
      size_t count = events.size();
      return {{"events", std::move(events)}, {"count", count}};
    }
    std::this_thread::sleep_for(deadline.bounded(std::chrono::milliseconds(20)));
  }
}

json run_webhook_send(const json &input, seam::context &ctx) {
  std::string secret = input.at("secret");
  ctx.add_secret(secret);
  json event = input.at("event");
  if (!event.contains("id"))
    event["id"] =
        "evt_seam_" + new_idempotency_key().substr(0, 8) + new_idempotency_key().substr(9, 4);
  if (!event.contains("object"))
    event["object"] = "event";
  if (!event.contains("created"))
    event["created"] = unix_now();
  if (!event.contains("livemode"))
    event["livemode"] = false;
  if (!event.contains("data"))
    event["data"] = {{"object", json::object()}};
  if (!event.contains("api_version"))
    event["api_version"] = "2024-06-20";
  // Text a client sent may be invalid UTF-8: replaced, never a throw.
  std::string body = event.dump(2, ' ', false, json::error_handler_t::replace);
  int64_t timestamp = input.value("timestamp", unix_now());
  std::string header = signature_header(secret, timestamp, body);
  if (input.value("tamper", false))
    body += "\n"; // signed, then changed: a verifier must refuse it
  http_request request;
  request.method = "POST";
  request.url = input.at("url");
  request.body = body;
  request.headers = {"Content-Type: application/json; charset=utf-8",
                     "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                     "Stripe-Signature: " + header};
  request.deadline = ctx.deadline();
  http_result r = http_call(request);
  if (r.status == 0) {
    std::string what = "stripe.webhook.send: POST " + request.url + " got no answer: " + r.error;
    if (r.unreachable)
      throw seam::unavailable(what);
    throw seam::error(what);
  }
  json parsed = json::parse(r.body, nullptr, false);
  return {{"status", r.status},
          {"body", r.body},
          {"json", parsed.is_discarded() ? json(nullptr) : parsed},
          {"event", event}};
}

json run_webhook_wait(const webhook_listener &listener, const json &input, seam::context &ctx) {
  auto deadline = deadline_of(input, "timeout", "10s", "stripe.webhook.wait", ctx);
  std::string signature = input.value("signature", "valid");
  json until = input.value("until", json::object());
  auto accept = [&](const json &d) {
    bool verified = d["verified"].get<bool>();
    if ((signature == "valid" && !verified) || (signature == "invalid" && verified))
      return false;
    return ctx.match(until, d);
  };
  if (auto got = listener.wait(accept, deadline))
    return *got;
  // Say what did arrive, above all the signatures refused and why.
  auto received = listener.received();
  std::string why;
  size_t refused = 0;
  for (const auto &d : received)
    if (!d["verified"].get<bool>()) {
      ++refused;
      if (refused <= 3)
        why += "\n  refused " + d.value("type", std::string("?")) + " " +
               d.value("id", std::string()) + ": " + d.value("reason", std::string());
    }
  throw seam::error("stripe.webhook.wait: no " +
                    (signature == "any" ? std::string() : signature + " ") + "delivery matching " +
                    until.dump() + " arrived in time; " + std::to_string(received.size()) +
                    " received, " + std::to_string(refused) + " with a refused signature" + why);
}

} // namespace seam_stripe
