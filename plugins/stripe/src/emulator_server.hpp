// emulator_server.hpp - the `mock` resource: the Stripe emulator (stripe_api)
// served over HTTP on loopback, with faults injected per route, every request
// recorded, and events delivered to the configured webhook endpoints.
#pragma once

#include "emulator_api.hpp"
#include "webhook_delivery.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace seam_stripe {

class emulator_server {
public:
  // Starts serving. `name` is the resource's name (for messages), `config`
  // its table without plugin and kind. Throws seam::error on bad config.
  emulator_server(std::string name, const json &config);
  ~emulator_server();
  emulator_server(const emulator_server &) = delete;
  emulator_server &operator=(const emulator_server &) = delete;

  // url, api_base, host, port: ${resources.NAME.*}.
  json attributes() const;

  // Recorded requests, oldest first: {method, path, params, status,
  // request_id, idempotency_key, replayed, fault}. No Authorization in them.
  std::vector<json> calls() const;
  // Events, oldest first, each with its webhook `deliveries`.
  std::vector<json> events() const;

  const std::string &name() const { return name_; }

private:
  struct fault {
    std::string method, path; // path: exact, or a prefix when it ends with '*'
    int status = 0;           // 0: no error, latency only
    long times = -1;          // requests it applies to (-1: all)
    std::chrono::microseconds latency{0};
    std::string should_retry; // Stripe-Should-Retry header ("" : none)
    long hits = 0;
  };

  void handle(const httplib::Request &req, httplib::Response &res);
  const fault *take_fault(const std::string &method, const std::string &path);

  std::string name_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::vector<fault> faults_;
  std::unique_ptr<webhook_delivery> delivery_;
  std::unique_ptr<stripe_api> api_;

  mutable std::mutex mutex_;
  std::condition_variable stop_;
  std::vector<json> calls_;
  bool stopping_ = false;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

} // namespace seam_stripe
