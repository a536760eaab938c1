// emulator_api.hpp - the Stripe emulator's API without sockets: one request
// (method, path, decoded form parameters, headers) in, one response out, as
// Stripe answers it. Customers, payment methods from Stripe's test ids,
// payment intents through their state machine, charges, refunds, events,
// lists with pagination, idempotency keys, expand[] and Stripe's error
// shapes. Thread-safe; the server (emulator_server) adds HTTP, faults and
// webhook delivery.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace seam_stripe {

struct test_card;
using json = nlohmann::json;

struct api_request {
  std::string method;           // GET, POST, DELETE
  std::string path;             // /v1/payment_intents/pi_123/confirm
  json params = json::object(); // decoded form body or query (strings)
  std::string authorization;    // the Authorization header
  std::string idempotency_key;
  std::string stripe_version;
  std::string stripe_account;
};

struct api_response {
  int status = 200;
  json body;
  std::map<std::string, std::string> headers; // Request-Id, Idempotent-Replayed...
};

class stripe_api {
public:
  // on_event is called (under no lock of the api) for every event recorded.
  explicit stripe_api(std::function<void(const json &event)> on_event = {});

  api_response handle(const api_request &request);

  // Every event recorded so far, oldest first.
  std::vector<json> events() const;

  // How many webhook endpoints events go to (their pending_webhooks).
  void set_webhook_endpoints(int count) { webhook_endpoints_ = count; }

  // A new id with Stripe's prefix: "pi" -> "pi_3Nc...".
  std::string new_id(const std::string &prefix);

private:
  struct stored_result {
    std::string method, path;
    json params;
    api_response response;
  };

  api_response route(const api_request &request, std::vector<json> &events);

  json &object(const std::string &type, const std::string &id, const char *param = "id");
  json &store(json obj);
  json list(const std::string &type, const json &params, const std::string &url,
            const std::function<bool(const json &)> &keep);
  json expand(json obj, const json &params);
  json &payment_method(const std::string &id_or_token, const char *param);

  json create_customer(const json &p, std::vector<json> &events);
  json update_customer(json &c, const json &p, std::vector<json> &events);
  json create_intent(const json &p, std::vector<json> &events);
  json update_intent(json &pi, const json &p, std::vector<json> &events);
  json confirm_intent(json &pi, const json &p, std::vector<json> &events);
  json capture_intent(json &pi, const json &p, std::vector<json> &events);
  json cancel_intent(json &pi, const json &p, std::vector<json> &events);
  json create_refund(const json &p, std::vector<json> &events);
  json attach(json &pm, const json &p, std::vector<json> &events);

  // The test card a payment method was made from (pm_card_visa when none).
  const test_card &card_of(const std::string &pm_id) const;

  void event(std::vector<json> &events, const std::string &type, const json &obj,
             const json &previous = nullptr);

  mutable std::mutex mutex_;
  std::function<void(const json &)> on_event_;
  std::mt19937_64 random_;
  int64_t clock_ = 0;                   // tie-breaker so that lists order objects of one second
  std::map<std::string, json> objects_; // id -> object
  std::map<std::string, std::vector<std::string>> order_; // type -> ids, oldest first
  std::vector<json> events_;
  std::map<std::string, std::string> card_tokens_;  // payment method id -> test id
  std::map<std::string, stored_result> idempotent_; // api key + key -> first result
  const api_request *current_ = nullptr;            // for events' request.{id,idempotency_key}
  std::string request_id_;
  int webhook_endpoints_ = 0;
};

// A Stripe API error: HTTP status, error.type, code, message, param...
struct api_error {
  int status;
  json error; // the "error" object
};

} // namespace seam_stripe
