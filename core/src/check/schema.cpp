#include "seam/core/check/schema.hpp"
#include "seam/core/base/regex.hpp"

#include "seam/core/base/diagnostics.hpp"

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>

namespace seam {

namespace {

using Path = std::vector<std::variant<std::string, size_t>>;

std::string toml_type(const json &v) {
  switch (v.type()) {
  case json::value_t::string:
    return "a string";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "an integer";
  case json::value_t::number_float:
    return "a float";
  case json::value_t::boolean:
    return "a boolean";
  case json::value_t::array:
    return "an array";
  case json::value_t::object:
    return "a table";
  default:
    return "null";
  }
}

std::string schema_type_name(const std::string &t) {
  if (t == "object")
    return "a table";
  if (t == "array")
    return "an array";
  if (t == "integer")
    return "an integer";
  if (t == "number")
    return "a number";
  if (t == "string")
    return "a string";
  if (t == "boolean")
    return "a boolean";
  return t;
}

bool type_matches(const json &v, const std::string &t) {
  if (t == "object")
    return v.is_object();
  if (t == "array")
    return v.is_array();
  if (t == "string")
    return v.is_string();
  if (t == "boolean")
    return v.is_boolean();
  if (t == "null")
    return v.is_null();
  if (t == "number")
    return v.is_number();
  if (t == "integer")
    return v.is_number_integer() || v.is_number_unsigned() ||
           (v.is_number_float() &&
            v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
  return true;
}

std::string brief_value(const json &v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  // Parts known only at run time (interpolated) are shown as such.
  for (size_t p = s.find("<discarded>"); p != std::string::npos; p = s.find("<discarded>", p))
    s.replace(p, 11, "\"${...}\"");
  return s.size() > 60 ? s.substr(0, 60) + "..." : s;
}

// Schemas are few and checked often (at run time too): compile each pattern once.
const Regex *cached_pattern(const std::string &pattern) {
  static std::mutex mu;
  static std::map<std::string, std::optional<Regex>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(pattern);
  if (it == cache.end())
    it = cache.emplace(pattern, Regex::compile(pattern, nullptr)).first;
  return it->second ? &*it->second : nullptr;
}

// The keywords Validator::check looks up, and a mask of those a schema has.
constexpr std::string_view keywords[] = {"type",
                                         "const",
                                         "enum",
                                         "minimum",
                                         "maximum",
                                         "exclusiveMinimum",
                                         "exclusiveMaximum",
                                         "minLength",
                                         "maxLength",
                                         "pattern",
                                         "minItems",
                                         "maxItems",
                                         "items",
                                         "allOf",
                                         "anyOf",
                                         "oneOf",
                                         "not"};
enum kw : uint32_t {
  kw_type,
  kw_const,
  kw_enum,
  kw_minimum,
  kw_maximum,
  kw_exclusiveMinimum,
  kw_exclusiveMaximum,
  kw_minLength,
  kw_maxLength,
  kw_pattern,
  kw_minItems,
  kw_maxItems,
  kw_items,
  kw_allOf,
  kw_anyOf,
  kw_oneOf,
  kw_not
};
// One name per enumerator, in the same order; a mask holds them all.
static_assert(std::size(keywords) == kw_not + 1 && std::size(keywords) <= 32);

uint32_t keyword_mask(const json &schema) {
  uint32_t mask = 0;
  for (const auto &member : schema.get_ref<const json::object_t &>())
    for (uint32_t i = 0; i < std::size(keywords); ++i)
      if (member.first == keywords[i]) {
        mask |= 1u << i;
        break;
      }
  return mask;
}

// How the messages name a value: "the input", or its path in quotes.
std::string name_of(const Path &path) {
  return path.empty() ? std::string("the input") : "'" + describe_path(path) + "'";
}

// A message and its hint, written only when a check that reports fails.
struct Problem {
  std::string message, hint;
};

class Validator {
public:
  std::vector<SchemaError> errors;

  // A quick validator answers only whether the value is valid: it stops at
  // the first failure and writes no message. The alternatives of anyOf,
  // oneOf and not are checked this way (most of them fail by design: each of
  // http.request's six "not two bodies" pairs does on every request); a
  // full check of them runs only when their messages are reported.
  explicit Validator(bool quick = false) : quick_(quick) {}

  bool failed() const { return failed_; }

  void check(const json &schema, const json &v, Path &path) {
    if (v.is_discarded() || !schema.is_object() || done())
      return;
    // Which keywords the schema has, from one pass over its members: the
    // lookups of the others (some twenty at run time) are skipped.
    const uint32_t has = keyword_mask(schema);
    auto at = [&](kw k) { return (has >> k & 1u) ? schema.find(keywords[k]) : schema.end(); };
    auto name = [&] { return name_of(path); };
    auto err = [&](auto make) { fail(path, make); };

    if (auto it = at(kw_type); it != schema.end()) {
      // No copies on the way: this runs for every checked value at run time.
      bool ok = true;
      if (it->is_string()) {
        ok = type_matches(v, it->get_ref<const std::string &>());
      } else if (it->is_array()) {
        bool named = false;
        ok = false;
        for (const auto &t : *it)
          if (t.is_string()) {
            named = true;
            ok = ok || type_matches(v, t.get_ref<const std::string &>());
          }
        ok = ok || !named;
      }
      if (!ok)
        return err([&] {
          std::vector<std::string> types;
          if (it->is_string())
            types.push_back(it->get<std::string>());
          else
            for (const auto &t : *it)
              if (t.is_string())
                types.push_back(t.get<std::string>());
          std::string want;
          for (size_t i = 0; i < types.size(); ++i)
            want += (i ? " or " : "") + schema_type_name(types[i]);
          return Problem{name() + " must be " + want + ", not " + toml_type(v) + " (" +
                             brief_value(v) + ")",
                         ""};
        });
    }
    if (auto it = at(kw_const); it != schema.end() && v != *it)
      return err([&] {
        return Problem{name() + " must be " + brief_value(*it) + ", not " + brief_value(v), ""};
      });
    if (auto it = at(kw_enum); it != schema.end() && it->is_array()) {
      if (std::find(it->begin(), it->end(), v) == it->end())
        return err([&] {
          std::string list, near;
          std::vector<std::string> names;
          for (auto &e : *it) {
            list += (list.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
            if (e.is_string())
              names.push_back(e.get<std::string>());
          }
          if (v.is_string())
            near = closest(v.get<std::string>(), names);
          return Problem{name() + " is " + brief_value(v) + ", which is not one of: " + list,
                         near.empty() ? "" : "did you mean \"" + near + "\"?"};
        });
    }
    // A bound of the schema's that `actual` (the number, the string's or the
    // array's length) lies outside: "NAME must be at least 3, not 2", or with
    // a unit, "NAME must have at most 5 items".
    auto limit = [&](kw k, auto actual, auto outside, const char *what, const char *unit) {
      if (auto it = at(k);
          it != schema.end() && it->is_number() && outside(actual, it->get<decltype(actual)>()))
        err([&] {
          std::string tail = *unit ? std::string(unit) : ", not " + brief_value(v);
          return Problem{name() + what + it->dump() + tail, ""};
        });
    };
    if (v.is_number()) {
      double x = v.get<double>();
      limit(kw_minimum, x, std::less<>(), " must be at least ", "");
      limit(kw_maximum, x, std::greater<>(), " must be at most ", "");
      limit(kw_exclusiveMinimum, x, std::less_equal<>(), " must be greater than ", "");
      limit(kw_exclusiveMaximum, x, std::greater_equal<>(), " must be less than ", "");
    }
    if (v.is_string()) {
      const auto &s = v.get_ref<const std::string &>();
      if (has & (1u << kw_minLength | 1u << kw_maxLength)) {
        size_t len = utf8_length(s);
        limit(kw_minLength, len, std::less<>(), " must be at least ", " characters long");
        limit(kw_maxLength, len, std::greater<>(), " must be at most ", " characters long");
      }
      if (auto it = at(kw_pattern); it != schema.end() && it->is_string()) {
        // A plugin's bad pattern is the plugin's bug; the user's suite does not fail on it.
        const Regex *re = cached_pattern(it->get_ref<const std::string &>());
        if (re && !re->search(s))
          err([&] {
            auto d = schema.find("description");
            if (d != schema.end() && d->is_string())
              return Problem{name() + " is " + brief_value(v) + ", not " + d->get<std::string>(),
                             ""};
            return Problem{
                name() + " is " + brief_value(v) + ", which does not match " + it->dump(), ""};
          });
      }
    }
    if (v.is_array()) {
      limit(kw_minItems, v.size(), std::less<>(), " must have at least ", " items");
      limit(kw_maxItems, v.size(), std::greater<>(), " must have at most ", " items");
      if (auto it = at(kw_items); it != schema.end() && it->is_object()) {
        for (size_t i = 0; i < v.size() && !done(); ++i) {
          path.emplace_back(i);
          check(*it, v[i], path);
          path.pop_back();
        }
      }
    }
    if (v.is_object())
      check_object(schema, v, path);
    if (auto it = at(kw_allOf); it != schema.end() && it->is_array())
      for (auto &sub : *it)
        check(sub, v, path);
    if (auto it = at(kw_anyOf); it != schema.end() && it->is_array())
      check_alternatives(*it, v, path, false);
    if (auto it = at(kw_oneOf); it != schema.end() && it->is_array())
      check_alternatives(*it, v, path, true);
    if (auto it = at(kw_not); it != schema.end() && it->is_object() && !done()) {
      Validator sub(true);
      sub.check(*it, v, path);
      if (!sub.failed())
        err([&] {
          std::string why =
              it->contains("required")
                  ? " (these cannot be given together: " + it->at("required").dump() + ")"
                  : "";
          return Problem{name() + " is not allowed in this form" + why,
                         it->contains("description") ? it->at("description").get<std::string>()
                                                     : ""};
        });
    }
  }

private:
  bool quick_;
  bool failed_ = false;

  // A quick check has nothing left to learn once it failed.
  bool done() const { return quick_ && failed_; }

  template <class Make> void fail(const Path &path, Make make) {
    failed_ = true;
    if (quick_)
      return;
    Problem p = make();
    errors.push_back({path, std::move(p.message), std::move(p.hint)});
  }

  void check_object(const json &schema, const json &v, Path &path) {
    const json *props = nullptr;
    if (auto it = schema.find("properties"); it != schema.end() && it->is_object())
      props = &*it;
    if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
      for (auto &r : *it) {
        if (r.is_string() && !v.contains(r.get_ref<const std::string &>())) {
          fail(path, [&] {
            std::string where = path.empty() ? "" : " in " + name_of(path);
            return Problem{"missing required input '" + r.get<std::string>() + "'" + where, ""};
          });
          if (done())
            return;
        }
      }
    }
    const json *additional = nullptr;
    if (auto it = schema.find("additionalProperties"); it != schema.end())
      additional = &*it;
    if (!props && !additional)
      return; // the members are free
    for (const auto &member : v.items()) {
      if (done())
        return;
      const std::string &k = member.key();
      const json &val = member.value();
      path.emplace_back(k);
      const json *prop = nullptr;
      if (props)
        if (auto f = props->find(k); f != props->end())
          prop = &*f;
      if (prop) {
        check(*prop, val, path);
      } else if (additional && additional->is_boolean() && !additional->get<bool>()) {
        fail(path, [&] {
          std::vector<std::string> names;
          if (props)
            for (auto &[pk, pv] : props->items())
              names.push_back(pk);
          std::string near = closest(k, names);
          std::string known;
          for (auto &n : names)
            known += (known.empty() ? "" : ", ") + n;
          std::string hint = near.empty() ? (known.empty() ? "" : "known inputs: " + known)
                                          : "did you mean '" + near + "'?";
          // A plugin may say where an input it does not take belongs instead.
          if (auto h = schema.find("x-seam-unknown-hint"); h != schema.end() && h->is_string())
            hint += (hint.empty() ? "" : hint.back() == '?' ? " " : ". ") + h->get<std::string>();
          return Problem{"unknown input '" + describe_path(path) + "'", std::move(hint)};
        });
      } else if (additional && additional->is_object()) {
        check(*additional, val, path);
      }
      path.pop_back();
    }
  }

  void check_alternatives(const json &alts, const json &v, Path &path, bool exactly_one) {
    if (done() || alts.empty())
      return;
    size_t passing = 0;
    for (auto &sub : alts) {
      Validator s(true);
      s.check(sub, v, path);
      passing += s.failed() ? 0 : 1;
      if (passing > (exactly_one ? 1 : 0))
        break; // settled
    }
    if (passing == 0) {
      failed_ = true;
      if (quick_)
        return;
      // The closest alternative explains best what is wrong: check each again
      // for its messages.
      std::vector<SchemaError> best;
      for (auto &sub : alts) {
        Validator s;
        s.check(sub, v, path);
        if (best.empty() || s.errors.size() < best.size())
          best = std::move(s.errors);
      }
      for (auto &e : best)
        errors.push_back(std::move(e));
    } else if (exactly_one && passing > 1) {
      fail(path, [&] {
        return Problem{name_of(path) + " matches more than one allowed form", ""};
      });
    }
  }
};

} // namespace

std::string describe_path(const Path &path) {
  std::string s;
  for (auto &seg : path) {
    if (const auto *k = std::get_if<std::string>(&seg))
      s += (s.empty() ? "" : ".") + *k;
    else
      s += "[" + std::to_string(std::get<size_t>(seg)) + "]";
  }
  return s;
}

static void collect_leaves(const json &v, std::vector<std::string> &out) {
  if (v.is_string())
    out.push_back(v.get<std::string>());
  else if (v.is_number())
    out.push_back(v.dump());
  else if (v.is_structured())
    for (const auto &e : v)
      collect_leaves(e, out);
}

void collect_secret_values(const json &schema, const json &value, std::vector<std::string> &out) {
  if (!schema.is_object() || value.is_discarded())
    return;
  if (auto it = schema.find("x-seam-secret"); it != schema.end() && *it == true) {
    collect_leaves(value, out);
    return;
  }
  for (const char *alt : {"oneOf", "anyOf", "allOf"})
    if (auto it = schema.find(alt); it != schema.end() && it->is_array())
      for (const auto &sub : *it)
        collect_secret_values(sub, value, out);
  if (value.is_object()) {
    auto props = schema.find("properties");
    auto extra = schema.find("additionalProperties");
    for (const auto &[k, v] : value.items()) {
      if (props != schema.end() && props->is_object() && props->contains(k))
        collect_secret_values((*props)[k], v, out);
      else if (extra != schema.end())
        collect_secret_values(*extra, v, out);
    }
  } else if (value.is_array()) {
    if (auto it = schema.find("items"); it != schema.end())
      for (const auto &e : value)
        collect_secret_values(*it, e, out);
  }
}

// Whether a subschema only requires keys (directly or through combinators):
// it depends on which keys are present, not on their values.
static bool presence_only(const json &sub) {
  if (!sub.is_object())
    return false;
  for (const auto &[k, v] : sub.items()) {
    if (k == "required" || k == "description" || k == "title")
      continue;
    if (k == "not") {
      if (!presence_only(v))
        return false;
    } else if (k == "anyOf" || k == "oneOf" || k == "allOf") {
      if (!v.is_array())
        return false;
      for (const auto &e : v)
        if (!presence_only(e))
          return false;
    } else {
      return false;
    }
  }
  return true;
}

bool schema_checks_per_property(const json &schema) {
  static const std::set<std::string> simple{
      "type",    "properties", "required", "additionalProperties", "description", "title",
      "default", "examples",   "$schema"};
  if (!schema.is_object())
    return false;
  for (const auto &[k, v] : schema.items()) {
    // Annotations (x-seam-unknown-hint...) constrain nothing.
    if (simple.count(k) || k.rfind("x-", 0) == 0)
      continue;
    // A combinator that only requires keys (http.request: "not both json and
    // body") was settled by the check of the input's shape.
    bool combinator = k == "not" || k == "anyOf" || k == "oneOf" || k == "allOf";
    if (!combinator || !presence_only(json{{k, v}}))
      return false;
  }
  return true;
}

bool schema_has_secrets(const json &schema) {
  if (schema.is_object()) {
    for (const auto &[k, v] : schema.items())
      if ((k == "x-seam-secret" && v == true) || schema_has_secrets(v))
        return true;
  } else if (schema.is_array()) {
    for (const auto &e : schema)
      if (schema_has_secrets(e))
        return true;
  }
  return false;
}

SecretInputs secret_inputs_of(const json &schema) {
  SecretInputs s;
  s.any = schema_has_secrets(schema);
  if (!s.any || !schema.is_object())
    return s;
  if (auto it = schema.find("x-seam-secret"); it != schema.end() && *it == true)
    s.whole = true;
  for (const char *alt : {"oneOf", "anyOf", "allOf"})
    if (auto it = schema.find(alt); it != schema.end() && schema_has_secrets(*it))
      s.whole = true;
  if (auto props = schema.find("properties"); props != schema.end() && props->is_object())
    for (const auto &[k, sub] : props->items())
      s.properties.emplace(k, schema_has_secrets(sub));
  if (auto extra = schema.find("additionalProperties"); extra != schema.end())
    s.additional = schema_has_secrets(*extra);
  return s;
}

bool SecretInputs::may_hold(const std::vector<std::string_view> &keys) const {
  if (whole)
    return true;
  for (std::string_view k : keys) {
    auto p = properties.find(k);
    if (p != properties.end() ? p->second : additional)
      return true;
  }
  return false;
}

std::vector<SchemaError> validate_schema(const json &schema, const json &value, Path at) {
  Validator v;
  v.check(schema, value, at);
  return std::move(v.errors);
}

} // namespace seam
