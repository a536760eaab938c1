// seam/json_write.hpp - a json tree as compact JSON text: the text of
// value.dump(-1, ' ', false, json::error_handler_t::replace), written
// faster.
//
// A step's output goes to the host as text. nlohmann's serializer runs each
// byte of each string through a UTF-8 decoder; here a string is scanned
// with a table and copied in runs, its UTF-8 checked by simdjson's
// validator (with SEAM_SDK_SIMDJSON), doubles are written by nlohmann's own
// digit generator, and only a string with invalid UTF-8 (which nlohmann
// replaces) and the types outputs never hold are left to its serializer:
// the text is the same byte for byte.
#ifndef SEAM_JSON_WRITE_HPP
#define SEAM_JSON_WRITE_HPP

#include <nlohmann/json.hpp>

#ifdef SEAM_SDK_SIMDJSON
#include <simdjson.h>
#endif

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace seam {

namespace json_write_detail {

// Which bytes a string cannot hold as they are: `escaped` for those written
// as two characters ('"', '\\', \b \f \n \r \t), `escaped_hex` for the
// other control characters (\u00xx), `high` for those above ASCII (UTF-8,
// which must be valid), 0 for the rest.
enum : unsigned char { escaped = 1, high = 2, escaped_hex = 3 };
struct byte_classes {
  unsigned char of[256] = {};
  unsigned char widens[256] = {}; // how many bytes its escape adds
  char second[256] = {};          // an `escaped` byte's escape after the '\\'
  constexpr byte_classes() {
    for (int c = 0; c < 0x20; ++c) {
      of[c] = escaped_hex;
      widens[c] = 5;
    }
    const char two[][2] = {{'"', '"'},  {'\\', '\\'}, {'\b', 'b'}, {'\f', 'f'},
                           {'\n', 'n'}, {'\r', 'r'},  {'\t', 't'}};
    for (const auto &e : two) {
      auto c = static_cast<unsigned char>(e[0]);
      of[c] = escaped;
      widens[c] = 1;
      second[c] = e[1];
    }
    for (int c = 0x80; c < 0x100; ++c)
      of[c] = high;
  }
};
inline constexpr byte_classes classes{};

// True when `s` holds a byte above 0x7F that is not part of valid UTF-8:
// nlohmann replaces those (U+FFFD).
inline bool needs_replacing(std::string_view s, size_t from) {
#ifdef SEAM_SDK_SIMDJSON
  return !simdjson::validate_utf8(s.data() + from, s.size() - from);
#else
  (void)s;
  (void)from;
  return true; // nlohmann decides
#endif
}

template <typename Int> void append_integer(std::string &out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

// A double of at most three decimals, at least 0.001 and below 10^9 in
// magnitude (a duration in milliseconds, a price), written from its whole
// count of thousandths; false for any other. Its text is the one decimal
// with at most three decimals that reads back as the double, which is the
// text nlohmann's digit generator gives too (sdk_test compares them over
// hundreds of thousands of values), in a quarter of the instructions.
inline bool append_thousandths(std::string &out, double v) {
  double a = std::fabs(v);
  if (!(a >= 1e-3 && a < 1e9))
    return false;
  // Within 10^12 a double's error times 1000 stays far below one half: the
  // count is the decimal's, if the double is one.
  auto n = static_cast<uint64_t>(std::nearbyint(a * 1000));
  if (static_cast<double>(n) / 1000 != a)
    return false;
  char buf[24];
  char *p = buf;
  if (v < 0)
    *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, n / 1000).ptr;
  *p++ = '.';
  unsigned frac = static_cast<unsigned>(n % 1000);
  if (frac == 0) {
    *p++ = '0';
  } else {
    p[0] = static_cast<char>('0' + frac / 100);
    p[1] = static_cast<char>('0' + frac / 10 % 10);
    p[2] = static_cast<char>('0' + frac % 10);
    p += frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
  }
  out.append(buf, static_cast<size_t>(p - buf));
  return true;
}

// As nlohmann's serializer writes a double: null when not finite, else its
// shortest digits (Grisu2) with ".0" on a whole number.
inline void append_double(std::string &out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  if (append_thousandths(out, v))
    return;
  char buf[64];
  char *end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(end - buf));
}

} // namespace json_write_detail

