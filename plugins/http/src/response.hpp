// response.hpp - one transfer of http.request: its time limit, what
// libcurl's callbacks collect, and the step's output built from it.
#pragma once

#include <seam/plugin.hpp>

#include <curl/curl.h>

#include <string>
#include <utility>
#include <vector>

namespace seam::http {

// The request's time limit and where it came from (for the error message).
struct time_limit {
  long ms;
  std::string source;
};

// The step's `timeout`, or what is left of the host's deadline if that is
// sooner, or the default of 30s.
time_limit limit_for(const seam::json &in, const seam::context &ctx);

// What one transfer collects through libcurl's callbacks.
struct transfer {
  const seam::context *ctx = nullptr; // asked whether the step was cancelled
  std::string body;
  // The last response's headers: lower-case names, each once, in the order
  // they came; a repeated header's values joined with ", ".
  std::vector<std::pair<std::string, std::string>> headers;
  // Set-Cookie values one by one: joined with ", " in `headers` they cannot
  // be split again (an Expires date has a comma).
  std::vector<std::string> set_cookies;
};

// Sets the time limit and points the handle's callbacks at `t`.
void attach_transfer(CURL *h, transfer &t, const time_limit &limit);

// The step's output from the finished transfer on `h`: status, headers,
// body (and json), timings, `url` (where the transfer ended), redirects,
// and the jar's cookies when a jar was attached. Written as text, with the
// keys in the order a tree would have them.
seam::json_text response_output(CURL *h, transfer &&t, std::string_view url, bool with_cookies);

} // namespace seam::http
