// webhook_delivery.hpp - the emulator's webhook endpoints: each event goes to
// every endpoint that wants its type, signed as Stripe signs (Stripe-Signature),
// retried with backoff while the endpoint answers non-2xx, a bounded number of
// times; every attempt is recorded.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace seam_stripe {

using json = nlohmann::json;

struct webhook_endpoint {
  std::string url;
  std::string secret;
  std::vector<std::string> events{"*"}; // event types ("*": all)
};

struct delivery_policy {
  int attempts = 4;                        // in all, the first included
  std::chrono::milliseconds interval{200}; // before the first retry
  double backoff = 2;                      // interval grows by this each retry
  std::chrono::milliseconds timeout{5000}; // of one attempt
};

class webhook_delivery {
public:
  webhook_delivery(std::vector<webhook_endpoint> endpoints, delivery_policy policy);
  ~webhook_delivery();
  webhook_delivery(const webhook_delivery &) = delete;
  webhook_delivery &operator=(const webhook_delivery &) = delete;

  size_t endpoint_count() const { return endpoints_.size(); }

  // Queues event for every endpoint that wants it; returns at once.
  void deliver(const json &event);

  // Every delivery so far: {event, type, url, delivered, pending, attempts:
  // [{status, error}]}, oldest first. Secrets never appear in it.
  std::vector<json> deliveries() const;

private:
  struct job {
    size_t endpoint;
    size_t record; // index into records_
    std::string body;
    int attempt = 0;
    std::chrono::steady_clock::time_point due;
  };

  void run();

  std::vector<webhook_endpoint> endpoints_;
  delivery_policy policy_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  std::vector<json> records_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace seam_stripe
