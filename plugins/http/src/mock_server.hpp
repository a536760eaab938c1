// mock_server.hpp - an `http` resource with a `mock` table: a stub HTTP server
// on loopback that answers from routes and records every request it gets.
#pragma once

#include "routes.hpp"

#include <seam/plugin.hpp>

#include <atomic>
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

namespace seam::http {

using seam::json;

class mock_server {
public:
  // Starts serving; `name` is the suite's resource name (for messages),
  // `config` the resource table without `plugin`, `matcher` the host's
  // matcher for routes' `match` tables (called from the server's threads).
  // Throws seam::error.
  mock_server(std::string name, const json &config, match_fn matcher);
  ~mock_server();
  mock_server(const mock_server &) = delete;
  mock_server &operator=(const mock_server &) = delete;

  // What ${resources.NAME.ATTR} resolves to: url, port, host.
  json attributes() const;

  // The recorded requests, oldest first (each as http.mock_calls documents).
  std::vector<json> calls() const;

  // Waits until at least `count` requests are recorded or the deadline is
  // done (passed, or the host cancelled the call). Returns at once when
  // enough are there.
  void wait_for_calls(size_t count, const seam::deadline &deadline) const;

  // Forgets the recorded requests and restarts every route's call count (so
  // `responses` and `fail_times` start over). Returns how many were dropped.
  size_t reset();

  const std::string &name() const { return name_; }

private:
  void handle(const httplib::Request &req, httplib::Response &res);
  json not_found_body(const json &request) const;
  bool sleep_unless_stopping(std::chrono::microseconds d);

  std::string name_;
  std::string host_;
  int port_ = 0;
  std::vector<route> routes_;
  std::chrono::steady_clock::time_point opened_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_; // a call was recorded, or stopping
  std::vector<size_t> route_calls_;
  std::vector<json> calls_;
  std::atomic<bool> stopping_{false};

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

// The request as recorded and as route `match` tables see it: method, path,
// query, headers (lower-cased), body, json, form, files.
json request_document(const httplib::Request &req);

} // namespace seam::http
