// schemas.cpp - see schemas.hpp.
#include "schemas.hpp"

#include <nlohmann/json.hpp>

namespace seam_stripe::schemas {

namespace {

// The options every request step takes (stripe.request and the typed ones).
const char *const kRequestOptions =
    R"J("idempotency_key": {"type": "string", "minLength": 1, "description": "Idempotency-Key (default: a new key per step run, the same for its retries)"},
     "version": {"type": "string", "description": "Stripe-Version for this request (default: the client's)"},
     "account": {"type": "string", "description": "Stripe-Account (a connected account) for this request"},
     "expand": {"type": "array", "items": {"type": "string"}, "description": "fields to expand, e.g. [\"latest_charge\"]"},
     "max_retries": {"type": "integer", "minimum": 0, "description": "retries of network errors and 5xx (default: the client's)"})J";

} // namespace

const char *const client_config = R"J({
  "type": "object",
  "properties": {
    "api_base": {"type": "string", "pattern": "^https?://", "description": "an http(s) URL (default https://api.stripe.com; the emulator's ${resources.NAME.api_base})"},
    "api_key": {"type": "string", "minLength": 1, "x-seam-secret": true, "description": "a secret key, sk_test_...; may come from ${env.STRIPE_API_KEY}"},
    "version": {"type": "string", "description": "Stripe-Version of every request (default: the account's)"},
    "account": {"type": "string", "description": "Stripe-Account of every request"},
    "allow_live": {"type": "boolean", "default": false, "description": "accept a live key (sk_live_...)"},
    "max_retries": {"type": "integer", "minimum": 0, "default": 2},
    "initial_delay": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "500ms", "description": "a duration: the first retry delay, doubled each retry"},
    "max_delay": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "5s", "description": "a duration: the longest retry delay"},
    "timeout": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "30s", "description": "a duration: of one attempt"}
  },
  "required": ["api_key"],
  "additionalProperties": false,
  "x-seam-attributes": {
    "api_base": {"type": "string", "description": "the API's base URL, without a trailing /"}
  }
})J";

const char *const mock_config = R"J({
  "type": "object",
  "properties": {
    "port": {"type": "integer", "minimum": 0, "maximum": 65535, "default": 0, "description": "0: a free port"},
    "webhooks": {"type": "array", "description": "endpoints every event is delivered to, signed",
      "items": {"type": "object",
        "properties": {
          "url": {"type": "string", "pattern": "^https?://", "description": "an http(s) URL"},
          "secret": {"type": "string", "minLength": 1, "x-seam-secret": true, "description": "the endpoint's signing secret, whsec_..."},
          "events": {"type": "array", "items": {"type": "string"}, "description": "event types (default [\"*\"])"}},
        "required": ["url", "secret"], "additionalProperties": false}},
    "webhook_retry": {"type": "object",
      "properties": {
        "attempts": {"type": "integer", "minimum": 1, "default": 4},
        "interval": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "200ms", "description": "a duration: the first retry's delay"},
        "backoff": {"type": "number", "minimum": 1, "default": 2},
        "timeout": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "5s", "description": "a duration: of one attempt"}},
      "additionalProperties": false},
    "faults": {"type": "array", "description": "injected failures, the first that matches a request applies",
      "items": {"type": "object",
        "properties": {
          "method": {"enum": ["GET", "POST", "DELETE"]},
          "path": {"type": "string", "description": "exact, or a prefix ending with *"},
          "status": {"type": "integer", "minimum": 400, "maximum": 599},
          "times": {"type": "integer", "minimum": 1, "description": "requests it applies to (default: all)"},
          "latency": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "description": "delay before answering, e.g. \"200ms\""},
          "should_retry": {"type": "boolean", "description": "sends Stripe-Should-Retry"}},
        "additionalProperties": false}}
  },
  "additionalProperties": false,
  "x-seam-attributes": {
    "api_base": {"type": "string", "description": "the emulator's URL, for a client's api_base (or the system under test's)"},
    "url": {"type": "string", "description": "the same URL, http://127.0.0.1:PORT"},
    "host": {"type": "string", "description": "127.0.0.1"},
    "port": {"type": "integer", "description": "the port it listens on"}
  }
})J";

const char *const webhooks_config = R"J({
  "type": "object",
  "properties": {
    "port": {"type": "integer", "minimum": 0, "maximum": 65535, "default": 0},
    "secret": {"type": "string", "minLength": 1, "x-seam-secret": true, "description": "the signing secret, whsec_..."},
    "tolerance": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "300s", "description": "a duration: the largest age of a signature's timestamp (\"0s\": any)"},
    "fail_first": {"type": "integer", "minimum": 0, "default": 0, "description": "answer 500 to that many deliveries (to test retries)"}
  },
  "required": ["secret"],
  "additionalProperties": false,
  "x-seam-attributes": {
    "url": {"type": "string", "description": "where to deliver webhooks: http://127.0.0.1:PORT/webhooks"},
    "host": {"type": "string", "description": "127.0.0.1"},
    "port": {"type": "integer", "description": "the port it listens on"},
    "path": {"type": "string", "description": "/webhooks"}
  }
})J";