namespace json_write_detail {
// Whether `s` goes into a JSON string as it is: ASCII, nothing to escape.
inline bool is_plain(std::string_view s) {
  for (char c : s)
    if (classes.of[static_cast<unsigned char>(c)] != 0)
      return false;
  return true;
}

// Writes `s` at `p` (which has room for its escapes), each byte as it is or
// escaped (the classes of escaped bytes are odd); or-s every byte into
// `bits`. Returns the end.
inline char *write_escaped(char *p, std::string_view s, unsigned char &bits) {
  static constexpr char hex[] = "0123456789abcdef";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bits |= c;
    if ((classes.of[c] & 1) == 0) {
      *p++ = ch;
    } else if (classes.of[c] == escaped) {
      p[0] = '\\';
      p[1] = classes.second[c];
      p += 2;
    } else { // \u00xx
      p[0] = '\\';
      p[1] = 'u';
      p[2] = '0';
      p[3] = '0';
      p[4] = hex[c >> 4];
      p[5] = hex[c & 0xF];
      p += 6;
    }
  }
  return p;
}
// Strings up to this long are escaped in one pass into a buffer on the
// stack (room for every byte's longest escape) and appended in one copy.
inline constexpr size_t kShortString = 256;
// A string with invalid UTF-8, as nlohmann writes it (U+FFFD in place).
inline void append_replacing(std::string &out, std::string_view s) {
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
} // namespace json_write_detail

// `s` quoted, escaped as nlohmann escapes without ensure_ascii: '"', '\\',
// \b \f \n \r \t, other control characters as \u00xx; the rest as is
// (valid UTF-8 included; a string with invalid UTF-8 is nlohmann's to
// write, with U+FFFD in its place).
inline void append_json_string(std::string &out, std::string_view s) {
  using namespace json_write_detail;
  const auto &cls = classes.of;
  unsigned char bits = 0; // every byte or-ed: above ASCII when 0x80 is set
  if (s.size() <= kShortString) {
    // Most strings: one pass into a buffer on the stack, the plain ASCII
    // start (all of most strings) in one copy.
    char buf[kShortString * 6 + 2];
    char *p = buf;
    *p++ = '"';
    size_t i = 0;
    while (i < s.size() && cls[static_cast<unsigned char>(s[i])] == 0)
      ++i;
    if (i > 0)
      std::memcpy(p, s.data(), i);
    p = write_escaped(p + i, s.substr(i), bits);
    *p++ = '"';
    if ((bits & 0x80) != 0 && needs_replacing(s, 0))
      append_replacing(out, s);
    else
      out.append(buf, static_cast<size_t>(p - buf));
    return;
  }
  // A long one: one pass finds the escaped length, and the string is then
  // written in place, in one copy when nothing needs an escape.
  size_t extra = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    extra += classes.widens[c];
    bits |= c;
  }
  if ((bits & 0x80) != 0 && needs_replacing(s, 0)) {
    append_replacing(out, s);
    return;
  }
  size_t start = out.size();
  out.resize(start + s.size() + extra + 2);
  char *p = out.data() + start;
  *p++ = '"';
  if (extra == 0) {
    if (!s.empty())
      std::memcpy(p, s.data(), s.size());
    p += s.size();
  } else {
    p = write_escaped(p, s, bits);
  }
  *p = '"';
}

// A member's name as an object's text has it, `"name":`, after a ',' when
// `comma`. A plain name (most of them) is written in one copy.
inline void append_json_key(std::string &out, std::string_view name, bool comma) {
  if (json_write_detail::is_plain(name)) {
    size_t at = out.size();
    out.resize(at + comma + name.size() + 3);
    char *p = out.data() + at;
    if (comma)
      *p++ = ',';
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    p[0] = '"';
    p[1] = ':';
    return;
  }
  if (comma)
    out += ',';
  append_json_string(out, name);
  out += ':';
}

// Appends the text of `v` to `out`.
inline void append_json(std::string &out, const nlohmann::json &v) {
  using nlohmann::json;
  switch (v.type()) {
  case json::value_t::object: {
    out += '{';
    bool first = true;
    for (const auto &[key, value] : v.get_ref<const json::object_t &>()) {
      append_json_key(out, key, !first);
      first = false;
      append_json(out, value);
    }
    out += '}';
    return;
  }
  case json::value_t::array: {
    out += '[';
    bool first = true;
    for (const auto &item : v.get_ref<const json::array_t &>()) {
      if (!first)
        out += ',';
      first = false;
      append_json(out, item);
    }
    out += ']';
    return;
  }
  case json::value_t::string:
    append_json_string(out, v.get_ref<const std::string &>());
    return;
  case json::value_t::number_integer:
    json_write_detail::append_integer(out, v.get<json::number_integer_t>());
    return;
  case json::value_t::number_unsigned:
    json_write_detail::append_integer(out, v.get<json::number_unsigned_t>());
    return;
  case json::value_t::number_float:
    json_write_detail::append_double(out, v.get<json::number_float_t>());
    return;
  case json::value_t::boolean:
    out += v.get<bool>() ? "true" : "false";
    return;
  case json::value_t::null:
    out += "null";
    return;
  default: // binary, discarded: as nlohmann writes them
    out += v.dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
}

// The text of `v`.
inline std::string write_json(const nlohmann::json &v) {
  std::string out;
  out.reserve(256); // most outputs: no growing on the way
  append_json(out, v);
  return out;
}

} // namespace seam

#endif // SEAM_JSON_WRITE_HPP
