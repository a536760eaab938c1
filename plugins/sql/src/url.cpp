// url.cpp - parsing and masking of sql resource URLs.
#include "url.hpp"

#include <seam/plugin.hpp>

#include <cctype>

namespace seam::sql {

std::string_view dialect_name(dialect d) {
  return d == dialect::sqlite ? "sqlite3" : "postgresql";
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

// Userinfo is percent-encoded in URIs (libpq decodes it too): the secret to
// mask is what the server sees, and also what the suite wrote.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

const char *const accepted =
    "use sqlite3://:memory:, sqlite3:///absolute/file.db, sqlite3://relative/file.db or "
    "postgresql://user:password@host:port/database";

} // namespace

std::string mask(std::string text, std::string_view secret) {
  if (secret.empty())
    return text;
  for (size_t pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + 3))
    text.replace(pos, secret.size(), "***");
  return text;
}

db_url parse_url(std::string_view url) {
  db_url u;
  u.text = std::string(url);
  size_t sep = url.find("://");
  if (sep == std::string_view::npos)
    throw seam::error("url \"" + u.text + "\" has no scheme; " + accepted);
  std::string scheme(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);

  if (scheme == "sqlite3" || scheme == "sqlite") {
    u.kind = dialect::sqlite;
    u.target = std::string(rest);
    u.masked = u.text;
    if (u.target.empty())
      throw seam::error("url \"" + u.text + "\" names no database file; " + accepted);
    if (u.target.find('"') != std::string::npos)
      throw seam::error("url \"" + u.text + "\": a file name with a double quote is not supported");
    return u;
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    u.kind = dialect::postgresql;
    u.target = u.text;
    // userinfo is what precedes the last '@' of the authority.
    std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    size_t at = authority.rfind('@');
    u.masked = u.text;
    if (at != std::string_view::npos) {
      std::string_view userinfo = authority.substr(0, at);
      size_t colon = userinfo.find(':');
      if (colon != std::string_view::npos) {
        std::string_view raw = userinfo.substr(colon + 1);
        u.password = percent_decode(raw);
        u.password_raw = std::string(raw);
        size_t begin = sep + 3 + colon + 1;
        u.masked = u.text.substr(0, begin) + "***" + u.text.substr(begin + raw.size());
      }
    }
    // A password given as a query parameter is just as secret.
    size_t q = u.text.find("password=");
    if (u.password.empty() && q != std::string::npos) {
      size_t end = u.text.find('&', q);
      std::string raw = u.text.substr(q + 9, end == std::string::npos ? end : end - q - 9);
      u.password = percent_decode(raw);
      u.password_raw = raw;
      u.masked = u.text.substr(0, q + 9) + "***" +
                 (end == std::string::npos ? std::string() : u.text.substr(end));
    }
    return u;
  }
  throw seam::error("url scheme \"" + scheme + "://\" is not supported by the sql plugin; " +
                    accepted);
}

} // namespace seam::sql
