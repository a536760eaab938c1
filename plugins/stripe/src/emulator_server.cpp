// emulator_server.cpp - see emulator_server.hpp.
#include "emulator_server.hpp"

#include "config_duration.hpp"
#include "emulator_params.hpp"
#include "form.hpp"
#include "serve.hpp"

#include <seam/plugin.hpp>

#include <httplib.h>

namespace seam_stripe {

namespace {

json fault_body(int status) {
  if (status == 429)
    return {{"error",
             {{"type", "invalid_request_error"},
              {"code", "rate_limit"},
              {"message", "Request rate limit exceeded. You can learn more about rate limits "
                          "here https://stripe.com/docs/rate-limits."}}}};
  if (status >= 500)
    return {{"error",
             {{"type", "api_error"},
              {"message", "An unknown error occurred (injected by the emulator's faults)."}}}};
  return {{"error",
           {{"type", "invalid_request_error"},
            {"message",
             "Injected by the emulator's faults (status " + std::to_string(status) + ")."}}}};
}

} // namespace

emulator_server::emulator_server(std::string name, const json &config) : name_(std::move(name)) {
  std::string where = "resources." + name_;
  port_ = config.value("port", 0);

  std::vector<webhook_endpoint> endpoints;
  for (const auto &w : config.value("webhooks", json::array())) {
    webhook_endpoint e;
    e.url = w.at("url").get<std::string>();
    e.secret = w.at("secret").get<std::string>();
    if (w.contains("events"))
      e.events = w["events"].get<std::vector<std::string>>();
    endpoints.push_back(std::move(e));
  }
  delivery_policy policy;
  json retry = config.value("webhook_retry", json::object());
  policy.attempts = retry.value("attempts", policy.attempts);
  policy.interval = std::chrono::duration_cast<std::chrono::milliseconds>(
      config_duration(retry, "interval", where + ".webhook_retry", policy.interval));
  policy.backoff = retry.value("backoff", policy.backoff);
  policy.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      config_duration(retry, "timeout", where + ".webhook_retry", policy.timeout));
  delivery_ = std::make_unique<webhook_delivery>(std::move(endpoints), policy);

  size_t i = 0;
  for (const auto &f : config.value("faults", json::array())) {
    std::string at = where + ".faults[" + std::to_string(i++) + "]";
    fault x;
    x.method = f.value("method", "");
    x.path = f.value("path", "*");
    x.status = f.value("status", 0);
    x.times = f.value("times", -1L);
    x.latency = config_duration(f, "latency", at, std::chrono::microseconds(0));
    if (f.contains("should_retry"))
      x.should_retry = f["should_retry"].get<bool>() ? "true" : "false";
    if (x.status == 0 && x.latency.count() == 0)
      throw seam::error(at + " has neither `status` nor `latency`; hint: { path = "
                             "\"/v1/payment_intents\", status = 500, times = 1 }");
    faults_.push_back(std::move(x));
  }

  auto *deliver = delivery_.get();
  api_ = std::make_unique<stripe_api>([deliver](const json &event) { deliver->deliver(event); });
  api_->set_webhook_endpoints(static_cast<int>(delivery_->endpoint_count()));

  server_ = std::make_unique<httplib::Server>();
  server_->set_keep_alive_max_count(1000000);
  // Method handlers, not a pre-routing one: httplib reads bodies only there.
  auto handler = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Delete(".*", handler);
  server_->set_exception_handler(
      [](const httplib::Request &, httplib::Response &res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception &e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(
            json{{"error", {{"type", "api_error"}, {"message", "emulator: " + what}}}}.dump(),
            "application/json");
      });
  port_ = bind_server(*server_, host_, port_, where);
  thread_ = serve(*server_);
}

emulator_server::~emulator_server() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  server_->stop();
  if (thread_.joinable())
    thread_.join();
  delivery_.reset();
}

json emulator_server::attributes() const {
  std::string url = "http://" + host_ + ":" + std::to_string(port_);
  return {{"url", url}, {"api_base", url}, {"host", host_}, {"port", port_}};
}

std::vector<json> emulator_server::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<json> emulator_server::events() const {
  auto events = api_->events();
  auto deliveries = delivery_->deliveries();
  for (auto &e : events) {
    e["deliveries"] = json::array();
    for (const auto &d : deliveries)
      if (d["event"] == e["id"])
        e["deliveries"].push_back(d);
  }
  return events;
}

const emulator_server::fault *emulator_server::take_fault(const std::string &method,
                                                          const std::string &path) {
  std::lock_guard lock(mutex_);
  for (auto &f : faults_) {
    if (!f.method.empty() && f.method != method)
      continue;
    bool prefix = !f.path.empty() && f.path.back() == '*';
    if (prefix ? path.rfind(f.path.substr(0, f.path.size() - 1), 0) != 0 : path != f.path)
      continue;
    if (f.times >= 0 && f.hits >= f.times)
      continue;
    ++f.hits;
    return &f;
  }
  return nullptr;
}

void emulator_server::handle(const httplib::Request &req, httplib::Response &res) {
  api_request request;
  request.method = req.method;
  request.path = req.path;
  request.authorization = req.get_header_value("Authorization");
  request.idempotency_key = req.get_header_value("Idempotency-Key");
  request.stripe_version = req.get_header_value("Stripe-Version");
  request.stripe_account = req.get_header_value("Stripe-Account");
  json call = {{"method", req.method},
               {"path", req.path},
               {"idempotency_key", request.idempotency_key},
               {"stripe_version", request.stripe_version},
               {"stripe_account", request.stripe_account}};

  api_response response;
  bool decoded = true;
  try {
    size_t q = req.target.find('?');
    std::string text =
        req.method == "POST" ? req.body : (q == std::string::npos ? "" : req.target.substr(q + 1));
    request.params = form_decode(text);
  } catch (const std::invalid_argument &e) {
    decoded = false;
    response.status = 400;
    response.body = {{"error", {{"type", "invalid_request_error"}, {"message", e.what()}}}};
  }
  call["params"] = request.params;

  const fault *f = decoded ? take_fault(req.method, req.path) : nullptr;
  if (f != nullptr) {
    call["fault"] = true;
    std::unique_lock lock(mutex_);
    if (stop_.wait_for(lock, f->latency, [this] { return stopping_; }))
      return;
  }
  if (f != nullptr && f->status != 0) {
    response.status = f->status;
    response.body = fault_body(f->status);
    if (!f->should_retry.empty())
      response.headers["Stripe-Should-Retry"] = f->should_retry;
    response.headers["Request-Id"] = api_->new_id("req");
  } else if (decoded) {
    response = api_->handle(request);
  }
  for (const auto &[k, v] : response.headers)
    res.set_header(k, v);
  res.status = response.status;
  res.set_content(response.body.dump(2, ' ', false, json::error_handler_t::replace),
                  "application/json");
  call["status"] = response.status;
  call["request_id"] = response.headers.count("Request-Id") ? response.headers["Request-Id"] : "";
  call["replayed"] = response.headers.count("Idempotent-Replayed") > 0;
  std::lock_guard lock(mutex_);
  calls_.push_back(std::move(call));
}

} // namespace seam_stripe
