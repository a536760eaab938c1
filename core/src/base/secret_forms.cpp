// secret_forms.cpp - the encoded forms in which a secret can reach seam's
// output: a service or a plugin echoes it URL-encoded in a query, JSON-escaped
// by another encoder than ours, HTML-escaped in an error page, or base64 in a
// Basic credential or a token. Each form is masked like the secret itself.
#include "seam/core/base/secret_forms.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace seam {
namespace {

constexpr const char *kHexUpper = "0123456789ABCDEF";
constexpr const char *kHexLower = "0123456789abcdef";

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Percent-encoding: `keep` lists what the encoder leaves as it is besides the
// unreserved characters; `plus` writes a space as '+' (HTML forms).
std::string percent(std::string_view s, const char *hex, std::string_view keep, bool plus) {
  std::string out;
  for (unsigned char c : s) {
    if (unreserved(c) || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else if (plus && c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// JSON string escaping as other encoders do it: ours (nlohmann: only '"', '\\'
// and control characters), plus `extra` ASCII characters written \u00XX (Go
// writes <, > and & so), plus '/' as "\/" (PHP), plus non-ASCII as \uXXXX.
std::string json_escaped(std::string_view s, std::string_view extra, bool slash, bool ascii) {
  std::string quoted =
      nlohmann::json(std::string(s)).dump(-1, ' ', ascii, nlohmann::json::error_handler_t::replace);
  std::string_view body(quoted);
  body = body.substr(1, body.size() - 2);
  std::string out;
  for (char c : body) {
    if (extra.find(c) != std::string_view::npos) {
      out += "\\u00";
      out += kHexLower[static_cast<unsigned char>(c) >> 4];
      out += kHexLower[static_cast<unsigned char>(c) & 15];
    } else if (slash && c == '/') {
      out += "\\/";
    } else {
      out += c;
    }
  }
  return out;
}

std::string html_escaped(std::string_view s, std::string_view apostrophe, bool quote) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += quote ? "&quot;" : "\"";
      break;
    case '\'':
      out += apostrophe;
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string base64(std::string_view bytes, bool url) {
  const char *alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0)
    out += alphabet[(acc << (6 - bits)) & 63];
  return out;
}

} // namespace

std::vector<std::string> secret_forms(std::string_view secret) {
  std::vector<std::string> forms;
  auto add = [&](std::string form) {
    if (!form.empty() && form != secret &&
        std::find(forms.begin(), forms.end(), form) == forms.end())
      forms.push_back(std::move(form));
  };
  for (const char *hex : {kHexUpper, kHexLower}) {
    add(percent(secret, hex, "", false));               // RFC 3986 (curl_easy_escape)
    add(percent(secret, hex, "", true));                // forms: space as '+'
    add(percent(secret, hex, "!'()*", false));          // JavaScript's encodeURIComponent
    add(percent(secret, hex, "!$&'()*+,;=:@/", false)); // a path or query left readable
  }
  for (bool ascii : {false, true}) {
    add(json_escaped(secret, "", false, ascii));
    add(json_escaped(secret, "<>&", false, ascii));
    add(json_escaped(secret, "<>&'", false, ascii));
    add(json_escaped(secret, "", true, ascii));
  }
  for (std::string_view apostrophe : {"&#39;", "&#x27;", "&apos;", "'"}) {
    add(html_escaped(secret, apostrophe, true));
    add(html_escaped(secret, apostrophe, false));
  }
  // Base64 of the secret inside longer data ("user:secret" in a Basic
  // credential) depends on where the secret starts modulo 3 bytes: for each
  // start, the characters made of the secret's bits alone are the same
  // wherever it stands. The first and last characters mix in neighbouring
  // bytes and are left out; too short a secret leaves too few characters to
  // mask without hiding unrelated text.
  if (secret.size() >= kMinBase64Secret) {
    for (size_t lead = 0; lead < 3; ++lead) {
      std::string padded(lead, '\0');
      padded += secret;
      size_t first = (lead * 8 + 5) / 6;    // first character of the secret's bits only
      size_t end = (padded.size() * 8) / 6; // characters completed by its last byte
      for (bool url : {false, true}) {
        std::string all = base64(padded, url);
        add(all.substr(first, end - first));
      }
    }
  }
  return forms;
}

} // namespace seam