std::string request_input() {
  return std::string(R"J({
  "type": "object",
  "properties": {
    "method": {"enum": ["GET", "POST", "DELETE", "get", "post", "delete"], "default": "GET"},
    "path": {"type": "string", "pattern": "^/", "description": "a path such as /v1/customers"},
    "params": {"type": "object", "description": "parameters, form-encoded as Stripe expects (nested tables and arrays with brackets)"},
    )J") +
         kRequestOptions + R"J(
  },
  "required": ["path"],
  "additionalProperties": false
})J";
}

std::string typed_input(bool has_id, const char *params_properties, const char *required,
                        const std::string &unknown_hint) {
  std::string s = R"J({"type": "object", "properties": {)J";
  if (has_id)
    s += R"J("id": {"type": "string", "minLength": 1, "description": "the object's id"},)J";
  s += params_properties;
  s += kRequestOptions;
  s += R"J(}, "required": [)J";
  s += required;
  // Only the parameters listed: a misspelt one would otherwise reach Stripe
  // and come back as a 400 at run time, or worse, be ignored by a mock.
  s += R"J(], "additionalProperties": false, "x-seam-unknown-hint": )J";
  s += nlohmann::json(unknown_hint).dump();
  s += "}";
  return s;
}

const char *const response_output = R"J({
  "type": "object",
  "properties": {
    "status": {"type": "integer", "description": "HTTP status"},
    "json": {"description": "the answer's body"},
    "headers": {"type": "object", "description": "response headers, lower-case (request-id, idempotent-replayed...)"},
    "error": {"type": "object", "description": "on errors: type, code, decline_code, param, message"},
    "idempotency_key": {"type": ["string", "null"]},
    "attempts": {"type": "integer", "description": "requests sent, retries included"},
    "tries": {"type": "array", "description": "each attempt's status (0: no answer) and error"}
  }
})J";

std::string list_input() {
  return std::string(R"J({
  "type": "object",
  "properties": {
    "path": {"type": "string", "pattern": "^/", "description": "a list endpoint such as /v1/customers"},
    "params": {"type": "object", "description": "filters, e.g. { customer = \"cus_...\" }"},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100},
    "max": {"type": "integer", "minimum": 1, "default": 1000, "description": "stop after that many objects"},
    )J") +
         kRequestOptions + R"J(
  },
  "required": ["path"],
  "additionalProperties": false
})J";
}

const char *const list_output = R"J({
  "type": "object",
  "properties": {
    "data": {"type": "array"}, "count": {"type": "integer"}, "pages": {"type": "integer"},
    "has_more": {"type": "boolean", "description": "true when `max` stopped the listing"}
  }
})J";

const char *const mock_calls_input = R"J({
  "type": "object",
  "properties": {
    "method": {"enum": ["GET", "POST", "DELETE"]},
    "path": {"type": "string", "description": "exact path"},
    "match": {"type": "object", "description": "an expect-style table each call must satisfy, e.g. { \"params.amount\" = \"2000\" }"}
  },
  "additionalProperties": false
})J";

const char *const events_input = R"J({
  "type": "object",
  "properties": {
    "type": {"type": "string", "description": "event type, e.g. payment_intent.succeeded"},
    "match": {"type": "object", "description": "an expect-style table each event must satisfy"},
    "min_count": {"type": "integer", "minimum": 0, "default": 0, "description": "wait until that many match"},
    "delivered": {"type": "boolean", "description": "wait until matching events' webhook deliveries are settled"},
    "wait": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "0s", "description": "a duration: how long to wait for min_count / delivered"}
  },
  "additionalProperties": false
})J";

const char *const webhook_send_input = R"J({
  "type": "object",
  "properties": {
    "url": {"type": "string", "pattern": "^https?://", "description": "an http(s) URL"},
    "secret": {"type": "string", "minLength": 1, "x-seam-secret": true, "description": "signing secret, whsec_..."},
    "event": {"type": "object", "description": "the event: type and data.object at least; id, created... are filled in",
              "properties": {"type": {"type": "string"}}, "required": ["type"]},
    "timestamp": {"type": "integer", "description": "the signature's timestamp (default: now)"},
    "tamper": {"type": "boolean", "default": false, "description": "alter the body after signing"}
  },
  "required": ["url", "secret", "event"],
  "additionalProperties": false
})J";

const char *const webhook_send_output = R"J({
  "type": "object",
  "properties": {
    "status": {"type": "integer"}, "body": {"type": "string"}, "json": {},
    "event": {"type": "object", "description": "the event as sent"}
  }
})J";

const char *const webhook_wait_input = R"J({
  "type": "object",
  "properties": {
    "until": {"type": "object", "description": "an expect-style table on the delivery: type, id, event.data.object.id, verified..."},
    "signature": {"enum": ["valid", "invalid", "any"], "default": "valid", "description": "which deliveries count"},
    "timeout": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$", "default": "10s", "description": "a duration such as \"10s\""}
  },
  "additionalProperties": false
})J";

const char *const webhook_wait_output = R"J({
  "type": "object",
  "properties": {
    "verified": {"type": "boolean"}, "reason": {"type": "string", "description": "why the signature was refused"},
    "id": {"type": "string"}, "type": {"type": "string"}, "event": {}, "status": {"type": "integer"},
    "signature": {"type": "string"}
  }
})J";

} // namespace seam_stripe::schemas
