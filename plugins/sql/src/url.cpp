// url.cpp - parsing and masking of sql resource URLs.
#include "url.hpp"

#include <seam/plugin.hpp>

#include <algorithm>
#include <cctype>

namespace seam::sql {

std::string_view dialect_name(dialect d) { return d == dialect::sqlite ? "sqlite3" : "postgresql"; }

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

bool scheme_like(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0])))
    return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  return true;
}

} // namespace

std::vector<std::string> url_secrets(std::string_view text) {
  std::vector<std::string> out;
  auto add = [&](std::string_view raw) {
    for (std::string s : {std::string(raw), percent_decode(raw)})
      if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end())
        out.push_back(std::move(s));
  };
  // Where the user info may start: after "scheme://"; without "://", at the
  // very start ("user:pw@host") and after "scheme:" and its slashes
  // ("postgresql:/user:pw@host").
  std::vector<size_t> starts;
  if (size_t sep = text.find("://"); sep != std::string_view::npos) {
    starts.push_back(sep + 3);
  } else {
    starts.push_back(0);
    size_t colon = text.find(':');
    if (colon != std::string_view::npos && scheme_like(text.substr(0, colon))) {
      size_t s = colon + 1;
      while (s < text.size() && text[s] == '/')
        ++s;
      starts.push_back(s);
    }
  }
  // The user info ends at the last '@': a password may hold '/', '?' or '@'
  // that its author did not encode.
  size_t at = text.rfind('@');
  for (size_t start : starts) {
    if (at == std::string_view::npos || at < start)
      continue;
    std::string_view userinfo = text.substr(start, at - start);
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos)
      add(userinfo.substr(colon + 1));
  }
  // password=VALUE: a URI parameter, or a libpq "key=value" string.
  for (size_t p = text.find("password="); p != std::string_view::npos;
       p = text.find("password=", p + 9)) {
    size_t b = p + 9, e = text.find_first_of("& \t", b);
    add(text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  return out;
}

std::string mask(std::string text, std::string_view secret) {
  if (secret.empty())
    return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
    text.replace(pos, secret.size(), "***");
  return text;
}

std::string mask(std::string text, const std::vector<std::string> &secrets) {
  for (const auto &s : secrets)
    text = mask(std::move(text), s);
  return text;
}

std::string db_url::mask(std::string message) const {
  return sql::mask(std::move(message), secrets);
}

db_url parse_url(std::string_view url) {
  db_url u;
  u.text = std::string(url);
  u.secrets = url_secrets(url);
  u.masked = sql::mask(u.text, u.secrets);
  const std::string shown = "url \"" + u.masked + "\"";
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    size_t colon = url.find(':');
    if (colon != std::string_view::npos && scheme_like(url.substr(0, colon)) &&
        colon + 1 < url.size() && url[colon + 1] == '/')
      throw seam::error(shown + " needs two slashes after \"" + std::string(url.substr(0, colon)) +
                        ":\" (" + std::string(url.substr(0, colon)) + "://...); " + accepted);
    throw seam::error(shown + " has no scheme; " + accepted);
  }
  std::string scheme(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);

  if (scheme == "sqlite3" || scheme == "sqlite") {
    u.kind = dialect::sqlite;
    u.target = std::string(rest);
    if (u.target.empty())
      throw seam::error(shown + " names no database file; " + accepted);
    if (u.target.find('"') != std::string::npos)
      throw seam::error(shown + ": a file name with a double quote is not supported");
    return u;
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    u.kind = dialect::postgresql;
    u.target = u.text;
    // The user info is what precedes the '@'. libpq ends it at the first '/'
    // and takes the first '@', so a password with an unencoded '/', '?', '#'
    // or '@' would be read as a host or a port, and the server's complaint
    // would quote a piece of it: refuse it here, masked.
    size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
      std::string_view userinfo = rest.substr(0, at);
      if (size_t bad = userinfo.find_first_of("/?#@"); bad != std::string_view::npos)
        throw seam::error(shown + ": the user name or password holds '" +
                          std::string(1, userinfo[bad]) +
                          "' (or a parameter value holds '@'), which ends the host part of a "
                          "URL; percent-encode it: '/' as %2F, '?' as %3F, '#' as %23, '@' as "
                          "%40");
      size_t colon = userinfo.find(':');
      if (colon != std::string_view::npos) {
        u.password_raw = std::string(userinfo.substr(colon + 1));
        u.password = percent_decode(u.password_raw);
      }
    }
    // A password given as a query parameter is just as secret.
    size_t q = u.text.find("password=");
    if (u.password.empty() && q != std::string::npos) {
      size_t end = u.text.find('&', q);
      u.password_raw = u.text.substr(q + 9, end == std::string::npos ? end : end - q - 9);
      u.password = percent_decode(u.password_raw);
    }
    return u;
  }
  throw seam::error(shown + ": scheme \"" + sql::mask(scheme, u.secrets) +
                    "://\" is not supported by the sql plugin; " + accepted);
}

} // namespace seam::sql
