// request_match.cpp - see request_match.hpp.
#include "request_match.hpp"

#include <regex>

namespace seam_http {

namespace {

bool is_operator(std::string_view key) {
  return key == "exists" || key == "contains" || key == "matches" || key == "eq" ||
         key == "ne" || key == "in";
}

// An operator table has exactly one key and that key is an operator.
bool is_operator_table(const json &v) {
  return v.is_object() && v.size() == 1 && is_operator(v.begin().key());
}

std::string brief(const json *v) {
  if (v == nullptr)
    return "nothing";
  std::string s = v->dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80)
    s = s.substr(0, 77) + "...";
  return s;
}

// Request fields arrive as text (query values, headers); a suite writes
// `"query.limit" = 10`. Both mean the same request, so compare by text too.
bool loosely_equal(const json &expected, const json &actual) {
  if (expected == actual)
    return true;
  if (actual.is_string() && (expected.is_number() || expected.is_boolean()))
    return actual.get_ref<const std::string &>() == expected.dump();
  if (expected.is_string() && (actual.is_number() || actual.is_boolean()))
    return expected.get_ref<const std::string &>() == actual.dump();
  return false;
}

std::string text_of(const json &v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

} // namespace

const json *walk_path(const json &doc, std::string_view path) {
  const json *cur = &doc;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos || !cur->is_array())
        return nullptr;
      std::string_view digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
        return nullptr;
      size_t index = std::stoul(std::string(digits));
      if (index >= cur->size())
        return nullptr;
      cur = &(*cur)[index];
      i = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    std::string key(path.substr(i, end == std::string_view::npos ? path.npos : end - i));
    if (!cur->is_object())
      return nullptr;
    auto it = cur->find(key);
    if (it == cur->end())
      return nullptr;
    cur = &*it;
    i = end == std::string_view::npos ? path.size() : end;
  }
  return cur;
}

bool match_value(const json &expected, const json *actual, std::string *why) {
  auto fail = [&](const std::string &what) {
    if (why != nullptr)
      *why = what;
    return false;
  };
  if (is_operator_table(expected)) {
    const std::string &op = expected.begin().key();
    const json &arg = expected.begin().value();
    if (op == "exists") {
      bool want = arg.is_boolean() ? arg.get<bool>() : true;
      if ((actual != nullptr) != want)
        return fail(want ? "is missing" : "is present: " + brief(actual));
      return true;
    }
    if (actual == nullptr)
      return fail("is missing");
    if (op == "eq")
      return loosely_equal(arg, *actual) ? true : fail("is " + brief(actual));
    if (op == "ne")
      return !loosely_equal(arg, *actual) ? true : fail("is " + brief(actual));
    if (op == "in") {
      if (arg.is_array())
        for (const auto &candidate : arg)
          if (loosely_equal(candidate, *actual))
            return true;
      return fail("is " + brief(actual) + ", not one of " + brief(&arg));
    }
    if (op == "contains") {
      if (actual->is_array()) {
        for (const auto &item : *actual)
          if (loosely_equal(arg, item))
            return true;
        return fail("has no element " + brief(&arg));
      }
      if (text_of(*actual).find(text_of(arg)) == std::string::npos)
        return fail("is " + brief(actual) + ", which does not contain " + brief(&arg));
      return true;
    }
    // matches
    try {
      if (!std::regex_search(text_of(*actual), std::regex(text_of(arg))))
        return fail("is " + brief(actual) + ", which does not match " + brief(&arg));
      return true;
    } catch (const std::regex_error &) {
      return fail("has an invalid regex " + brief(&arg));
    }
  }
  if (actual == nullptr)
    return fail("is missing");
  if (expected.is_object()) {
    if (!actual->is_object())
      return fail("is " + brief(actual) + ", not a table");
    return match_table(expected, *actual, why);
  }
  if (expected.is_array()) {
    if (!actual->is_array() || actual->size() != expected.size())
      return fail("is " + brief(actual));
    for (size_t i = 0; i < expected.size(); ++i)
      if (!match_value(expected[i], &(*actual)[i], why))
        return false;
    return true;
  }
  return loosely_equal(expected, *actual) ? true : fail("is " + brief(actual));
}

bool match_table(const json &table, const json &doc, std::string *why) {
  for (const auto &[key, expected] : table.items()) {
    // A literal key first: JSON bodies may have keys with dots in them.
    const json *actual = nullptr;
    if (doc.is_object()) {
      auto it = doc.find(key);
      if (it != doc.end())
        actual = &*it;
    }
    if (actual == nullptr && key.find_first_of(".[") != std::string::npos)
      actual = walk_path(doc, key);
    std::string inner;
    if (!match_value(expected, actual, &inner)) {
      if (why != nullptr) {
        // A nested table reports "field ..." for its own field: join with a dot.
        bool nested = expected.is_object() && !is_operator_table(expected) && actual != nullptr &&
                      actual->is_object();
        *why = key + (nested ? "." : " ") + inner;
      }
      return false;
    }
  }
  return true;
}

void validate_match_table(const json &table, const std::string &where) {
  if (!table.is_object())
    throw seam::error(where + ": must be a table of PATH = value-or-matcher");
  for (const auto &[key, expected] : table.items()) {
    if (!expected.is_object())
      continue;
    if (expected.size() == 1 && is_operator(expected.begin().key())) {
      if (expected.begin().key() == "matches") {
        try {
          std::regex check(text_of(expected.begin().value()));
        } catch (const std::regex_error &e) {
          throw seam::error(where + "." + key + ": invalid regex " +
                            expected.begin().value().dump() + " (" + e.what() + ")");
        }
      }
      continue;
    }
    validate_match_table(expected, where + "." + key);
  }
}

} // namespace seam_http
