// The `format` assertions of the schema matcher: RFC 3339 dates and times,
// e-mail addresses (RFC 5321's dot-atom form), UUIDs (RFC 4122), URIs
// (RFC 3986), IPv4 and IPv6 addresses (inet_pton), host names (RFC 1123),
// JSON pointers (RFC 6901) and regular expressions (RE2). Hand-written
// scanners, no regexes: a megabyte of text is read once, in linear time.
#include "seam/core/expect/json_schema.hpp"

#include "seam/core/base/regex.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <string_view>

namespace seam {

namespace {

bool digits(std::string_view s, size_t at, size_t n, int *out) {
  if (at + n > s.size())
    return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool full_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || !digits(s, 0, 4, &y) || s[4] != '-' || !digits(s, 5, 2, &m) ||
      s[7] != '-' || !digits(s, 8, 2, &d))
    return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1)
    return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// HH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
bool full_time(std::string_view s) {
  int h = 0, m = 0, sec = 0;
  if (!digits(s, 0, 2, &h) || s.size() < 8 || s[2] != ':' || !digits(s, 3, 2, &m) || s[5] != ':' ||
      !digits(s, 6, 2, &sec))
    return false;
  if (h > 23 || m > 59 || sec > 60)
    return false;
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      ++i;
    if (i == start)
      return false;
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z'))
    return i + 1 == s.size();
  int oh = 0, om = 0;
  if (i + 6 != s.size() || (s[i] != '+' && s[i] != '-') || !digits(s, i + 1, 2, &oh) ||
      s[i + 3] != ':' || !digits(s, i + 4, 2, &om))
    return false;
  return oh <= 23 && om <= 59;
}

bool date_time(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't'))
    return false;
  return full_date(s.substr(0, 10)) && full_time(s.substr(11));
}

bool hostname(std::string_view s) {
  if (s.empty() || s.size() > 253)
    return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
        return false;
    if (dot == std::string_view::npos)
      return true;
    start = dot + 1;
  }
}

bool email(std::string_view s) {
  auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size())
    return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos)
    return false;
  for (char c : local)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) == std::string_view::npos)
      return false;
  if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']') {
    std::string ip(domain.substr(1, domain.size() - 2));
    unsigned char buf[16];
    if (ip.rfind("IPv6:", 0) == 0)
      return inet_pton(AF_INET6, ip.c_str() + 5, buf) == 1;
    return inet_pton(AF_INET, ip.c_str(), buf) == 1;
  }
  return hostname(domain);
}

bool uuid(std::string_view s) {
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
      return false;
  }
  return true;
}

bool uri_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~!$&'()*+,;=:@/?#[]%").find(c) != std::string_view::npos;
}

// RFC 3986 URI-reference characters, with every '%' starting an escape;
// `absolute`: a scheme first.
bool uri(std::string_view s, bool absolute) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (!uri_char(s[i]))
      return false;
    if (s[i] == '%' && (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
                        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))))
      return false;
  }
  size_t colon = s.find(':');
  size_t first_delim = s.find_first_of("/?#");
  bool has_scheme = colon != std::string_view::npos && colon > 0 &&
                    (first_delim == std::string_view::npos || colon < first_delim) &&
                    std::isalpha(static_cast<unsigned char>(s[0]));
  if (has_scheme)
    for (size_t i = 0; i < colon; ++i)
      if (!std::isalnum(static_cast<unsigned char>(s[i])) && s[i] != '+' && s[i] != '-' &&
          s[i] != '.')
        has_scheme = false;
  if (absolute && !has_scheme)
    return false;
  // '[' and ']' only around an IP literal in the authority.
  size_t lb = s.find('['), rb = s.find(']');
  if (lb != std::string_view::npos || rb != std::string_view::npos) {
    size_t auth = s.find("//");
    if (auth == std::string_view::npos || lb == std::string_view::npos ||
        rb == std::string_view::npos || lb < auth || rb < lb)
      return false;
    unsigned char buf[16];
    std::string ip(s.substr(lb + 1, rb - lb - 1));
    if (inet_pton(AF_INET6, ip.c_str(), buf) != 1)
      return false;
  }
  return true;
}

bool json_pointer(std::string_view s) {
  if (!s.empty() && s[0] != '/')
    return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '~' && (i + 1 == s.size() || (s[i + 1] != '0' && s[i + 1] != '1')))
      return false;
  return true;
}

} // namespace

bool format_holds(const std::string &format, const std::string &value) {
  if (format == "date-time")
    return date_time(value);
  if (format == "date")
    return full_date(value);
  if (format == "time")
    return full_time(value);
  if (format == "email")
    return email(value);
  if (format == "uuid")
    return uuid(value);
  if (format == "uri")
    return uri(value, true);
  if (format == "uri-reference")
    return uri(value, false);
  if (format == "hostname")
    return hostname(value);
  if (format == "json-pointer")
    return json_pointer(value);
  if (format == "ipv4" || format == "ipv6") {
    unsigned char buf[16];
    if (value.find('\0') != std::string::npos)
      return false;
    return inet_pton(format == "ipv4" ? AF_INET : AF_INET6, value.c_str(), buf) == 1;
  }
  if (format == "regex") {
    std::string why;
    return Regex::compile(value, &why).has_value();
  }
  return true;
}

} // namespace seam
