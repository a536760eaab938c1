// response.hpp - one transfer of http.request: its time limit, what
// libcurl's callbacks collect, and the step's output built from it.
#pragma once

#include <seam/plugin.hpp>

#include <curl/curl.h>

#include <cstdint>
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
  // The last response's header fields in the order they came, kept in one
  // buffer (no allocation per field): each name lower-cased, then its value
  // without the blanks around it. `fields` says where each lies.
  std::string header_text;
  struct field {
    uint32_t name, name_size, value, value_size;
  };
  std::vector<field> fields;
};

// Sets the time limit and points the handle's callbacks at `t`.
void attach_transfer(CURL *h, transfer &t, const time_limit &limit);

// The step's output from the finished transfer on `h`: status, headers,
// body (and json), timings, `url` (where the transfer ended), redirects,
// and the jar's cookies when a jar was attached. Written as text, with the
// keys in the order a tree would have them.
seam::json_text response_output(CURL *h, transfer &&t, std::string_view url, bool with_cookies);

} // namespace seam::http
