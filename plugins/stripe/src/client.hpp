// client.hpp - the `client` resource and stripe.request: Stripe's API over
// libcurl with its conventions (form-encoded parameters, Bearer key,
// Idempotency-Key, Stripe-Version, Stripe-Account, expand[]) and its retry
// rules (Stripe-Should-Retry, network errors and 5xx with exponential backoff
// and jitter; other 4xx never).
#pragma once

#include <seam/deadline.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace seam_stripe {

using json = nlohmann::json;

struct client_config {
  std::string api_base = "https://api.stripe.com";
  std::string api_key;
  std::string version; // Stripe-Version ("": the account's default)
  std::string account; // Stripe-Account ("": none)
  int max_retries = 2;
  std::chrono::milliseconds initial_delay{500};
  std::chrono::milliseconds max_delay{5000};
  std::chrono::milliseconds timeout{30000};
};

// Reads a `client` resource table. A live key (sk_live_/rk_live_) is refused
// unless allow_live = true. Throws seam::error naming the field.
client_config parse_client_config(const std::string &name, const json &config);

// Where a request says that it retries (a step's log).
using retry_log = std::function<void(const std::string &)>;

// One Stripe API request, input as stripe.request documents it (method, path,
// params, idempotency_key, version, account, expand, max_retries), within
// `deadline` (each attempt also within the client's timeout). Returns
// {status, json, headers, idempotency_key, attempts, error?}; a non-2xx
// answer is an output, not a failure (expect asserts on it). Throws
// seam::unavailable when the API could not be reached at all (connection
// refused, unknown host) and seam::error when no answer came otherwise
// (deadline, cancelled, connection dropped), after the retries.
json stripe_request(const client_config &config, const json &input,
                    const seam::deadline &deadline = {}, const retry_log &log = {});

// A new idempotency key (a UUID v4 as the SDKs make).
std::string new_idempotency_key();

// The delay before retry number `retry` (1-based), as stripe-node computes it:
// initial * 2^(retry-1) capped at max, jittered to 50..100%, at least
// initial, and at least Retry-After (seconds, when given and <= 60).
std::chrono::milliseconds retry_delay(const client_config &config, int retry,
                                      const std::string &retry_after, double random01);

} // namespace seam_stripe
