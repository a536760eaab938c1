// client.cpp - see client.hpp.
#include "client.hpp"

#include "config_duration.hpp"
#include "form.hpp"
#include "http_call.hpp"

#include <seam/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

namespace seam_stripe {

namespace {

std::mt19937_64 &rng() {
  thread_local std::mt19937_64 r(std::random_device{}());
  return r;
}

std::chrono::milliseconds duration_field(const json &config, const char *key,
                                         const std::string &where,
                                         std::chrono::milliseconds fallback) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      config_duration(config, key, where, fallback));
}

bool is_live(const std::string &key) {
  return key.rfind("sk_live_", 0) == 0 || key.rfind("rk_live_", 0) == 0;
}

// Whether to retry after this answer, by Stripe's rules.
bool should_retry(const http_result &r) {
  if (r.status == 0)
    return true; // no answer: the request may not have arrived
  auto h = r.headers.find("stripe-should-retry");
  if (h != r.headers.end() && h->second == "false")
    return false;
  if (h != r.headers.end() && h->second == "true")
    return true;
  return r.status >= 500;
}

} // namespace

client_config parse_client_config(const std::string &name, const json &config) {
  std::string where = "resources." + name;
  client_config c;
  c.api_base = config.value("api_base", c.api_base);
  while (!c.api_base.empty() && c.api_base.back() == '/')
    c.api_base.pop_back();
  if (c.api_base.rfind("http://", 0) != 0 && c.api_base.rfind("https://", 0) != 0)
    throw seam::error(where + ".api_base is \"" + c.api_base +
                      "\", not an http(s) URL; hint: ${resources.MOCK.api_base} for the emulator");
  c.api_key = config.value("api_key", "");
  if (c.api_key.empty())
    throw seam::error(where + ".api_key is empty; hint: api_key = \"${env.STRIPE_API_KEY}\"");
  if (is_live(c.api_key) && !config.value("allow_live", false))
    throw seam::error(where +
                      ".api_key is a live key (sk_live_...): refused, as a test suite "
                      "must not move real money; hint: use a test key (sk_test_...), or set "
                      "allow_live = true if you really mean it");
  c.version = config.value("version", "");
  c.account = config.value("account", "");
  c.max_retries = config.value("max_retries", c.max_retries);
  if (c.max_retries < 0)
    throw seam::error(where + ".max_retries must be >= 0");
  c.initial_delay = duration_field(config, "initial_delay", where, c.initial_delay);
  c.max_delay = duration_field(config, "max_delay", where, c.max_delay);
  c.timeout = duration_field(config, "timeout", where, c.timeout);
  return c;
}

std::string new_idempotency_key() {
  std::uniform_int_distribution<int> hex(0, 15);
  static const char *digits = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20)
      out += '-';
    int d = hex(rng());
    if (i == 12)
      d = 4;
    else if (i == 16)
      d = 8 | (d & 3);
    out += digits[d];
  }
  return out;
}

std::chrono::milliseconds retry_delay(const client_config &config, int retry,
                                      const std::string &retry_after, double random01) {
  double initial = static_cast<double>(config.initial_delay.count());
  double ms =
      std::min(initial * std::pow(2.0, retry - 1), static_cast<double>(config.max_delay.count()));
  ms *= 0.5 * (1 + random01);
  ms = std::max(initial, ms);
  if (!retry_after.empty()) {
    char *end = nullptr;
    double s = std::strtod(retry_after.c_str(), &end);
    if (end != retry_after.c_str() && *end == '\0' && s >= 0 && s <= 60)
      ms = std::max(ms, s * 1000);
  }
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

json stripe_request(const client_config &config, const json &input, const seam::deadline &deadline,
                    const retry_log &log) {
  std::string method = input.value("method", "GET");
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (method != "GET" && method != "POST" && method != "DELETE")
    throw seam::error("stripe.request: method is \"" + method +
                      "\"; Stripe's API takes GET, POST and DELETE");
  std::string path = input.value("path", "");
  if (path.empty() || path[0] != '/')
    throw seam::error("stripe.request: path \"" + path +
                      "\" must start with /, such as \"/v1/customers\"");
  json params = input.value("params", json::object());
  if (auto e = input.find("expand"); e != input.end())
    params["expand"] = *e;
  std::string encoded = form_encode(params);

  std::string url = config.api_base + path;
  http_request request;
  request.method = method;
  request.headers.push_back("Authorization: Bearer " + config.api_key);
  request.headers.push_back("User-Agent: seam-stripe/0.1");
  std::string version = input.value("version", config.version);
  if (!version.empty())
    request.headers.push_back("Stripe-Version: " + version);
  std::string account = input.value("account", config.account);
  if (!account.empty())
    request.headers.push_back("Stripe-Account: " + account);
  // One key for all attempts of this call, so that a retry cannot charge twice.
  std::string key = input.value("idempotency_key", "");
  if (key.empty() && method == "POST")
    key = new_idempotency_key();
  if (!key.empty())
    request.headers.push_back("Idempotency-Key: " + key);
  if (method == "POST") {
    request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    request.body = encoded;
  } else if (!encoded.empty()) {
    url += (path.find('?') == std::string::npos ? "?" : "&") + encoded;
  }
  request.url = url;
  int max_retries = input.value("max_retries", config.max_retries);

  json attempts = json::array();
  for (int attempt = 0;; ++attempt) {
    request.deadline = deadline.within(config.timeout);
    http_result r = http_call(request);
    json a = {{"status", r.status}};
    if (!r.error.empty())
      a["error"] = r.error;
    attempts.push_back(a);
    if (deadline.done() || attempt >= max_retries || !should_retry(r)) {
      if (r.status == 0) {
        std::string what = "stripe.request: " + method + " " + url + " got no answer after " +
                           std::to_string(attempt + 1) + " attempt(s): " + r.error;
        if (r.unreachable && !deadline.done())
          throw seam::unavailable(what);
        throw seam::error(what);
      }
      json out = {{"status", r.status}, {"attempts", attempt + 1}};
      json headers = json::object();
      for (const auto &[k, v] : r.headers)
        headers[k] = v;
      out["headers"] = headers;
      out["idempotency_key"] = key.empty() ? json(nullptr) : json(key);
      json body = json::parse(r.body, nullptr, false);
      out["json"] = body.is_discarded() ? json(nullptr) : body;
      if (body.is_discarded())
        out["body"] = r.body;
      if (r.status >= 400 && body.is_object() && body.contains("error"))
        out["error"] = body["error"];
      out["tries"] = attempts;
      return out;
    }
    auto h = r.headers.find("retry-after");
    auto delay = retry_delay(config, attempt + 1, h == r.headers.end() ? "" : h->second,
                             std::uniform_real_distribution<double>(0, 1)(rng()));
    if (log)
      log("stripe.request: " + method + " " + path + " answered " +
          (r.status ? std::to_string(r.status) : r.error) + "; retry " +
          std::to_string(attempt + 1) + " of " + std::to_string(max_retries) + " in " +
          std::to_string(delay.count()) + " ms");
    // The backoff, cut short by the step's deadline or cancellation.
    seam::deadline pause = deadline.within(delay);
    while (!pause.done())
      std::this_thread::sleep_for(pause.bounded(std::chrono::milliseconds(20)));
  }
}

} // namespace seam_stripe
