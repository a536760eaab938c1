// response.cpp - see response.hpp.
#include "response.hpp"

#include "ascii.hpp"
#include "cookie_jars.hpp"

#include <seam/exact_numbers.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

namespace seam::http {

using seam::json;

namespace {

// Applies when neither the step's `timeout` nor the host's deadline bounds a
// request: a test should fail, not hang, on a server that never answers.
constexpr long kDefaultTimeoutMs = 30000;

double ms(curl_off_t us) { return std::round(static_cast<double>(us) / 10.0) / 100.0; }

size_t on_body(char *data, size_t size, size_t n, void *user) {
  static_cast<transfer *>(user)->body.append(data, size * n);
  return size * n;
}

size_t on_header(char *data, size_t size, size_t n, void *user) {
  auto *t = static_cast<transfer *>(user);
  size_t len = size * n;
  std::string_view line(data, len);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.remove_suffix(1);
  // Each response (a 100 Continue, every redirect hop) starts with its status
  // line; only the last response's headers are reported.
  if (line.substr(0, 5) == "HTTP/") {
    t->headers = json::object();
    t->set_cookies = json::array();
    return len;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return len;
  std::string name = lower(line.substr(0, colon));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  if (name == "set-cookie")
    t->set_cookies.push_back(std::string(value));
  auto it = t->headers.find(name);
  if (it == t->headers.end())
    t->headers[name] = std::string(value);
  else
    it->get_ref<std::string &>().append(", ").append(value);
  return len;
}

int on_progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<transfer *>(user)->ctx->cancelled() ? 1 : 0;
}

} // namespace

time_limit limit_for(const json &in, const seam::context &ctx) {
  std::optional<long> own;
  if (auto t = in.find("timeout"); t != in.end()) {
    // The schema's pattern admits only what parse_duration reads.
    auto d = seam::parse_duration(t->get_ref<const std::string &>());
    if (!d)
      throw seam::error("http.request: `timeout` " + t->dump() + " is not a duration");
    own = std::max<long>(1, static_cast<long>((d->count() + 999) / 1000));
  }
  seam::deadline deadline = ctx.deadline();
  if (deadline.has_limit() && (!own || deadline.remaining_ms().count() < *own))
    return {std::max<long>(1, static_cast<long>(deadline.remaining_ms().count())),
            "the step's deadline"};
  if (own)
    return {*own, "timeout = " + in["timeout"].dump()};
  return {kDefaultTimeoutMs, "the default request timeout of 30s"};
}

void attach_transfer(CURL *h, transfer &t, const time_limit &limit) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, limit.ms);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
}

json response_output(CURL *h, transfer &&t, const std::string &url, bool with_cookies) {
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t dns = 0, connect = 0, tls_done = 0, ttfb = 0, total = 0;
  curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &dns);
  curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect);
  curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &tls_done);
  curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total);
  long connects = 0, redirects = 0;
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
  char *effective = nullptr;
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);

  // Built as a map directly: nlohmann's operator[] searches for each key, and
  // its initializer lists copy every value twice; together they took about
  // 10,000 instructions a step (callgrind, docs/performance.md).
  json out(json::value_t::object);
  auto &o = out.get_ref<json::object_t &>();
  o.emplace("status", status);
  o.emplace("headers", std::move(t.headers));
  o.emplace("set_cookies", std::move(t.set_cookies));
  o.emplace("size", t.body.size());
  // A body that parses as JSON is offered as `json` too; skip the attempt
  // for bodies that cannot be JSON (HTML, plain text) by their first byte.
  size_t first = t.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos &&
      std::string_view("{[\"-0123456789tfn").find(t.body[first]) != std::string_view::npos) {
    // Numbers a double cannot hold stay exact, as strings of their digits.
    json parsed = seam::parse_json_exact(t.body);
    if (!parsed.is_discarded())
      o.emplace("json", std::move(parsed));
  }
  o.emplace("body", std::move(t.body));
  o.emplace("time_ms", ms(total));
  json::object_t timing;
  timing.emplace("dns_ms", ms(dns));
  timing.emplace("connect_ms", ms(connect));
  timing.emplace("tls_ms", ms(tls_done));
  timing.emplace("ttfb_ms", ms(ttfb));
  timing.emplace("total_ms", ms(total));
  timing.emplace("new_connections", connects);
  o.emplace("timing", std::move(timing));
  o.emplace("url", effective != nullptr ? std::string(effective) : url);
  o.emplace("redirects", redirects);
  if (with_cookies)
    o.emplace("cookies", cookies_of(h));
  return out;
}

} // namespace seam::http
