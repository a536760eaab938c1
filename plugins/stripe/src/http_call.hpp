// http_call.hpp - one HTTP request with libcurl, as the pack's client, its
// webhook deliveries and stripe.webhook.send make them.
#pragma once

#include <seam/deadline.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace seam_stripe {

struct http_result {
  // 0 when no response came (network error); `error` says why then.
  long status = 0;
  std::string error;
  // No connection could be made (refused, unknown host): the server cannot
  // be reached, as opposed to one that stopped answering or a deadline.
  bool unreachable = false;
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
};

struct http_request {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers; // "Name: value"
  std::string body;
  // Bounds the whole request; its cancellation (the step's) aborts it.
  seam::deadline deadline = seam::deadline::after(std::chrono::seconds(30));
  // Polled while the request runs: true aborts it too (a resource closing).
  std::function<bool()> stop;
};

http_result http_call(const http_request &request);

} // namespace seam_stripe
