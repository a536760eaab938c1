// signature.hpp - Stripe's webhook signatures: the Stripe-Signature header
// "t=TIMESTAMP,v1=HEX" where HEX is HMAC-SHA256(secret, "TIMESTAMP.BODY"),
// and its verification with a tolerance on the timestamp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seam_stripe {

// Lower-case hex of HMAC-SHA256(key, message) (OpenSSL).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// The Stripe-Signature header for body signed with secret at timestamp
// (seconds since the epoch).
std::string signature_header(std::string_view secret, int64_t timestamp, std::string_view body);

// Seconds since the epoch, now.
int64_t unix_now();

struct verification {
  bool ok = false;
  // Why not, in words a test can match: "no Stripe-Signature header",
  // "malformed Stripe-Signature header", "no v1 signature", "timestamp outside
  // the tolerance", "no signature matches the body".
  std::string reason;
  int64_t timestamp = 0;
};

// Verifies a Stripe-Signature header as the official SDKs do: any v1
// signature may match (secrets being rolled), compared in constant time, and
// the timestamp must be within tolerance seconds of now (tolerance <= 0: not
// checked).
verification verify_signature(std::string_view header, std::string_view body,
                              std::string_view secret, int64_t tolerance_s, int64_t now);

} // namespace seam_stripe
