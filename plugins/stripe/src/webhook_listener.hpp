// webhook_listener.hpp - the `webhooks` resource: an HTTP endpoint on loopback
// that receives Stripe webhooks, verifies their signature and timestamp as
// the official SDKs do, answers as a real endpoint would (2xx when verified,
// 400 with the reason when not) and records every delivery for
// stripe.webhook.wait.
#pragma once

#include <seam/deadline.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace seam_stripe {

using json = nlohmann::json;

class webhook_listener {
public:
  // config: port (0: free), secret, tolerance (duration, default "300s";
  // "0s": not checked), fail_first (answer 500 to that many deliveries, to
  // exercise a sender's retries). Throws seam::error on bad config.
  webhook_listener(std::string name, const json &config);
  ~webhook_listener();
  webhook_listener(const webhook_listener &) = delete;
  webhook_listener &operator=(const webhook_listener &) = delete;

  // url, host, port, path.
  json attributes() const;

  // Every delivery received, oldest first: {verified, reason, status, id,
  // type, event, body, signature}.
  std::vector<json> received() const;

  // Waits for a delivery that `accept` takes, until the deadline passes or
  // cancels it. Returns it, or nullopt when the wait ended without one.
  std::optional<json> wait(const std::function<bool(const json &)> &accept,
                           const seam::deadline &deadline) const;

private:
  void handle(const httplib::Request &req, httplib::Response &res);

  std::string name_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string secret_;
  int64_t tolerance_s_ = 300;
  long fail_first_ = 0;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<json> received_;
  bool stopping_ = false;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

} // namespace seam_stripe
