// seam/exact_numbers.hpp - numbers that must not be rounded on their way into
// JSON. A JSON number becomes a double in nlohmann::json (or an integer, when
// it is a whole number within 64 bits); a database NUMERIC or a JSON body may
// hold more digits than a double keeps. The rule, the same in every plugin and
// in the core's `expect`:
//
//   a number that a double holds exactly (parsing its text and printing the
//   double back gives the same value) stays a JSON number; any other number is
//   kept as a string of its exact digits, never rounded.
//
// Decimal values are compared as text (sign, digits, exponent), never through
// floating point, so that "1234.50" equals 1234.5 and 2^63 does not equal
// 2^63 - 1.
#ifndef SEAM_EXACT_NUMBERS_HPP
#define SEAM_EXACT_NUMBERS_HPP

#include <seam/json_builder.hpp>
#include <seam/json_read.hpp>
#include <seam/json_write.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace seam {

// A decimal value: (-1)^negative * digits * 10^exponent, with `digits` free of
// leading and trailing zeros ("" for zero, whose sign is ignored).
struct decimal {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;

  // Parses a decimal literal: an optional sign, digits with an optional
  // fraction ("12", "-12.50", ".5", "5."), an optional exponent ("1e-3").
  // Anything else (spaces, "0x10", "NaN", "Infinity", "") gives nullopt.
  static std::optional<decimal> parse(std::string_view s) {
    decimal d;
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
      d.negative = s[i++] == '-';
    size_t mantissa_digits = 0;
    int64_t fraction_digits = 0;
    bool in_fraction = false;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '.' && !in_fraction) {
        in_fraction = true;
      } else if (c >= '0' && c <= '9') {
        ++mantissa_digits;
        if (in_fraction)
          ++fraction_digits;
        if (!(c == '0' && d.digits.empty()))
          d.digits += c;
        else if (in_fraction)
          continue; // a leading zero of the fraction only moves the exponent
      } else {
        break;
      }
    }
    if (mantissa_digits == 0)
      return std::nullopt;
    int64_t exp = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      bool neg_exp = false;
      if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        neg_exp = s[i++] == '-';
      size_t start = i;
      // Nine digits at most: no exponent overflows, and no number that large
      // is anyone's data.
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 10; ++i)
        exp = exp * 10 + (s[i] - '0');
      if (i == start || i - start > 9)
        return std::nullopt;
      if (neg_exp)
        exp = -exp;
    }
    if (i != s.size())
      return std::nullopt;
    d.exponent = exp - fraction_digits;
    while (!d.digits.empty() && d.digits.back() == '0') {
      d.digits.pop_back();
      ++d.exponent;
    }
    if (d.digits.empty()) {
      d.negative = false;
      d.exponent = 0;
    }
    return d;
  }

  // The value of a JSON number: integers exactly; a double as the shortest
  // text that reads back as the same double, which is the text it was parsed
  // from (JSON, TOML) whenever a double holds that text exactly.
  static std::optional<decimal> of(const nlohmann::json &v) {
    char buf[64];
    std::to_chars_result r{};
    if (v.is_number_unsigned())
      r = std::to_chars(buf, buf + sizeof buf, v.get<uint64_t>());
    else if (v.is_number_integer())
      r = std::to_chars(buf, buf + sizeof buf, v.get<int64_t>());
    else if (v.is_number_float() && std::isfinite(v.get<double>()))
      // Scientific: the shortest digits always. (The plain form prints a
      // large whole double in full, 2^64 as 18446744073709551616, which
      // would make it "hold" integers that readers print rounded.)
      r = std::to_chars(buf, buf + sizeof buf, v.get<double>(), std::chars_format::scientific);
    else
      return std::nullopt;
    return parse(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }

  // -1, 0 or 1 as a is below, equal to or above b.
  friend int compare(const decimal &a, const decimal &b) {
    if (a.digits.empty() || b.digits.empty() || a.negative != b.negative) {
      int sa = a.digits.empty() ? 0 : a.negative ? -1 : 1;
      int sb = b.digits.empty() ? 0 : b.negative ? -1 : 1;
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    }
    // Same sign, both non-zero: the place of the leading digit decides, then
    // the digits (a prefix is the smaller, its missing digits being zeros).
    int64_t lead_a = static_cast<int64_t>(a.digits.size()) + a.exponent;
    int64_t lead_b = static_cast<int64_t>(b.digits.size()) + b.exponent;
    int magnitude = lead_a < lead_b ? -1 : lead_a > lead_b ? 1 : 0;
    if (magnitude == 0) {
      int c = a.digits.compare(b.digits);
      magnitude = c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    return a.negative ? -magnitude : magnitude;
  }
  friend bool operator==(const decimal &a, const decimal &b) { return compare(a, b) == 0; }
};

// True when the decimal literal `text` reads into a double that holds its
// value exactly (in the sense of decimal::of above): "19.99", "1e300",
// "9007199254740993" is not (2^53 + 1), nor is any text that is no decimal.
inline bool double_holds(std::string_view text) {
  auto d = decimal::parse(text);
  if (!d)
    return false;
  // Any decimal of at most 15 significant digits (DBL_DIG) well inside the
  // range of normal doubles reads back as itself: no conversion needed.
  int64_t lead = static_cast<int64_t>(d->digits.size()) + d->exponent;
  if (d->digits.size() <= 15 && lead > -290 && lead < 290)
    return true;
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1); // from_chars takes no '+'
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
    return false;
  auto back = decimal::of(nlohmann::json(v));
  return back && *back == *d;
}

