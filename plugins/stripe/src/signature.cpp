// signature.cpp - see signature.hpp.
#include "signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace seam_stripe {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char *>(message.data()), message.size(), digest,
           &len) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
  static const char *hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string signature_header(std::string_view secret, int64_t timestamp, std::string_view body) {
  std::string ts = std::to_string(timestamp);
  std::string payload = ts + "." + std::string(body);
  return "t=" + ts + ",v1=" + hmac_sha256_hex(secret, payload);
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

verification verify_signature(std::string_view header, std::string_view body,
                              std::string_view secret, int64_t tolerance_s, int64_t now) {
  verification v;
  if (header.empty()) {
    v.reason = "no Stripe-Signature header";
    return v;
  }
  bool have_t = false;
  std::vector<std::string_view> signatures;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view item =
        header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      continue;
    std::string_view k = item.substr(0, eq), value = item.substr(eq + 1);
    if (k == "t") {
      std::string text(value);
      char *end = nullptr;
      long long t = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0') {
        v.reason = "malformed Stripe-Signature header (t is not a number)";
        return v;
      }
      v.timestamp = t;
      have_t = true;
    } else if (k == "v1") {
      signatures.push_back(value);
    }
  }
  if (!have_t) {
    v.reason = "malformed Stripe-Signature header (no t=TIMESTAMP)";
    return v;
  }
  if (signatures.empty()) {
    v.reason = "no v1 signature in the Stripe-Signature header";
    return v;
  }
  std::string expected =
      hmac_sha256_hex(secret, std::to_string(v.timestamp) + "." + std::string(body));
  bool matched = false;
  for (auto s : signatures)
    if (s.size() == expected.size() && CRYPTO_memcmp(s.data(), expected.data(), s.size()) == 0)
      matched = true;
  if (!matched) {
    v.reason = "no signature matches the body (wrong secret or altered body)";
    return v;
  }
  if (tolerance_s > 0 && std::llabs(now - v.timestamp) > tolerance_s) {
    v.reason = "timestamp outside the tolerance (" + std::to_string(now - v.timestamp) +
               " s old, tolerance " + std::to_string(tolerance_s) + " s)";
    return v;
  }
  v.ok = true;
  return v;
}

} // namespace seam_stripe
