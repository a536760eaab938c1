// webhook_listener.cpp - see webhook_listener.hpp.
#include "webhook_listener.hpp"

#include "serve.hpp"
#include "signature.hpp"

#include <seam/plugin.hpp>

#include <httplib.h>

namespace seam_stripe {

webhook_listener::webhook_listener(std::string name, const json &config) : name_(std::move(name)) {
  std::string where = "resources." + name_;
  port_ = config.value("port", 0);
  secret_ = config.value("secret", "");
  if (secret_.empty())
    throw seam::error(where + ".secret is missing; hint: the endpoint's signing secret, "
                              "secret = \"whsec_...\" (the same as the sender's)");
  if (auto t = config.find("tolerance"); t != config.end()) {
    auto d = t->is_string() ? seam::parse_duration(t->get<std::string>()) : std::nullopt;
    if (!d)
      throw seam::error(where + ".tolerance is " + t->dump() +
                        ", not a duration; hint: \"300s\" (Stripe's default), \"0s\" to not check");
    tolerance_s_ = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
  }
  fail_first_ = config.value("fail_first", 0L);

  server_ = std::make_unique<httplib::Server>();
  // Method handlers, not a pre-routing one: httplib reads bodies only there.
  auto handler = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Delete(".*", handler);
  port_ = bind_server(*server_, host_, port_, where);
  thread_ = serve(*server_);
}

webhook_listener::~webhook_listener() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stop();
  if (thread_.joinable())
    thread_.join();
}

json webhook_listener::attributes() const {
  std::string url = "http://" + host_ + ":" + std::to_string(port_) + "/webhooks";
  return {{"url", url}, {"host", host_}, {"port", port_}, {"path", "/webhooks"}};
}

std::vector<json> webhook_listener::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void webhook_listener::handle(const httplib::Request &req, httplib::Response &res) {
  std::string header = req.get_header_value("Stripe-Signature");
  auto v = verify_signature(header, req.body, secret_, tolerance_s_, unix_now());
  json event = json::parse(req.body, nullptr, false);
  if (event.is_discarded())
    event = nullptr;
  json record = {{"verified", v.ok},
                 {"reason", v.ok ? "" : v.reason},
                 {"method", req.method},
                 {"path", req.path},
                 {"signature", header},
                 {"body", req.body},
                 {"event", event},
                 {"id", event.is_object() ? event.value("id", "") : ""},
                 {"type", event.is_object() ? event.value("type", "") : ""}};
  std::lock_guard lock(mutex_);
  if (!v.ok) {
    res.status = 400;
    res.set_content(json{{"error", "Webhook signature verification failed: " + v.reason}}.dump(),
                    "application/json");
  } else if (fail_first_ > 0) {
    --fail_first_;
    res.status = 500;
    res.set_content(R"j({"error":"failing on purpose (fail_first)"})j", "application/json");
  } else {
    res.status = 200;
    res.set_content(R"({"received":true})", "application/json");
  }
  record["status"] = res.status;
  received_.push_back(std::move(record));
  changed_.notify_all();
}

std::optional<json> webhook_listener::wait(const std::function<bool(const json &)> &accept,
                                           const seam::deadline &deadline) const {
  std::unique_lock lock(mutex_);
  size_t seen = 0;
  for (;;) {
    for (; seen < received_.size(); ++seen) {
      json candidate = received_[seen];
      lock.unlock();
      bool ok = accept(candidate);
      lock.lock();
      if (ok)
        return candidate;
    }
    if (stopping_ || deadline.done())
      return std::nullopt;
    // Wake at least every 50 ms to look at the host's cancellation.
    changed_.wait_for(lock, deadline.bounded(std::chrono::milliseconds(50)));
  }
}

} // namespace seam_stripe