// A decimal literal as JSON by the rule at the top: an integer when it is a
// whole number that fits 64 bits, a double when a double holds it, else the
// text itself (a string). Text that is no decimal is returned as a string.
inline nlohmann::json exact_number(std::string_view text) {
  if (text.find_first_of(".eE") == std::string_view::npos) {
    int64_t i = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec == std::errc() && p == text.data() + text.size())
      return i;
    uint64_t u = 0;
    auto [pu, ecu] = std::from_chars(text.data(), text.data() + text.size(), u);
    if (ecu == std::errc() && pu == text.data() + text.size())
      return u;
  }
  if (double_holds(text)) {
    if (text.front() == '+')
      text.remove_prefix(1);
    double v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
  }
  return std::string(text);
}

namespace detail {
// nlohmann's own DOM builder, except that a number a double cannot hold
// becomes a string of its text (nlohmann hands the text to number_float,
// integers beyond 64 bits included).
class exact_sax : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
public:
  using base = nlohmann::detail::json_sax_dom_parser<nlohmann::json>;
  using base::base;
  bool number_float(double v, const std::string &text) {
    if (double_holds(text))
      return base::number_float(v, text);
    std::string kept = text;
    return base::string(kept);
  }
};
#ifdef SEAM_SDK_SIMDJSON
inline bool has_double(simdjson::dom::element e) {
  switch (e.type()) {
  case simdjson::dom::element_type::DOUBLE:
    return true;
  case simdjson::dom::element_type::OBJECT: {
    simdjson::dom::object object = e.get_object().value_unsafe();
    for (auto field : object)
      if (has_double(field.value))
        return true;
    return false;
  }
  case simdjson::dom::element_type::ARRAY: {
    simdjson::dom::array array = e.get_array().value_unsafe();
    for (auto item : array)
      if (has_double(item))
        return true;
    return false;
  }
  default:
    return false;
  }
}
#endif
// `text` the slow way: nlohmann's SAX reader with exact_sax (a discarded
// value when it is no JSON).
inline nlohmann::json parse_exact_sax(std::string_view text) {
  nlohmann::json out;
  exact_sax sax(out, false);
  if (!nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true, false))
    return nlohmann::json(nlohmann::json::value_t::discarded);
  return out;
}
#ifdef SEAM_SDK_SIMDJSON
// A document without doubles written as append_json writes its tree: an
// object's keys sorted, and of equal keys the last (the tree keeps one).
inline void append_dom(std::string &out, simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
  case element_type::OBJECT: {
    simdjson::dom::object object = e.get_object().value_unsafe();
    // Most objects are small: their fields sorted in place, by insertion
    // (stable: equal keys keep their order), with no allocation.
    using field = std::pair<std::string_view, simdjson::dom::element>;
    constexpr size_t small = 16;
    field in_place[small];
    std::vector<field> many;
    field *fields = in_place;
    size_t n = object.size();
    if (n > small) {
      many.reserve(n);
      for (auto f : object)
        many.emplace_back(f.key, f.value);
      std::stable_sort(many.begin(), many.end(),
                       [](const field &a, const field &b) { return a.first < b.first; });
      fields = many.data();
    } else {
      n = 0;
      for (auto f : object) {
        size_t i = n++;
        for (; i > 0 && f.key < fields[i - 1].first; --i)
          fields[i] = fields[i - 1];
        fields[i] = field(f.key, f.value);
      }
    }
    out += '{';
    bool first = true;
    for (size_t i = 0; i < n; ++i) {
      if (i + 1 < n && fields[i + 1].first == fields[i].first)
        continue; // a later one of the same name counts
      if (!first)
        out += ',';
      first = false;
      append_json_string(out, fields[i].first);
      out += ':';
      append_dom(out, fields[i].second);
    }
    out += '}';
    return;
  }
  case element_type::ARRAY: {
    simdjson::dom::array array = e.get_array().value_unsafe();
    out += '[';
    bool first = true;
    for (auto item : array) {
      if (!first)
        out += ',';
      first = false;
      append_dom(out, item);
    }
    out += ']';
    return;
  }
  case element_type::INT64:
    json_write_detail::append_integer(out, e.get_int64().value_unsafe());
    return;
  case element_type::UINT64:
    json_write_detail::append_integer(out, e.get_uint64().value_unsafe());
    return;
  case element_type::DOUBLE: // not reached: has_double sent the document the slow way
    json_write_detail::append_double(out, e.get_double().value_unsafe());
    return;
  case element_type::STRING:
    append_json_string(out, e.get_string().value_unsafe());
    return;
  case element_type::BOOL:
    out += e.get_bool().value_unsafe() ? "true" : "false";
    return;
  case element_type::NULL_VALUE:
    out += "null";
    return;
  }
}
#endif
} // namespace detail

