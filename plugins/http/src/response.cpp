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
    t->header_text.clear();
    t->fields.clear();
    return len;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || t->header_text.size() + len > UINT32_MAX)
    return len;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  std::string &text = t->header_text;
  if (t->fields.empty()) { // one allocation each for a usual response's fields
    text.reserve(512);
    t->fields.reserve(16);
  }
  transfer::field f{};
  f.name = static_cast<uint32_t>(text.size());
  f.name_size = static_cast<uint32_t>(colon);
  text.append(line.substr(0, colon));
  std::transform(text.begin() + f.name, text.end(), text.begin() + f.name, ascii_lower);
  f.value = static_cast<uint32_t>(text.size());
  f.value_size = static_cast<uint32_t>(value.size());
  text.append(value);
  t->fields.push_back(f);
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

seam::json_text response_output(CURL *h, transfer &&t, std::string_view url, bool with_cookies) {
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

  // Written straight as text (no tree to build, write and destroy), keys
  // in sorted order. `json` is the body read with exact numbers (those a
  // double cannot hold as strings of their digits), present only when the
  // body is JSON; bodies that cannot be (HTML, plain text) are told by their
  // first byte.
  seam::json_builder body_json;
  bool is_json = false;
  size_t first = t.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos &&
      std::string_view("{[\"-0123456789tfn").find(t.body[first]) != std::string_view::npos)
    is_json = seam::append_json_exact(body_json, t.body);
  // By name; a repeated header's fields stay in the order they came.
  auto name_of = [&](const transfer::field &f) {
    return std::string_view(t.header_text).substr(f.name, f.name_size);
  };
  auto value_of = [&](const transfer::field &f) {
    return std::string_view(t.header_text).substr(f.value, f.value_size);
  };
  std::stable_sort(t.fields.begin(), t.fields.end(),
                   [&](const auto &a, const auto &b) { return name_of(a) < name_of(b); });

  // The output's names, escaped once.
  static const struct {
    seam::json_key body{"body"};
    seam::json_key cookies{"cookies"};
    seam::json_key headers{"headers"};
    seam::json_key json{"json"};
    seam::json_key redirects{"redirects"};
    seam::json_key set_cookies{"set_cookies"};
    seam::json_key size{"size"};
    seam::json_key status{"status"};
    seam::json_key time_ms{"time_ms"};
    seam::json_key timing{"timing"};
    seam::json_key connect_ms{"connect_ms"};
    seam::json_key dns_ms{"dns_ms"};
    seam::json_key new_connections{"new_connections"};
    seam::json_key tls_ms{"tls_ms"};
    seam::json_key total_ms{"total_ms"};
    seam::json_key ttfb_ms{"ttfb_ms"};
    seam::json_key url{"url"};
  } k;
  seam::json_builder out;
  out.begin_object();
  out.key(k.body).value(t.body);
  if (with_cookies)
    out.key(k.cookies).value(cookies_of(h));
  // Each name once, a repeated header's values joined with ", " (RFC 9110,
  // 5.3). Set-Cookie's are also given one by one under `set_cookies`: joined,
  // they cannot be split again (an Expires date has a comma).
  out.key(k.headers).begin_object();
  std::string joined;
  for (size_t i = 0, j; i < t.fields.size(); i = j) {
    std::string_view name = name_of(t.fields[i]), value = value_of(t.fields[i]);
    for (j = i + 1; j < t.fields.size() && name_of(t.fields[j]) == name; ++j) {
      if (j == i + 1)
        joined.assign(value);
      joined.append(", ").append(value_of(t.fields[j]));
    }
    out.key(name).value(j == i + 1 ? value : std::string_view(joined));
  }
  out.end_object();
  if (is_json)
    out.key(k.json).value(body_json.take());
  out.key(k.redirects).value(redirects);
  out.key(k.set_cookies).begin_array();
  for (const auto &f : t.fields)
    if (name_of(f) == "set-cookie")
      out.value(value_of(f));
  out.end_array();
  out.key(k.size).value(t.body.size());
  out.key(k.status).value(status);
  out.key(k.time_ms).value(ms(total));
  out.key(k.timing).begin_object();
  out.key(k.connect_ms).value(ms(connect));
  out.key(k.dns_ms).value(ms(dns));
  out.key(k.new_connections).value(connects);
  out.key(k.tls_ms).value(ms(tls_done));
  out.key(k.total_ms).value(ms(total));
  out.key(k.ttfb_ms).value(ms(ttfb));
  out.end_object();
  out.key(k.url).value(url);
  out.end_object();
  return out.take();
}

} // namespace seam::http
