// request_match.cpp - see request_match.hpp.
#include "request_match.hpp"

#include "ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace seam::http {

namespace {

// The operators of seam's expect language: a table whose keys are all
// operators is a matcher, any other table is walked field by field.
constexpr std::array<std::string_view, 12> kOperators = {
    "eq", "ne", "gt", "ge", "lt", "le", "contains", "matches", "exists", "type", "len", "in"};

bool is_operator(std::string_view key) {
  return std::find(kOperators.begin(), kOperators.end(), key) != kOperators.end();
}

bool is_operator_table(const json &v) {
  if (!v.is_object() || v.empty())
    return false;
  return std::all_of(v.items().begin(), v.items().end(),
                     [](const auto &item) { return is_operator(item.key()); });
}

std::string brief(const json &v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

// The request document's fields whose values are always text.
bool is_text_root(std::string_view root) {
  return root == "query" || root == "headers" || root == "form" || root == "params";
}

json as_text(const json &v) {
  if (v.is_number() || v.is_boolean())
    return v.dump();
  if (v.is_array()) {
    json out = json::array();
    for (const auto &item : v)
      out.push_back(as_text(item));
    return out;
  }
  return v;
}

// A value or matcher compared with text: scalars become their text.
json text_expectation(const json &v) {
  if (is_operator_table(v)) {
    json out = v;
    for (const char *op : {"eq", "ne", "in", "contains"})
      if (auto it = out.find(op); it != out.end())
        *it = as_text(*it);
    return out;
  }
  if (v.is_object()) {
    json out = json::object();
    for (const auto &[key, value] : v.items())
      out[key] = text_expectation(value);
    return out;
  }
  return as_text(v);
}

// Adjusts one entry PATH = expectation whose PATH starts at `root` (its first
// segment) and goes on with `rest` ("" when PATH is the root itself).
json adjust(std::string_view root, const json &expected, bool root_only) {
  if (!is_text_root(root))
    return expected;
  json out = text_expectation(expected);
  // { headers = { X-Api-Key = "k" } }: names under the root, lower-cased.
  if (root == "headers" && root_only && out.is_object() && !is_operator_table(out)) {
    json lowered = json::object();
    for (const auto &[key, value] : out.items())
      lowered[lower(key)] = value;
    out = std::move(lowered);
  }
  return out;
}

// Every leaf PATH = matcher of an entry, walking plain tables as the host does.
void leaves(const std::string &path, const json &v,
            std::vector<std::pair<std::string, json>> &out) {
  if (v.is_object() && !v.empty() &&
      std::none_of(v.items().begin(), v.items().end(),
                   [](const auto &item) { return is_operator(item.key()); })) {
    for (const auto &[key, value] : v.items())
      leaves(path + "." + key, value, out);
    return;
  }
  out.emplace_back(path, v);
}

} // namespace

request_matcher::request_matcher(const json &table, match_fn host, const std::string &where)
    : table_(json::object()), host_(std::move(host)) {
  if (!table.is_object())
    throw seam::error(where + ": must be a table of PATH = value-or-matcher, e.g. match = { " +
                      "\"headers.x-api-key\" = \"k1\", \"json.amount\" = { gt = 100 } }");
  if (!host_)
    throw std::logic_error("request_matcher: no matcher to evaluate `match` with");
  for (const auto &[key, expected] : table.items()) {
    size_t dot = key.find_first_of(".[");
    std::string root = key.substr(0, dot);
    std::string path = key;
    if (root == "headers" && dot != std::string::npos)
      path = root + lower(key.substr(dot));
    json adjusted = adjust(root, expected, dot == std::string::npos);
    // One entry at a time, so that the error names the malformed one.
    if (host_(json{{path, adjusted}}, json::object()) < 0)
      throw seam::error(
          where + "." + key + ": " + brief(expected) +
          " is not a valid match entry: a path such as \"json.items[0].id\" and a value, or a "
          "matcher table of eq, ne, gt, ge, lt, le, contains, matches (a valid regex), exists "
          "(true/false), type, len or in (a list), e.g. { gt = 100 } or { matches = \"^ord_\" }");
    table_[path] = std::move(adjusted);
  }
}

bool request_matcher::matches(const json &doc) const { return host_(table_, doc) == 1; }

std::string request_matcher::why_not(const json &doc) const {
  for (const auto &[key, expected] : table_.items()) {
    if (host_(json{{key, expected}}, doc) == 1)
      continue;
    std::vector<std::pair<std::string, json>> parts;
    leaves(key, expected, parts);
    for (const auto &[path, matcher] : parts) {
      if (host_(json{{path, matcher}}, doc) == 1)
        continue;
      const json *actual = seam::json_path::lookup(doc, path);
      std::string want = is_operator_table(matcher) ? brief(matcher) : "= " + brief(matcher);
      return path + ": expected " + want + ", got " +
             (actual ? brief(*actual) : "nothing (missing)");
    }
    return key + ": expected " + brief(expected);
  }
  return "";
}

} // namespace seam::http