// Parses JSON text like nlohmann::json::parse(text, nullptr, false) (a
// discarded value when it is no JSON), keeping numbers exact by the rule at
// the top.
inline nlohmann::json parse_json_exact(std::string_view text) {
  nlohmann::json out;
#ifdef SEAM_SDK_SIMDJSON
  // simdjson keeps no number's text: a document with a double in it (or an
  // integer beyond 64 bits, which simdjson refuses) goes the slow way.
  bool read = false;
  json_read_detail::read_fast(text, [&](simdjson::dom::element doc) {
    if (!detail::has_double(doc)) {
      out = json_read_detail::from_dom(doc);
      read = true;
    }
  });
  if (read)
    return out;
#endif
  return detail::parse_exact_sax(text);
}

// Appends JSON text `text` to `out` as append_json(out, parse_json_exact(text))
// would, but without the tree when simdjson reads it and it holds no double;
// false (and `out` as it was) when `text` is no JSON.
inline bool append_json_exact(std::string &out, std::string_view text) {
#ifdef SEAM_SDK_SIMDJSON
  bool written = false;
  // Refused by simdjson (no JSON, or beyond it) or with a double in it:
  // the slow way decides.
  json_read_detail::read_fast(text, [&](simdjson::dom::element doc) {
    if (!detail::has_double(doc)) {
      detail::append_dom(out, doc);
      written = true;
    }
  });
  if (written)
    return true;
#endif
  nlohmann::json tree = detail::parse_exact_sax(text);
  if (tree.is_discarded())
    return false;
  append_json(out, tree);
  return true;
}

// The same as a builder's next value: JSON text from elsewhere (a message
// body, a file) written in place as write_json(parse_json_exact(text))
// writes it, with no tree where simdjson reads it. False, and nothing
// written, when `text` is no JSON: the caller writes another value in its
// place. A builder used out of order throws as its value() would.
inline bool append_json_exact(json_builder &out, std::string_view text) {
  const bool was_done = out.done_;
  const char was = out.stack_.empty() ? 0 : out.stack_.back();
  const size_t at = out.out_.size();
  out.before_value();
  if (append_json_exact(out.out_, text))
    return true;
  out.out_.resize(at);
  out.done_ = was_done;
  if (!out.stack_.empty())
    out.stack_.back() = was;
  return false;
}

} // namespace seam

#endif
