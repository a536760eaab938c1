#include "seam/core/expect/expect.hpp"
#include "seam/core/expect/contracts.hpp"

#include <seam/exact_numbers.hpp>

#include <algorithm>
#include <array>

namespace seam {

namespace {

constexpr std::array<std::pair<Op, std::string_view>, 14> kOps{{{Op::Eq, "eq"},
                                                                {Op::Ne, "ne"},
                                                                {Op::Gt, "gt"},
                                                                {Op::Ge, "ge"},
                                                                {Op::Lt, "lt"},
                                                                {Op::Le, "le"},
                                                                {Op::Contains, "contains"},
                                                                {Op::Matches, "matches"},
                                                                {Op::Exists, "exists"},
                                                                {Op::Type, "type"},
                                                                {Op::Len, "len"},
                                                                {Op::In, "in"},
                                                                {Op::Schema, "schema"},
                                                                {Op::OpenApi, "openapi"}}};

const std::vector<std::string> kTypes{"string", "number", "integer", "boolean",
                                      "array",  "object", "null"};

bool has_type(const json &v, std::string_view t) {
  if (t == "string")
    return v.is_string();
  if (t == "number")
    return v.is_number();
  if (t == "integer")
    return v.is_number_integer() ||
           (v.is_number_float() &&
            v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
  if (t == "boolean")
    return v.is_boolean();
  if (t == "array")
    return v.is_array();
  if (t == "object")
    return v.is_object();
  if (t == "null")
    return v.is_null();
  return false;
}

std::string type_of(const json &v) {
  switch (v.type()) {
  case json::value_t::string:
    return "string";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "integer";
  case json::value_t::number_float:
    return "number";
  case json::value_t::boolean:
    return "boolean";
  case json::value_t::array:
    return "array";
  case json::value_t::object:
    return "object";
  case json::value_t::null:
    return "null";
  default:
    return "missing";
  }
}

// The decimal value of a number, or of a string that is a decimal literal.
std::optional<decimal> decimal_of(const json &v) {
  if (v.is_number())
    return decimal::of(v);
  if (v.is_string())
    return decimal::parse(v.get_ref<const std::string &>());
  return std::nullopt;
}

// Two integers, or two doubles, without building decimals (the common case:
// status = 200). Distinct doubles have distinct shortest texts, so comparing
// them as doubles agrees with comparing their decimals. nullopt otherwise.
std::optional<int> compare_same_kind(const json &a, const json &b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    bool ua = a.is_number_unsigned(), ub = b.is_number_unsigned();
    if (ua && ub) {
      auto x = a.get<uint64_t>(), y = b.get<uint64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (!ua && !ub) {
      auto x = a.get<int64_t>(), y = b.get<int64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    // A negative signed value is below any unsigned one; a non-negative one
    // compares as unsigned without wrapping.
    int64_t s = ua ? b.get<int64_t>() : a.get<int64_t>();
    uint64_t u = ua ? a.get<uint64_t>() : b.get<uint64_t>();
    int c = s < 0 || static_cast<uint64_t>(s) < u ? -1 : static_cast<uint64_t>(s) > u ? 1 : 0;
    return ua ? -c : c;
  }
  if (a.is_number_float() && b.is_number_float()) {
    double x = a.get<double>(), y = b.get<double>();
    if (x == x && y == y) // NaN falls through
      return x < y ? -1 : x > y ? 1 : 0;
  }
  return std::nullopt;
}

// eq, ne and in. Numbers compare by exact decimal value (2^63 is not
// 2^63 - 1, 1 is 1.0); an expected string that is a decimal literal equals an
// actual number of that value (the way to write a number a TOML float cannot
// hold). An actual string never equals an expected number: "5" from an API is
// not 5. Arrays and objects compare element by element by the same rule.
bool equal(const json &actual, const json &expected) {
  if (actual.is_number() && (expected.is_number() || expected.is_string())) {
    if (auto c = compare_same_kind(actual, expected))
      return *c == 0;
    auto a = decimal::of(actual), e = decimal_of(expected);
    if (a && e)
      return *a == *e;
    return actual == expected; // NaN built by hand; a string that is no number
  }
  if (actual.is_array() && expected.is_array()) {
    if (actual.size() != expected.size())
      return false;
    for (size_t i = 0; i < actual.size(); ++i)
      if (!equal(actual[i], expected[i]))
        return false;
    return true;
  }
  if (actual.is_object() && expected.is_object()) {
    if (actual.size() != expected.size())
      return false;
    for (auto it = actual.begin(); it != actual.end(); ++it) {
      auto e = expected.find(it.key());
      if (e == expected.end() || !equal(it.value(), *e))
        return false;
    }
    return true;
  }
  return actual == expected;
}

// gt, ge, lt, le: -1, 0, 1; nullopt when the two cannot be ordered. Numbers,
// and a number against a string that is a decimal literal, by exact decimal
// value; two strings as text (byte-wise).
std::optional<int> compare(const json &a, const json &b) {
  if (a.is_number() || b.is_number()) {
    if (auto c = compare_same_kind(a, b))
      return c;
    auto x = decimal_of(a), y = decimal_of(b);
    if (x && y)
      return compare(*x, *y);             // decimal's, found by ADL
    if (a.is_number() && b.is_number()) { // NaN built by hand
      double p = a.get<double>(), q = b.get<double>();
      return p < q ? -1 : p > q ? 1 : 0;
    }
    return std::nullopt;
  }
  if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string &>().compare(b.get_ref<const std::string &>());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return std::nullopt;
}

// Why an eq that failed may surprise: the two sides are the same number
// written differently, or a TOML float rounded the expected value.
std::string eq_hint(const json &actual, const json &expected) {
  auto a = decimal_of(actual), e = decimal_of(expected);
  if (!a || !e)
    return "";
  if (actual.is_string() && expected.is_string() && *a == *e)
    return " (the same number written differently: two strings compare as text; the actual "
           "value is text, so write it exactly as it is)";
  if (actual.is_string() && expected.is_number())
    return " (the actual value is a string: a number that a double cannot hold exactly is kept "
           "as the string of its digits; compare it with a string, " +
           brief(json(actual.get<std::string>())) + ")";
  if (expected.is_number_float() && !actual.is_string()) {
    // The expected double is the nearest one to the actual value: the TOML
    // float lost the digits that differ.
    auto rounded = decimal::of(json(actual.get<double>()));
    if (rounded && *rounded == *e)
      return " (a TOML float is a double and keeps about 17 significant digits; write the "
             "exact value as a string: \"" +
             to_text(actual) + "\")";
  }
  return "";
}

} // namespace

std::string_view op_name(Op op) {
  for (auto &[o, n] : kOps)
    if (o == op)
      return n;
  return "?";
}

std::optional<Op> parse_op(std::string_view name) {
  for (auto &[o, n] : kOps)
    if (n == name)
      return o;
  return std::nullopt;
}

const std::vector<std::string> &op_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (auto &[o, n] : kOps)
      v.emplace_back(n);
    return v;
  }();
  return names;
}

std::string op_typo(std::string_view key) {
  if (key.size() < 4 || parse_op(key))
    return "";
  size_t limit = key.size() <= 6 ? 1 : 2;
  for (const auto &n : op_names())
    if (n.size() >= 4 && edit_distance(key, n) <= limit)
      return n;
  return "";
}

std::string clip(std::string s, size_t max) {
  if (s.size() > max) {
    // Never cut inside a UTF-8 sequence.
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
      --cut;
    s.resize(cut);
    s += "...";
  }
  return s;
}

static void compile_check(Check &c, const SourceLoc &loc, std::vector<Diagnostic> &errors) {
  const std::string name(op_name(c.op));
  if (c.op == Op::Schema || c.op == Op::OpenApi) {
    // Contracts are files read now, so that `seam check` reports them.
    if (!c.operand.is_constant()) {
      errors.push_back(
          {loc, "'" + name + "' cannot hold ${...}: contracts are read before the run", ""});
      return;
    }
    const json &v = c.operand.constant_value();
    c.contract = c.op == Op::Schema ? compile_schema_contract(v, loc, errors)
                                    : compile_openapi_contract(v, loc, errors);
    return;
  }
  if (!c.operand.is_constant()) {
    if (c.op == Op::Len) {
      if (c.operand.members()) {
        auto nested = std::make_shared<Matcher>(Matcher::compile(c.operand, loc, errors));
        c.nested = std::move(nested);
      }
    }
    return; // checked when rendered
  }
  const json &v = c.operand.constant_value();
  switch (c.op) {
  case Op::Matches:
    if (!v.is_string()) {
      errors.push_back({loc, "'matches' takes a regular expression string, not " + brief(v), ""});
      return;
    }
    {
      std::string why;
      c.regex = Regex::compile(v.get<std::string>(), &why);
      if (!c.regex)
        errors.push_back({loc, "bad regular expression " + brief(v) + ": " + why,
                          "patterns are RE2 regular expressions (no backreferences or "
                          "lookaround); write them as 'literal strings' so that \\d stays \\d"});
    }
    return;
  case Op::Exists:
    if (!v.is_boolean())
      errors.push_back({loc, "'exists' takes true or false, not " + brief(v), ""});
    return;
  case Op::Type:
    if (!v.is_string() ||
        std::find(kTypes.begin(), kTypes.end(), v.get<std::string>()) == kTypes.end()) {
      std::string hint = "one of: string, number, integer, boolean, array, object, null";
      errors.push_back({loc, "unknown type " + brief(v) + " for 'type'", hint});
    }
    return;
  case Op::Len:
    if (v.is_object()) {
      c.nested = std::make_shared<Matcher>(Matcher::compile(c.operand, loc, errors));
    } else if (!v.is_number_integer() || v.get<long long>() < 0) {
      errors.push_back({loc, "'len' takes a whole number or a matcher table, not " + brief(v), ""});
    }
    return;
  case Op::In:
    if (!v.is_array())
      errors.push_back({loc, "'in' takes a list of allowed values, not " + brief(v), ""});
    return;
  case Op::Gt:
  case Op::Ge:
  case Op::Lt:
  case Op::Le:
    if (!v.is_number() && !v.is_string())
      errors.push_back({loc, "'" + name + "' compares numbers or strings, not " + brief(v), ""});
    return;
  default:
    return;
  }
}

Matcher Matcher::compile(const Template &t, const SourceLoc &loc, std::vector<Diagnostic> &errors) {
  Matcher m;
  auto members = t.members();
  bool operator_table = false;
  if (members && !members->empty()) {
    size_t ops = 0;
    for (auto &[k, v] : *members)
      ops += parse_op(k).has_value();
    if (ops == members->size()) {
      operator_table = true;
    } else if (ops > 0) {
      std::string plain;
      for (auto &[k, v] : *members)
        if (!parse_op(k))
          plain = k;
      errors.push_back({loc, "matcher table mixes operators with the key '" + plain + "'",
                        "a table of operators (" + std::string("eq, ne, gt, ...") +
                            ") is a matcher; to compare with a table write { eq = { ... } }"});
      return m;
    } else if (members->size() == 1) {
      // A lone key that is close to an operator is almost surely a typo.
      const std::string &k = members->front().first;
      std::string near = op_typo(k);
      if (!near.empty()) {
        errors.push_back({loc, "unknown matcher '" + k + "'",
                          "did you mean '" + near +
                              "'? To compare with a table literally, write "
                              "{ eq = { " +
                              k + " = ... } }"});
        return m;
      }
    }
  }
  if (!operator_table) {
    m.checks.push_back({Op::Eq, t, std::nullopt, nullptr, nullptr});
    return m;
  }
  for (auto &[k, v] : *members) {
    Check c{*parse_op(k), v, std::nullopt, nullptr, nullptr};
    compile_check(c, loc, errors);
    m.checks.push_back(std::move(c));
  }
  return m;
}

// Renders values for messages: masked before they are cut, so that a cut never
// leaves part of a secret visible.
struct Shown {
  const Secrets *secrets = nullptr;
  std::string operator()(const json &v, size_t max = 120) const {
    if (v.is_discarded())
      return "(missing)";
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (secrets)
      secrets->mask_in_place(s);
    return clip(std::move(s), max);
  }
  // Whether masking changes v: a value that holds a secret.
  bool hides(const json &v) const {
    if (!secrets || secrets->empty())
      return false;
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    return secrets->mask(s) != s;
  }
};

std::string brief(const json &v, size_t max) { return Shown{}(v, max); }

static std::optional<Mismatch> fail(const Shown &show, const std::string &path, const Check &c,
                                    const json &expected, const json *actual,
                                    std::string why = {}) {
  Mismatch mm;
  mm.path = path;
  mm.op = std::string(op_name(c.op));
  mm.expected = expected;
  mm.actual = actual ? *actual : json(json::value_t::discarded);
  std::string p = path.empty() ? "output" : path;
  if (!actual) {
    mm.message =
        p + ": not found (expected " + (c.op == Op::Eq ? "" : mm.op + " ") + show(expected) + ")";
  } else if (!why.empty()) {
    mm.message = p + ": " + why;
  } else {
    mm.message = p + ": expected " + (c.op == Op::Eq ? "" : mm.op + " ") + show(expected) +
                 ", got " + show(*actual);
  }
  return mm;
}

static bool regex_holds(const Regex &re, const json &actual) {
  if (actual.is_string())
    return re.search(actual.get_ref<const std::string &>());
  return re.search(to_text(actual));
}

std::optional<Mismatch> evaluate(const Matcher &m, const std::string &path, const json *actual,
                                 const Resolver &r, const Secrets *secrets) {
  const Shown show{secrets};
  for (const Check &c : m.checks) {
    json expected = c.operand.is_constant() ? json() : c.operand.render(r);
    const json &exp = c.operand.is_constant() ? c.operand.constant_value() : expected;
    if (c.op == Op::Exists) {
      bool want = exp.is_boolean() ? exp.get<bool>() : true;
      if ((actual != nullptr) != want) {
        return fail(show, path, c, exp, actual,
                    want ? "expected to exist, but it is missing"
                         : "expected not to exist, got " + (actual ? show(*actual) : ""));
      }
      continue;
    }
    if (!actual)
      return fail(show, path, c, exp, actual);
    switch (c.op) {
    case Op::Eq:
      if (!equal(*actual, exp)) {
        std::string hint = eq_hint(*actual, exp);
        if (hint.empty())
          return fail(show, path, c, exp, actual);
        return fail(show, path, c, exp, actual,
                    "expected " + show(exp) + ", got " + show(*actual) + hint);
      }
      break;
    case Op::Ne:
      if (equal(*actual, exp))
        return fail(show, path, c, exp, actual);
      break;
    case Op::Gt:
    case Op::Ge:
    case Op::Lt:
    case Op::Le: {
      auto cmp = compare(*actual, exp);
      if (!cmp)
        return fail(show, path, c, exp, actual,
                    "cannot compare " + type_of(*actual) + " " + show(*actual) + " with " +
                        type_of(exp) + " " + show(exp) + " (" + std::string(op_name(c.op)) + ")");
      bool ok = c.op == Op::Gt   ? *cmp > 0
                : c.op == Op::Ge ? *cmp >= 0
                : c.op == Op::Lt ? *cmp < 0
                                 : *cmp <= 0;
      if (!ok)
        return fail(show, path, c, exp, actual);
      break;
    }
    case Op::Contains: {
      bool ok = false;
      if (actual->is_string() && exp.is_string())
        ok = actual->get_ref<const std::string &>().find(exp.get_ref<const std::string &>()) !=
             std::string::npos;
      else if (actual->is_array())
        ok = std::find(actual->begin(), actual->end(), exp) != actual->end();
      else if (actual->is_object() && exp.is_string())
        ok = actual->contains(exp.get<std::string>());
      else if (actual->is_string() || actual->is_object())
        return fail(show, path, c, exp, actual,
                    "'contains' on " +
                        std::string(actual->is_string() ? "a string looks for text"
                                                        : "an object looks for a key") +
                        ", not " + type_of(exp) + " " + show(exp) + " (write it as a string: \"" +
                        to_text(exp) + "\")");
      else
        return fail(show, path, c, exp, actual,
                    "'contains' needs a string, array or object, got " + type_of(*actual) + " " +
                        show(*actual));
      if (!ok)
        return fail(show, path, c, exp, actual);
      break;
    }
    case Op::Matches: {
      if (!actual->is_string() && !actual->is_number() && !actual->is_boolean())
        return fail(show, path, c, exp, actual,
                    "'matches' needs a string, got " + type_of(*actual) + " " + show(*actual));
      if (c.regex) {
        if (!regex_holds(*c.regex, *actual))
          return fail(show, path, c, exp, actual);
      } else {
        std::string why;
        auto re = Regex::compile(to_text(exp), &why);
        if (!re)
          return fail(show, path, c, exp, actual,
                      "bad regular expression " + show(exp) + ": " + why);
        if (!regex_holds(*re, *actual))
          return fail(show, path, c, exp, actual);
      }
      break;
    }
    case Op::Type:
      if (!exp.is_string() || !has_type(*actual, exp.get<std::string>()))
        return fail(show, path, c, exp, actual,
                    "expected type " + show(exp) + ", got " + type_of(*actual) + " " +
                        show(*actual));
      break;
    case Op::Len: {
      json n;
      if (actual->is_string())
        n = utf8_length(actual->get<std::string>());
      else if (actual->is_array() || actual->is_object())
        n = actual->size();
      else
        return fail(show, path, c, exp, actual,
                    "'len' needs a string, array or object, got " + type_of(*actual) + " " +
                        show(*actual));
      if (c.nested && show.hides(*actual)) {
        if (evaluate(*c.nested, path + " (length)", &n, r, nullptr))
          return fail(show, path, c, exp, actual,
                      "the length of " + show(*actual) + " does not hold " + show(exp));
      } else if (c.nested) {
        if (auto mm = evaluate(*c.nested, path + " (length)", &n, r, secrets))
          return mm;
      } else if (n != exp) {
        // The length of a value that holds a secret would tell the secret's.
        if (show.hides(*actual))
          return fail(show, path, c, exp, actual,
                      "expected length " + show(exp) +
                          ", got a value of another length: " + show(*actual));
        return fail(show, path, c, exp, actual,
                    "expected length " + show(exp) + ", got " + show(n) + ": " + show(*actual));
      }
      break;
    }
    case Op::In:
      if (!exp.is_array() ||
          std::none_of(exp.begin(), exp.end(), [&](const json &e) { return equal(*actual, e); }))
        return fail(show, path, c, exp, actual,
                    "expected one of " + show(exp) + ", got " + show(*actual));
      break;
    case Op::Schema:
    case Op::OpenApi:
      if (c.contract) {
        if (auto why = c.contract->check(*actual, path)) {
          if (secrets)
            secrets->mask_in_place(*why);
          return fail(show, path, c, exp, actual, *why);
        }
      }
      break;
    case Op::Exists:
      break;
    }
  }
  return std::nullopt;
}

static void add_expectations(std::vector<Expectation> &out, const json &v, const std::string &path,
                             std::vector<Diagnostic> &errors) {
  if (v.is_object() && !v.empty()) {
    bool any_op = false;
    for (auto &[k, x] : v.items())
      any_op = any_op || parse_op(k).has_value();
    bool typo = v.size() == 1 && !any_op && !op_typo(v.begin().key()).empty();
    if (!any_op && !typo) {
      for (auto &[k, x] : v.items())
        add_expectations(out, x, path.empty() ? k : path + "." + k, errors);
      return;
    }
  }
  Expectation e;
  std::string err;
  auto p = JsonPath::parse(path, &err);
  if (!p) {
    errors.push_back({{}, "bad path '" + path + "': " + err, ""});
    return;
  }
  e.path = std::move(*p);
  e.matcher = Matcher::compile(Template::constant(v), {}, errors);
  out.push_back(std::move(e));
}

std::vector<Expectation> compile_expectations(const json &table, std::vector<Diagnostic> &errors) {
  std::vector<Expectation> out;
  for (auto &[k, v] : table.items())
    add_expectations(out, v, k, errors);
  return out;
}

std::optional<Mismatch> evaluate(const Expectation &e, const json &doc, const Resolver &r,
                                 const Secrets *secrets) {
  return evaluate(e.matcher, e.path_text(), e.path.find(doc), r, secrets);
}

} // namespace seam
