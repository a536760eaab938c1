#include "seam/core/expect/yaml_json.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <stdexcept>

namespace seam {

namespace {

using json = nlohmann::json;

// YAML 1.2 core schema: which plain scalars are not strings.
json plain_scalar(const std::string &s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    return nullptr;
  if (s == "true" || s == "True" || s == "TRUE")
    return true;
  if (s == "false" || s == "False" || s == "FALSE")
    return false;
  const char *b = s.data(), *e = s.data() + s.size();
  const char *digits = (*b == '-' || *b == '+') ? b + 1 : b;
  bool all_digits = digits < e;
  for (const char *p = digits; p < e; ++p)
    all_digits = all_digits && *p >= '0' && *p <= '9';
  if (all_digits) {
    if (*b == '-') {
      int64_t v = 0;
      if (std::from_chars(b, e, v).ec == std::errc())
        return v;
    } else {
      uint64_t v = 0;
      if (std::from_chars(digits, e, v).ec == std::errc())
        return v;
    }
    return s; // beyond 64 bits: kept as its digits, like seam's exact numbers
  }
  if (s == ".inf" || s == "+.inf" || s == ".Inf" || s == "+.Inf")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf")
    return -std::numeric_limits<double>::infinity();
  // A decimal or exponent number (the core schema's float form).
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (s.size() < 400 && std::regex_match(s, kFloat)) {
    double d = 0;
    auto start = *b == '+' ? b + 1 : b;
    if (std::from_chars(start, e, d).ec == std::errc() && std::isfinite(d))
      return d;
  }
  return s;
}

json convert(const YAML::Node &n) {
  switch (n.Type()) {
  case YAML::NodeType::Null:
    return nullptr;
  case YAML::NodeType::Scalar:
    // "!" is the tag of a quoted (non-plain) scalar: always a string.
    if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str")
      return n.Scalar();
    return plain_scalar(n.Scalar());
  case YAML::NodeType::Sequence: {
    json a = json::array();
    for (const auto &item : n)
      a.push_back(convert(item));
    return a;
  }
  case YAML::NodeType::Map: {
    json o = json::object();
    for (const auto &kv : n) {
      if (!kv.first.IsScalar()) {
        auto m = kv.first.Mark();
        throw std::runtime_error("line " + std::to_string(m.line + 1) + ", column " +
                                 std::to_string(m.column + 1) +
                                 ": a mapping key must be a scalar to be read as JSON");
      }
      o[kv.first.Scalar()] = convert(kv.second);
    }
    return o;
  }
  default:
    return nullptr;
  }
}

} // namespace

std::optional<nlohmann::json> parse_yaml(const std::string &text, std::string *error) {
  try {
    return convert(YAML::Load(text));
  } catch (const YAML::Exception &e) {
    if (error)
      *error = "line " + std::to_string(e.mark.line + 1) + ", column " +
               std::to_string(e.mark.column + 1) + ": " + e.msg;
  } catch (const std::exception &e) {
    if (error)
      *error = e.what();
  }
  return std::nullopt;
}

} // namespace seam
