// http_call.hpp - one HTTP request with libcurl, as the pack's client, its
// webhook deliveries and stripe.webhook.send make them.
#pragma once

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
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
};

struct http_request {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers; // "Name: value"
  std::string body;
  std::chrono::milliseconds timeout{30000};
  // Polled while the request runs: true aborts it (a cancelled step).
  std::function<bool()> cancelled;
};

http_result http_call(const http_request &request);

} // namespace seam_stripe
