// seam/json_write.hpp - a json tree as compact JSON text: the text of
// value.dump(-1, ' ', false, json::error_handler_t::replace), written
// faster.
//
// A step's output goes to the host as text. nlohmann's serializer runs each
// byte of each string through a UTF-8 decoder, the common case being plain
// ASCII; here objects, arrays, integers, booleans, null and plain strings
// (printable ASCII without '"' or '\') are written directly and everything
// else (other strings, doubles) by nlohmann itself, so the text is the same
// byte for byte.
#ifndef SEAM_JSON_WRITE_HPP
#define SEAM_JSON_WRITE_HPP

#include <nlohmann/json.hpp>

#include <charconv>
#include <string>

namespace seam {

namespace json_write_detail {

inline bool plain(const std::string &s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
      return false;
  return true;
}

inline void append_string(std::string &out, const std::string &s) {
  if (plain(s)) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

template <typename Int> void append_integer(std::string &out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

} // namespace json_write_detail

// Appends the text of `v` to `out`.
inline void append_json(std::string &out, const nlohmann::json &v) {
  using nlohmann::json;
  switch (v.type()) {
  case json::value_t::object: {
    out += '{';
    bool first = true;
    for (const auto &[key, value] : v.get_ref<const json::object_t &>()) {
      if (!first)
        out += ',';
      first = false;
      json_write_detail::append_string(out, key);
      out += ':';
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
    json_write_detail::append_string(out, v.get_ref<const std::string &>());
    return;
  case json::value_t::number_integer:
    json_write_detail::append_integer(out, v.get<json::number_integer_t>());
    return;
  case json::value_t::number_unsigned:
    json_write_detail::append_integer(out, v.get<json::number_unsigned_t>());
    return;
  case json::value_t::boolean:
    out += v.get<bool>() ? "true" : "false";
    return;
  case json::value_t::null:
    out += "null";
    return;
  default: // doubles, binary, discarded: as nlohmann writes them
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
