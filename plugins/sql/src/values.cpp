// values.cpp - value conversions shared by the backends.
#include "values.hpp"
#include "pg_types.hpp"

#include <seam/exact_numbers.hpp>

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace seam::sql {

std::string base64_encode(std::string_view in) {
  static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v =
        (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size())
      v |= uint32_t(uint8_t(in[i + 1])) << 8;
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

namespace {

bool digits(std::string_view s, size_t from, size_t n) {
  if (from + n > s.size())
    return false;
  for (size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

// "+02" -> "+02:00", "+0530" -> "+05:30"; anything else unchanged.
std::string normalise_offset(std::string_view tz) {
  if (tz.size() == 3 && digits(tz, 1, 2))
    return std::string(tz) + ":00";
  if (tz.size() == 5 && digits(tz, 1, 4))
    return std::string(tz.substr(0, 3)) + ":" + std::string(tz.substr(3));
  return std::string(tz);
}

} // namespace

std::string iso8601(std::string_view t) {
  // YYYY-MM-DD[ T]HH:MM[:SS[.f...]][Z|±HH[:MM]]
  if (!(digits(t, 0, 4) && t.size() >= 10 && t[4] == '-' && digits(t, 5, 2) && t[7] == '-' &&
        digits(t, 8, 2)))
    return std::string(t);
  if (t.size() == 10)
    return std::string(t);
  if (!((t[10] == ' ' || t[10] == 'T') && digits(t, 11, 2) && t.size() >= 16 && t[13] == ':' &&
        digits(t, 14, 2)))
    return std::string(t);
  std::string out(t.substr(0, 10));
  out += 'T';
  size_t i = 11;
  while (i < t.size() &&
         (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == ':' || t[i] == '.'))
    ++i;
  out.append(t.substr(11, i - 11));
  std::string_view tz = t.substr(i);
  if (!tz.empty() && tz[0] == ' ')
    tz.remove_prefix(1);
  if (tz.empty() || tz == "Z")
    return out + std::string(tz);
  if (tz[0] == '+' || tz[0] == '-')
    return out + normalise_offset(tz);
  return std::string(t); // "BC" and other forms: leave them as the server wrote them
}

json double_value(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

namespace {

// PostgreSQL type OIDs (pg_type.dat); stable across server versions.
enum : unsigned {
  bool_oid = 16,
  bytea_oid = 17,
  int8_oid = 20,
  int2_oid = 21,
  int4_oid = 23,
  oid_oid = 26,
  json_oid = 114,
  float4_oid = 700,
  float8_oid = 701,
  date_oid = 1082,
  time_oid = 1083,
  timestamp_oid = 1114,
  timestamptz_oid = 1184,
  timetz_oid = 1266,
  numeric_oid = 1700,
  jsonb_oid = 3802,
};

json integer_or_text(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size())
    return v;
  uint64_t u = 0;
  auto [pu, ecu] = std::from_chars(s.data(), s.data() + s.size(), u);
  if (ecu == std::errc() && pu == s.data() + s.size())
    return u;
  return std::string(s);
}

json double_or_text(std::string_view s) {
  if (s == "NaN" || s == "Infinity" || s == "-Infinity")
    return std::string(s);
  std::string z(s);
  char *end = nullptr;
  double v = std::strtod(z.c_str(), &end);
  if (end != z.c_str() + z.size())
    return z;
  return double_value(v);
}

} // namespace

json pg_value(unsigned oid, const char *text, int len) {
  std::string_view s(text, static_cast<size_t>(len));
  switch (oid) {
  case bool_oid:
    return s == "t";
  case int2_oid:
  case int4_oid:
  case int8_oid:
  case oid_oid:
    return integer_or_text(s);
  case float4_oid:
  case float8_oid:
    return double_or_text(s);
  case numeric_oid:
    // NaN and +-Infinity as strings, as for floats; any other value exactly
    // (seam/exact_numbers.hpp).
    return exact_number(s);
  case bytea_oid: {
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &n);
    if (raw == nullptr)
      return std::string(s);
    std::string b64 = base64_encode(std::string_view(reinterpret_cast<char *>(raw), n));
    PQfreemem(raw);
    return b64;
  }
  case date_oid:
  case timestamp_oid:
  case timestamptz_oid:
    return iso8601(s);
  case timetz_oid: {
    size_t sign = s.find_last_of("+-");
    if (sign != std::string_view::npos)
      return std::string(s.substr(0, sign)) + normalise_offset(s.substr(sign));
    return std::string(s);
  }
  case time_oid:
    return std::string(s);
  case json_oid:
  case jsonb_oid: {
    json v = json::parse(s, nullptr, false);
    if (v.is_discarded())
      return std::string(s);
    return v;
  }
  default:
    if (const pg_type *t = builtin_pg_type(oid); t && t->element != 0) {
      unsigned element = t->element;
      auto array = pg_array_from_text(s, t->delimiter, [element](const std::string &e) {
        return pg_value(element, e.c_str(), static_cast<int>(e.size()));
      });
      if (array)
        return std::move(*array);
    }
    return std::string(s);
  }
}

std::optional<std::string> pg_param(const json &v, unsigned param_oid) {
  // A list binds as an array, except where the server wants JSON (json,
  // jsonb) or text (a parameter nothing gives a type: SELECT :x).
  if (v.is_array() && param_oid != json_oid && param_oid != jsonb_oid && param_oid != 25 &&
      param_oid != 1043 && param_oid != 0)
    return pg_array_literal(v);
  return pg_param(v);
}

std::optional<std::string> pg_param(const json &v) {
  switch (v.type()) {
  case json::value_t::null:
    return std::nullopt;
  case json::value_t::boolean:
    return v.get<bool>() ? "true" : "false";
  case json::value_t::number_integer:
    return std::to_string(v.get<int64_t>());
  case json::value_t::number_unsigned:
    return std::to_string(v.get<uint64_t>());
  case json::value_t::number_float: {
    char buf[64];
    double d = v.get<double>();
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, ec == std::errc() ? p : buf);
  }
  case json::value_t::string:
    return v.get<std::string>();
  default:
    return v.dump(); // objects and arrays: JSON text, for json/jsonb columns
  }
}

sqlite_decl classify_decltype(const char *decl) {
  if (decl == nullptr)
    return sqlite_decl::none;
  std::string d(decl);
  for (auto &c : d)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (d.find("BOOL") != std::string::npos)
    return sqlite_decl::boolean;
  if (d.find("DEC") != std::string::npos || d.find("NUMERIC") != std::string::npos)
    return sqlite_decl::decimal;
  if (d.find("JSON") != std::string::npos)
    return sqlite_decl::json;
  if (d.find("DATE") != std::string::npos || d.find("TIME") != std::string::npos)
    return sqlite_decl::datetime;
  return sqlite_decl::none;
}

} // namespace seam::sql
