// webhook_delivery.cpp - see webhook_delivery.hpp.
#include "webhook_delivery.hpp"

#include "http_call.hpp"
#include "signature.hpp"

#include <algorithm>
#include <cmath>

namespace seam_stripe {

webhook_delivery::webhook_delivery(std::vector<webhook_endpoint> endpoints, delivery_policy policy)
    : endpoints_(std::move(endpoints)), policy_(policy) {
  if (!endpoints_.empty())
    thread_ = std::thread([this] { run(); });
}

webhook_delivery::~webhook_delivery() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void webhook_delivery::deliver(const json &event) {
  std::string type = event.value("type", "");
  // Text a client sent may be invalid UTF-8: replaced, never a throw.
  std::string body = event.dump(2, ' ', false, json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < endpoints_.size(); ++i) {
    const auto &wanted = endpoints_[i].events;
    if (std::find(wanted.begin(), wanted.end(), "*") == wanted.end() &&
        std::find(wanted.begin(), wanted.end(), type) == wanted.end())
      continue;
    records_.push_back({{"event", event.value("id", "")},
                        {"type", type},
                        {"url", endpoints_[i].url},
                        {"delivered", false},
                        {"pending", true},
                        {"attempts", json::array()}});
    queue_.push_back({i, records_.size() - 1, body, 0, std::chrono::steady_clock::now()});
  }
  wake_.notify_all();
}

std::vector<json> webhook_delivery::deliveries() const {
  std::lock_guard lock(mutex_);
  return records_;
}

void webhook_delivery::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      continue;
    }
    // The job due first; retries wait without holding up fresh events.
    auto next = std::min_element(queue_.begin(), queue_.end(),
                                 [](const job &a, const job &b) { return a.due < b.due; });
    if (next->due > std::chrono::steady_clock::now()) {
      wake_.wait_until(lock, next->due);
      continue;
    }
    job j = std::move(*next);
    queue_.erase(next);
    const webhook_endpoint &endpoint = endpoints_[j.endpoint];
    lock.unlock();
    http_request request;
    request.method = "POST";
    request.url = endpoint.url;
    request.body = j.body;
    request.deadline = seam::deadline::after(policy_.timeout);
    request.headers = {"Content-Type: application/json; charset=utf-8",
                       "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                       "Stripe-Signature: " +
                           signature_header(endpoint.secret, unix_now(), j.body)};
    request.stop = [this] {
      std::lock_guard guard(mutex_);
      return stopping_;
    };
    http_result result = http_call(request);
    lock.lock();
    json &record = records_[j.record];
    json attempt = {{"status", result.status}};
    if (!result.error.empty())
      attempt["error"] = result.error;
    record["attempts"].push_back(std::move(attempt));
    bool ok = result.status >= 200 && result.status < 300;
    ++j.attempt;
    if (ok || j.attempt >= policy_.attempts) {
      record["delivered"] = ok;
      record["pending"] = false;
      continue;
    }
    auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(
        policy_.interval * std::pow(policy_.backoff, j.attempt - 1));
    j.due = std::chrono::steady_clock::now() + delay;
    queue_.push_back(std::move(j));
  }
}

} // namespace seam_stripe
