// The expect language: `expect = { "PATH" = value-or-matcher, ... }`.
// A bare value means equality; a table whose keys are all operators is a
// matcher: eq ne gt ge lt le contains matches exists type len in, and the
// contract matchers schema and openapi (contracts.hpp). Any other
// table is compared for equality (write { eq = {...} } to make that explicit).
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/base/json_path.hpp"
#include "seam/core/base/regex.hpp"
#include "seam/core/base/secrets.hpp"
#include "seam/core/model/interpolate.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seam {

enum class Op { Eq, Ne, Gt, Ge, Lt, Le, Contains, Matches, Exists, Type, Len, In, Schema, OpenApi };

std::string_view op_name(Op op);
std::optional<Op> parse_op(std::string_view name);
const std::vector<std::string> &op_names();
// The operator a table key was probably meant to be ("matchs" -> "matches"),
// or "". Short keys are never taken for typos: `id` is a field, not `in`.
std::string op_typo(std::string_view key);

struct Matcher;
class Contract;

struct Check {
  Op op = Op::Eq;
  Template operand;
  std::optional<Regex> regex;               // `matches` with a constant pattern
  std::shared_ptr<const Matcher> nested;    // `len` with a matcher table
  std::shared_ptr<const Contract> contract; // `schema`, `openapi`
};

struct Matcher {
  std::vector<Check> checks;

  // Compiles a value or operator table; problems go to `errors` at `loc`.
  static Matcher compile(const Template &t, const SourceLoc &loc, std::vector<Diagnostic> &errors);
};

// Why a check did not hold.
struct Mismatch {
  std::string path;    // as written in the suite
  std::string op;      // "eq", "matches", ...
  json expected;       // the rendered operand
  json actual;         // discarded json when the path was missing
  std::string message; // "json.email: expected "a@b" (eq), got "c@d""
};

// Checks `actual` (nullptr: missing) against m. nullopt when every check holds.
// With `secrets`, values in the message are masked before they are cut, and
// the length of a value that holds a secret is never told.
std::optional<Mismatch> evaluate(const Matcher &m, const std::string &path, const json *actual,
                                 const Resolver &r, const Secrets *secrets = nullptr);

struct Expectation {
  // As written in the suite (the path's own text).
  const std::string &path_text() const { return path.text(); }
  JsonPath path;
  Matcher matcher;
  SourceLoc loc;
};

std::optional<Mismatch> evaluate(const Expectation &e, const json &doc, const Resolver &r,
                                 const Secrets *secrets = nullptr);

// Compiles a JSON expectation table ({"PATH": value-or-matcher}) the way a
// suite's `expect` is read (tables that are not operator tables are walked).
std::vector<Expectation> compile_expectations(const json &table, std::vector<Diagnostic> &errors);

// A short rendering of a value for messages (long values are cut).
std::string brief(const json &v, size_t max = 120);
// `s` cut to `max` bytes (at a character boundary) with "..." when longer.
std::string clip(std::string s, size_t max);

} // namespace seam
