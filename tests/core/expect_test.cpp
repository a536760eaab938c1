// The expect language: every operator passing and failing, compile errors,
// the messages users read, and the flattening of nested expect tables.
#include "seam/core/expect/expect.hpp"

#include <seam/exact_numbers.hpp>

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace seam {
namespace {

using test::MapResolver;

const auto kMatcherFile = test::source("s.toml", "");
const SourceLoc kMatcherLoc{kMatcherFile, 4, 7};

Matcher compile_ok(const json &v) {
  std::vector<Diagnostic> errors;
  Matcher m = Matcher::compile(Template::constant(v), kMatcherLoc, errors);
  EXPECT_TRUE(errors.empty()) << v.dump() << ": " << (errors.empty() ? "" : errors[0].message);
  return m;
}

std::vector<Diagnostic> compile_errors(const json &v) {
  std::vector<Diagnostic> errors;
  Matcher::compile(Template::constant(v), kMatcherLoc, errors);
  return errors;
}

// nullopt when `actual` satisfies the matcher `m`.
std::optional<Mismatch> check(const json &m, const json &actual, const std::string &path = "p") {
  return evaluate(compile_ok(m), path, &actual, MapResolver{});
}

std::optional<Mismatch> check_missing(const json &m, const std::string &path = "p") {
  return evaluate(compile_ok(m), path, nullptr, MapResolver{});
}

bool holds(const json &m, const json &actual) { return !check(m, actual).has_value(); }

std::string message(const json &m, const json &actual) {
  auto mm = check(m, actual);
  return mm ? mm->message : "(held)";
}

// ---- operators -------------------------------------------------------------

TEST(ExpectOps, NamesRoundTrip) {
  ASSERT_EQ(op_names().size(), 14u);
  for (const auto &n : op_names()) {
    auto op = parse_op(n);
    ASSERT_TRUE(op.has_value()) << n;
    EXPECT_EQ(op_name(*op), n);
  }
  EXPECT_EQ(op_names(),
            (std::vector<std::string>{"eq", "ne", "gt", "ge", "lt", "le", "contains", "matches",
                                      "exists", "type", "len", "in", "schema", "openapi"}));
  EXPECT_FALSE(parse_op("Schema").has_value());
  EXPECT_FALSE(parse_op("EQ").has_value());
}

TEST(ExpectOps, TypoDetection) {
  EXPECT_EQ(op_typo("matchs"), "matches");
  EXPECT_EQ(op_typo("macthes"), "matches");
  EXPECT_EQ(op_typo("exist"), "exists");
  EXPECT_EQ(op_typo("contain"), "contains");
  EXPECT_EQ(op_typo("cotnains"), "contains");
  // Short keys are fields, not typos; real operators are not typos.
  EXPECT_EQ(op_typo("id"), "");
  EXPECT_EQ(op_typo("eqq"), "");
  EXPECT_EQ(op_typo("matches"), "");
  EXPECT_EQ(op_typo("name"), "");
  EXPECT_EQ(op_typo("email"), "");
  EXPECT_EQ(op_typo("status"), "");
}

TEST(ExpectEq, BareValueMeansEquality) {
  Matcher m = compile_ok(200);
  ASSERT_EQ(m.checks.size(), 1u);
  EXPECT_EQ(m.checks[0].op, Op::Eq);
  EXPECT_TRUE(holds(200, 200));
  EXPECT_TRUE(holds("a", "a"));
  EXPECT_TRUE(holds(nullptr, nullptr));
  EXPECT_TRUE(holds(json::array({1, 2}), json::array({1, 2})));
  EXPECT_FALSE(holds(json::array({1, 2}), json::array({2, 1})));
  EXPECT_FALSE(holds(1, "1")); // an actual string never equals a number
  EXPECT_FALSE(holds(0, false));
  EXPECT_FALSE(holds(nullptr, 0));
}

TEST(ExpectEq, MixedIntegerAndFloat) {
  EXPECT_TRUE(holds(1, 1.0));
  EXPECT_TRUE(holds(1.0, 1));
  EXPECT_TRUE(holds(json{{"eq", 2}}, 2.0));
  EXPECT_FALSE(holds(1, 1.5));
  // JSON from plugins parses non-negative integers as unsigned.
  EXPECT_TRUE(holds(5, json::parse("5")));
  EXPECT_TRUE(holds(json{{"eq", 5}}, json::parse("5.0")));
}

TEST(ExpectEq, NonOperatorTableIsComparedWhole) {
  json table = {{"id", 1}, {"name", "x"}};
  Matcher m = compile_ok(table);
  ASSERT_EQ(m.checks.size(), 1u);
  EXPECT_EQ(m.checks[0].op, Op::Eq);
  EXPECT_TRUE(holds(table, json{{"name", "x"}, {"id", 1}}));
  EXPECT_FALSE(holds(table, json{{"id", 1}}));
  // An explicit eq compares a table of operator names literally.
  EXPECT_TRUE(holds(json{{"eq", {{"gt", 1}}}}, json{{"gt", 1}}));
}

TEST(ExpectEq, FailureMessage) {
  auto mm = check("a@b", "c@d", "json.email");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->path, "json.email");
  EXPECT_EQ(mm->op, "eq");
  EXPECT_EQ(mm->expected, "a@b");
  EXPECT_EQ(mm->actual, "c@d");
  EXPECT_EQ(mm->message, R"(json.email: expected "a@b", got "c@d")");
}

TEST(ExpectEq, EmptyPathIsCalledOutput) {
  auto mm = check(1, 2, "");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "output: expected 1, got 2");
}

TEST(ExpectEq, MissingValue) {
  auto mm = check_missing(201, "status");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "status: not found (expected 201)");
  EXPECT_TRUE(mm->actual.is_discarded());
  EXPECT_EQ(mm->expected, 201);

  mm = check_missing(json{{"gt", 3}}, "n");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "n: not found (expected gt 3)");
  EXPECT_EQ(mm->op, "gt");
}

TEST(ExpectNe, PassAndFail) {
  EXPECT_TRUE(holds(json{{"ne", 1}}, 2));
  EXPECT_TRUE(holds(json{{"ne", 1}}, "1"));  // an actual string is no number
  EXPECT_FALSE(holds(json{{"ne", "1"}}, 1)); // an expected decimal string is, by value
  EXPECT_FALSE(holds(json{{"ne", 1}}, 1.0));
  EXPECT_EQ(message(json{{"ne", 1}}, 1), "p: expected ne 1, got 1");
  // A missing value is not "not equal": there is nothing to compare.
  EXPECT_TRUE(check_missing(json{{"ne", 1}}).has_value());
}

TEST(ExpectOrder, Numbers) {
  EXPECT_TRUE(holds(json{{"gt", 3}}, 5));
  EXPECT_FALSE(holds(json{{"gt", 3}}, 3));
  EXPECT_TRUE(holds(json{{"ge", 3}}, 3));
  EXPECT_FALSE(holds(json{{"ge", 3}}, 2));
  EXPECT_TRUE(holds(json{{"lt", 3}}, 2.5));
  EXPECT_FALSE(holds(json{{"lt", 3}}, 3.0));
  EXPECT_TRUE(holds(json{{"le", 3}}, 3.0));
  EXPECT_FALSE(holds(json{{"le", 3}}, 3.01));
  EXPECT_TRUE(holds(json{{"gt", -1}}, 0));
  EXPECT_TRUE(holds(json{{"gt", 2.5}}, 3));
  EXPECT_TRUE(holds(json{{"lt", 0}}, -7));
  // Unsigned (parsed) against signed (from TOML).
  EXPECT_TRUE(holds(json{{"gt", -5}}, json::parse("3")));
  EXPECT_TRUE(holds(json{{"lt", 10}}, json::parse("3")));
  EXPECT_EQ(message(json{{"gt", 3}}, 3), "p: expected gt 3, got 3");
  EXPECT_EQ(message(json{{"le", 1}}, 2.5), "p: expected le 1, got 2.5");
}

TEST(ExpectOrder, LargeUnsignedAgainstNegative) {
  // 2^64-1 arrives as an unsigned number from a plugin's JSON; it is greater
  // than -1 and must not wrap around to -1.
  json big = json::parse("18446744073709551615");
  ASSERT_TRUE(big.is_number_unsigned());
  EXPECT_TRUE(holds(json{{"gt", -1}}, big)) << message(json{{"gt", -1}}, big);
  EXPECT_FALSE(holds(json{{"lt", 0}}, big)) << "2^64-1 compared as less than 0";
}

TEST(ExpectOrder, StringsCompareByteWise) {
  EXPECT_TRUE(holds(json{{"gt", "a"}}, "b"));
  EXPECT_TRUE(holds(json{{"lt", "banana"}}, "apple"));
  EXPECT_TRUE(holds(json{{"ge", "2024-01-01"}}, "2024-06-30"));
  EXPECT_FALSE(holds(json{{"ge", "2024-01-01"}}, "2023-12-31"));
  EXPECT_TRUE(holds(json{{"lt", "a"}}, "B")); // upper case sorts first
  EXPECT_TRUE(holds(json{{"le", "abc"}}, "abc"));
  EXPECT_TRUE(holds(json{{"gt", "ab"}}, "abc"));
  EXPECT_TRUE(holds(json{{"gt", "10"}}, "9")); // text, not numbers
}

TEST(ExpectOrder, CannotCompareMixedKinds) {
  EXPECT_EQ(message(json{{"gt", 3}}, "five"),
            R"(p: cannot compare string "five" with integer 3 (gt))");
  EXPECT_EQ(message(json{{"lt", "a"}}, 1.5),
            R"(p: cannot compare number 1.5 with string "a" (lt))");
  EXPECT_EQ(message(json{{"ge", 0}}, nullptr), "p: cannot compare null null with integer 0 (ge)");
  EXPECT_FALSE(holds(json{{"le", 1}}, json::array({0})));
}

// ---- exact numbers ---------------------------------------------------------

TEST(ExpectExact, DecimalParse) {
  auto d = decimal::parse("-0012.3400");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->negative);
  EXPECT_EQ(d->digits, "1234");
  EXPECT_EQ(d->exponent, -2);
  d = decimal::parse("0.050e3");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digits, "5");
  EXPECT_EQ(d->exponent, 1);
  for (const char *zero : {"0", "-0", "0.000", "+0e5", ".0", "0."})
    EXPECT_TRUE(decimal::parse(zero) && decimal::parse(zero)->digits.empty()) << zero;
  for (const char *bad : {"", "-", ".", "e3", "1e", "1e+", " 1", "1 ", "0x10", "1.2.3", "NaN",
                          "Infinity", "1e1234567890", "12a", "--1"})
    EXPECT_FALSE(decimal::parse(bad)) << bad;
}

TEST(ExpectExact, DecimalCompareWithoutFloatingPoint) {
  auto cmp = [](const char *a, const char *b) {
    return compare(*decimal::parse(a), *decimal::parse(b));
  };
  EXPECT_EQ(cmp("1234.50", "1234.5"), 0);
  EXPECT_EQ(cmp("-0", "0.0"), 0);
  EXPECT_EQ(cmp("1e3", "1000"), 0);
  EXPECT_EQ(cmp("12345678901234567890.1234567890", "12345678901234567890.123456789"), 0);
  EXPECT_EQ(cmp("12345678901234567890.1234567890", "12345678901234567890.1234567891"), -1);
  EXPECT_EQ(cmp("12345678901234567890.1234567891", "12345678901234567890.123456789"), 1);
  EXPECT_EQ(cmp("9223372036854775807", "9223372036854775808"), -1);
  EXPECT_EQ(cmp("18446744073709551616", "18446744073709551615"), 1);
  EXPECT_EQ(cmp("-2", "-10"), 1);
  EXPECT_EQ(cmp("-0.001", "0"), -1);
  EXPECT_EQ(cmp("0.1", "0.09999999999999999999"), 1);
  EXPECT_EQ(cmp("99", "100"), -1);
  EXPECT_EQ(cmp("1.5", "15e-1"), 0);
}

TEST(ExpectExact, DoubleHolds) {
  EXPECT_TRUE(double_holds("19.99"));
  EXPECT_TRUE(double_holds("1234.50"));
  EXPECT_TRUE(double_holds("1e300"));
  EXPECT_TRUE(double_holds("-0"));
  EXPECT_TRUE(double_holds("9007199254740992"));      // 2^53
  EXPECT_FALSE(double_holds("18446744073709551616")); // 2^64: read back as 1.8446744073709552e19
  EXPECT_FALSE(double_holds("9007199254740993"));     // 2^53 + 1
  EXPECT_TRUE(double_holds("0.123456789012345"));     // 15 digits: no conversion needed
  EXPECT_TRUE(double_holds("1e-320"));                // a subnormal reads back as itself
  EXPECT_TRUE(double_holds("0.1234567890123456"));    // 16 digits that do read back
  EXPECT_FALSE(double_holds("0.12345678901234567"));  // 17 that do not
  EXPECT_FALSE(double_holds("12345678901234567890.1234567890"));
  EXPECT_FALSE(double_holds("0.1000000000000000000001"));
  EXPECT_FALSE(double_holds("1e400")); // beyond a double's range
  EXPECT_FALSE(double_holds("NaN"));
  EXPECT_EQ(exact_number("9223372036854775807"), json(INT64_MAX));
  EXPECT_TRUE(exact_number("18446744073709551615").is_number_unsigned());
  EXPECT_EQ(exact_number("18446744073709551616"), json("18446744073709551616"));
  EXPECT_EQ(exact_number("1234.50"), json(1234.5));
  EXPECT_EQ(exact_number("12345678901234567890.1234567890"),
            json("12345678901234567890.1234567890"));
}

TEST(ExpectExact, JsonTextKeepsNumbersADoubleCannotHold) {
  json v = parse_json_exact(
      R"({"big": 123456789012345678901234567890, "long": 0.12345678901234567890123,
          "plain": 19.99, "int": -42, "u": 18446744073709551615, "list": [9007199254740993.5, 2.5]})");
  ASSERT_FALSE(v.is_discarded());
  EXPECT_EQ(v["big"], json("123456789012345678901234567890"));
  EXPECT_EQ(v["long"], json("0.12345678901234567890123"));
  EXPECT_EQ(v["plain"], json(19.99));
  EXPECT_EQ(v["int"], json(-42));
  EXPECT_TRUE(v["u"].is_number_unsigned());
  EXPECT_EQ(v["list"], json::parse(R"(["9007199254740993.5", 2.5])"));
  // Beyond a double's range nlohmann refuses the text: it is no JSON.
  EXPECT_TRUE(parse_json_exact("[1e400]").is_discarded());
  EXPECT_TRUE(parse_json_exact("{\"a\": }").is_discarded());
  EXPECT_TRUE(parse_json_exact("").is_discarded());
}

TEST(ExpectExact, NumbersEqualByDecimalValue) {
  json big = json::parse("18446744073709551615");
  EXPECT_TRUE(holds(json::parse("18446744073709551615"), big));
  EXPECT_FALSE(holds(18446744073709551615.0, big)) << "2^64 as a double equals 2^64 - 1";
  EXPECT_FALSE(holds(9223372036854775807.0, json(INT64_MAX)));
  EXPECT_TRUE(holds(json{{"ne", 9223372036854775807.0}}, json(INT64_MAX)));
  EXPECT_TRUE(holds(-0.0, 0));
  EXPECT_TRUE(holds(0.1, json::parse("0.1")));
  EXPECT_FALSE(holds(0.3, json::parse("0.30000000000000004")));
  EXPECT_TRUE(holds(json::array({1, 2.5}), json::parse("[1.0, 2.50]")));
  EXPECT_TRUE(holds(json{{"eq", {{"a", 1}}}}, json::parse(R"({"a": 1.0})")));
}

TEST(ExpectExact, ExpectedStringComparesWithActualNumberByValue) {
  EXPECT_TRUE(holds("1234.50", 1234.5));
  EXPECT_TRUE(holds("1234.5", 1234.5));
  EXPECT_FALSE(holds("1234.51", 1234.5));
  EXPECT_TRUE(holds("18446744073709551615", json::parse("18446744073709551615")));
  EXPECT_FALSE(holds("18446744073709551616", json::parse("18446744073709551615")));
  EXPECT_TRUE(holds(json{{"ne", "9223372036854775808"}}, json(INT64_MAX)));
  EXPECT_TRUE(holds(json{{"in", json::array({"1.00", "2.00"})}}, 2));
  EXPECT_FALSE(holds(json{{"in", json::array({"1.00", "2.01"})}}, 2));
  EXPECT_FALSE(holds("abc", 1)); // a string that is no number never equals one
}

TEST(ExpectExact, TextNeverComparesAsNumbers) {
  EXPECT_FALSE(holds("1.0", "1"));
  EXPECT_FALSE(holds("1", "1.0"));
  EXPECT_TRUE(holds(json{{"ne", "1.50"}}, "1.5"));
  EXPECT_FALSE(holds(json{{"in", json::array({"1.0"})}}, "1"));
  EXPECT_EQ(message("12345678901234567890.123456789", "12345678901234567890.1234567890"),
            "p: expected \"12345678901234567890.123456789\", got "
            "\"12345678901234567890.1234567890\" (the same number written differently: two "
            "strings compare as text; the actual value is text, so write it exactly as it is)");
}

TEST(ExpectExact, FailuresSayWhyANumberDidNotMatch) {
  // A TOML float rounded the expected value to the double nearest the actual.
  json big = json::parse("12345678901234567890");
  EXPECT_EQ(message(12345678901234567890.0, big),
            "p: expected 1.2345678901234567e+19, got 12345678901234567890 (a TOML float is a "
            "double and keeps about 17 significant digits; write the exact value as a string: "
            "\"12345678901234567890\")");
  // An exact decimal kept as a string against a number.
  EXPECT_EQ(message(12345678901234567890.123, "12345678901234567890.1234567890"),
            "p: expected 1.2345678901234567e+19, got \"12345678901234567890.1234567890\" (the "
            "actual value is a string: a number that a double cannot hold exactly is kept as the "
            "string of its digits; compare it with a string, "
            "\"12345678901234567890.1234567890\")");
}

TEST(ExpectExact, OrderingByDecimalValue) {
  const json exact = "12345678901234567890.1234567890"; // as a plugin keeps it
  EXPECT_TRUE(holds(json{{"gt", 1e19}}, exact));
  EXPECT_TRUE(holds(json{{"lt", 2e19}}, exact));
  // The double written 12345678901234567890.0 is 1.2345678901234567e19.
  EXPECT_TRUE(holds(json{{"lt", "12345678901234567890.123456788"}}, 12345678901234567890.0));
  EXPECT_TRUE(holds(json{{"ge", "12345678901234567000"}}, 12345678901234567890.0));
  EXPECT_TRUE(holds(json{{"ge", "1234.50"}}, 1234.5));
  EXPECT_TRUE(holds(json{{"le", "1234.50"}}, 1234.5));
  EXPECT_FALSE(holds(json{{"gt", "1234.50"}}, 1234.5));
  EXPECT_TRUE(holds(json{{"gt", 3}}, "5")); // a decimal string against a number
  EXPECT_TRUE(holds(json{{"gt", INT64_MAX}}, json::parse("9223372036854775808")));
  EXPECT_FALSE(holds(json{{"gt", 9223372036854775807.0}}, json::parse("9223372036854775808")))
      << "2^63 as a double is 2^63";
  EXPECT_TRUE(holds(json{{"lt", 0}}, -0.5));
  EXPECT_FALSE(holds(json{{"lt", 0}}, -0.0));
  EXPECT_TRUE(holds(json{{"gt", "10"}}, "9")); // two strings: text
}

TEST(ExpectOrder, CompileRejectsUnorderedOperands) {
  auto errors = compile_errors(json{{"gt", true}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "'gt' compares numbers or strings, not true");
  EXPECT_EQ(errors[0].loc.line, 4u);
  EXPECT_EQ(errors[0].loc.col, 7u);
  errors = compile_errors(json{{"le", json::array({1})}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "'le' compares numbers or strings, not [1]");
}

TEST(ExpectContains, String) {
  EXPECT_TRUE(holds(json{{"contains", "o w"}}, "hello world"));
  EXPECT_TRUE(holds(json{{"contains", ""}}, "anything"));
  EXPECT_FALSE(holds(json{{"contains", "W"}}, "hello world"));
  EXPECT_EQ(message(json{{"contains", "q"}}, "xyz"), R"(p: expected contains "q", got "xyz")");
}

TEST(ExpectContains, Array) {
  json arr = json::parse(R"([1, "two", {"id": 3}, [4]])");
  EXPECT_TRUE(holds(json{{"contains", 1}}, arr));
  EXPECT_TRUE(holds(json{{"contains", 1.0}}, arr));
  EXPECT_TRUE(holds(json{{"contains", "two"}}, arr));
  EXPECT_TRUE(holds(json{{"contains", {{"id", 3}}}}, arr));
  EXPECT_TRUE(holds(json{{"contains", json::array({4})}}, arr));
  EXPECT_FALSE(holds(json{{"contains", "tw"}}, arr)); // elements, not substrings
  EXPECT_FALSE(holds(json{{"contains", 5}}, arr));
  EXPECT_EQ(message(json{{"contains", 5}}, json::array({1, 2})),
            "p: expected contains 5, got [1,2]");
}

TEST(ExpectContains, ObjectKeys) {
  json obj = {{"id", 1}, {"name", "x"}};
  EXPECT_TRUE(holds(json{{"contains", "id"}}, obj));
  EXPECT_FALSE(holds(json{{"contains", "x"}}, obj)); // keys, not values
  EXPECT_EQ(message(json{{"contains", "email"}}, obj),
            R"(p: expected contains "email", got {"id":1,"name":"x"})");
}

TEST(ExpectContains, NeedsAContainer) {
  EXPECT_EQ(message(json{{"contains", "5"}}, 5),
            "p: 'contains' needs a string, array or object, got integer 5");
  EXPECT_EQ(message(json{{"contains", "t"}}, true),
            "p: 'contains' needs a string, array or object, got boolean true");
}

TEST(ExpectContains, NonStringOperandOnAStringIsExplained) {
  // The value is a string; a message saying "needs a string ... got string"
  // contradicts itself. Either the number is looked for as text, or the
  // message says what is wrong with the operand.
  auto mm = check(json{{"contains", 123}}, "order 123");
  if (mm) {
    EXPECT_EQ(mm->message.find("needs a string, array or object, got string"), std::string::npos)
        << mm->message;
  }
}

TEST(ExpectMatches, SearchSemantics) {
  EXPECT_TRUE(holds(json{{"matches", "^usr_"}}, "usr_123"));
  EXPECT_TRUE(holds(json{{"matches", "\\d+"}}, "abc123def")); // anywhere, not whole
  EXPECT_TRUE(holds(json{{"matches", "^[a-z]+\\d+[a-z]+$"}}, "abc123def"));
  EXPECT_FALSE(holds(json{{"matches", "^b"}}, "abc"));
  EXPECT_FALSE(holds(json{{"matches", "ABC"}}, "abc")); // case-sensitive
  EXPECT_TRUE(holds(json{{"matches", "(?:refused|reset)"}}, "connection refused"));
  EXPECT_EQ(message(json{{"matches", "^b"}}, "abc"), R"(p: expected matches "^b", got "abc")");
}

TEST(ExpectMatches, ScalarsAreMatchedAsText) {
  EXPECT_TRUE(holds(json{{"matches", "^1\\d\\d$"}}, 123));
  EXPECT_TRUE(holds(json{{"matches", "^tr"}}, true));
  EXPECT_TRUE(holds(json{{"matches", "^1\\.5$"}}, 1.5));
}

TEST(ExpectMatches, NeedsAString) {
  EXPECT_EQ(message(json{{"matches", "x"}}, json{{"a", 1}}),
            R"(p: 'matches' needs a string, got object {"a":1})");
  EXPECT_EQ(message(json{{"matches", "x"}}, nullptr), "p: 'matches' needs a string, got null null");
}

TEST(ExpectMatches, RegexIsCompiledOnce) {
  Matcher m = compile_ok(json{{"matches", "^a"}});
  ASSERT_EQ(m.checks.size(), 1u);
  EXPECT_TRUE(m.checks[0].regex.has_value());
}

TEST(ExpectMatches, BadRegexIsACompileError) {
  auto errors = compile_errors(json{{"matches", "(unclosed"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message.rfind(R"(bad regular expression "(unclosed": )", 0), 0u)
      << errors[0].message;
  EXPECT_NE(errors[0].hint.find("RE2"), std::string::npos);
  EXPECT_EQ(errors[0].loc.line, 4u);

  errors = compile_errors(json{{"matches", 5}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "'matches' takes a regular expression string, not 5");
}

TEST(ExpectMatches, InterpolatedPatternIsCompiledWhenChecked) {
  std::vector<Diagnostic> errors;
  Template pattern = Template::string("^${prefix}_", kMatcherLoc, errors);
  Matcher m = Matcher::compile(Template::object({{"matches", pattern}}), kMatcherLoc, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_FALSE(m.checks[0].regex.has_value());
  json ok = "usr_1";
  EXPECT_FALSE(evaluate(m, "id", &ok, MapResolver{{"prefix", "usr"}}).has_value());
  auto mm = evaluate(m, "id", &ok, MapResolver{{"prefix", "ord"}});
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->expected, "^ord_");
  mm = evaluate(m, "id", &ok, MapResolver{{"prefix", "("}});
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message.rfind(R"(id: bad regular expression "^(_": )", 0), 0u) << mm->message;
}

TEST(ExpectExists, TrueAndFalse) {
  EXPECT_TRUE(holds(json{{"exists", true}}, 1));
  EXPECT_TRUE(holds(json{{"exists", true}}, nullptr)); // present, even if null
  EXPECT_FALSE(check_missing(json{{"exists", false}}).has_value());

  auto mm = check_missing(json{{"exists", true}}, "json.id");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "json.id: not found (expected exists true)");
  EXPECT_EQ(mm->op, "exists");

  mm = check(json{{"exists", false}}, 7, "json.id");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "json.id: expected not to exist, got 7");
}

TEST(ExpectExists, OnMissingPathsOfADocument) {
  json doc = {{"json", {{"items", json::array()}}}};
  std::vector<Diagnostic> errors;
  auto exps = compile_expectations(json{{"json.items[0]", {{"exists", false}}},
                                        {"json.nope.deeper", {{"exists", false}}},
                                        {"json.items", {{"exists", true}}}},
                                   errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(exps.size(), 3u);
  for (const auto &e : exps)
    EXPECT_FALSE(evaluate(e, doc, MapResolver{}).has_value()) << e.path_text();
}

TEST(ExpectExists, TakesOnlyBooleans) {
  auto errors = compile_errors(json{{"exists", "yes"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, R"('exists' takes true or false, not "yes")");
}

TEST(ExpectType, EveryTypeName) {
  EXPECT_TRUE(holds(json{{"type", "string"}}, "s"));
  EXPECT_TRUE(holds(json{{"type", "number"}}, 1));
  EXPECT_TRUE(holds(json{{"type", "number"}}, 1.5));
  EXPECT_TRUE(holds(json{{"type", "integer"}}, 1));
  EXPECT_TRUE(holds(json{{"type", "integer"}}, json::parse("18446744073709551615")));
  EXPECT_TRUE(holds(json{{"type", "integer"}}, 2.0)); // a whole number, as JSON Schema says
  EXPECT_FALSE(holds(json{{"type", "integer"}}, 1.5));
  EXPECT_TRUE(holds(json{{"type", "boolean"}}, false));
  EXPECT_TRUE(holds(json{{"type", "array"}}, json::array()));
  EXPECT_TRUE(holds(json{{"type", "object"}}, json::object()));
  EXPECT_TRUE(holds(json{{"type", "null"}}, nullptr));

  EXPECT_FALSE(holds(json{{"type", "string"}}, 1));
  EXPECT_FALSE(holds(json{{"type", "number"}}, "1"));
  EXPECT_FALSE(holds(json{{"type", "boolean"}}, 0));
  EXPECT_FALSE(holds(json{{"type", "array"}}, json::object()));
  EXPECT_FALSE(holds(json{{"type", "object"}}, json::array()));
  EXPECT_FALSE(holds(json{{"type", "null"}}, false));
}

TEST(ExpectType, FailureMessageNamesBothTypes) {
  EXPECT_EQ(message(json{{"type", "string"}}, 5), R"(p: expected type "string", got integer 5)");
  EXPECT_EQ(message(json{{"type", "integer"}}, 1.5),
            R"(p: expected type "integer", got number 1.5)");
  EXPECT_EQ(message(json{{"type", "array"}}, json{{"a", 1}}),
            R"(p: expected type "array", got object {"a":1})");
}

TEST(ExpectType, UnknownTypeIsACompileError) {
  auto errors = compile_errors(json{{"type", "str"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, R"(unknown type "str" for 'type')");
  EXPECT_EQ(errors[0].hint, "one of: string, number, integer, boolean, array, object, null");
  errors = compile_errors(json{{"type", 5}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unknown type 5 for 'type'");
}

TEST(ExpectLen, WholeNumber) {
  EXPECT_TRUE(holds(json{{"len", 3}}, json::array({1, 2, 3})));
  EXPECT_TRUE(holds(json{{"len", 0}}, json::array()));
  EXPECT_TRUE(holds(json{{"len", 2}}, json{{"a", 1}, {"b", 2}}));
  EXPECT_TRUE(holds(json{{"len", 5}}, "h\xc3\xa9llo")); // characters, not bytes
  EXPECT_TRUE(holds(json{{"len", 0}}, ""));
  EXPECT_FALSE(holds(json{{"len", 2}}, json::array({1, 2, 3})));
  EXPECT_EQ(message(json{{"len", 2}}, json::array({1, 2, 3})),
            "p: expected length 2, got 3: [1,2,3]");
}

TEST(ExpectLen, NestedMatcher) {
  Matcher m = compile_ok(json{{"len", {{"gt", 2}, {"le", 4}}}});
  ASSERT_EQ(m.checks.size(), 1u);
  ASSERT_NE(m.checks[0].nested, nullptr);
  EXPECT_EQ(m.checks[0].nested->checks.size(), 2u);

  EXPECT_TRUE(holds(json{{"len", {{"gt", 2}}}}, json::array({1, 2, 3})));
  EXPECT_TRUE(holds(json{{"len", {{"in", {1, 3}}}}}, "abc"));
  auto mm = check(json{{"len", {{"ge", 5}}}}, json::array({1, 2, 3}), "json.items");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "json.items (length): expected ge 5, got 3");
  EXPECT_EQ(mm->actual, 3);
  mm = check(json{{"len", {{"gt", 2}, {"le", 4}}}}, "abcde", "s");
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "s (length): expected le 4, got 5");
}

TEST(ExpectLen, NeedsAContainer) {
  EXPECT_EQ(message(json{{"len", 1}}, 5),
            "p: 'len' needs a string, array or object, got integer 5");
  EXPECT_EQ(message(json{{"len", 0}}, nullptr),
            "p: 'len' needs a string, array or object, got null null");
}

TEST(ExpectLen, CompileErrors) {
  for (const json &bad : {json("3"), json(-1), json(1.5), json(true), json::array({1})}) {
    auto errors = compile_errors(json{{"len", bad}});
    ASSERT_EQ(errors.size(), 1u) << bad.dump();
    EXPECT_EQ(errors[0].message,
              "'len' takes a whole number or a matcher table, not " + bad.dump());
  }
  // The nested table is compiled with the same rules.
  auto errors = compile_errors(json{{"len", {{"gt", true}}}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "'gt' compares numbers or strings, not true");
}

TEST(ExpectIn, List) {
  EXPECT_TRUE(holds(json{{"in", {200, 201, 204}}}, 201));
  EXPECT_TRUE(holds(json{{"in", {200, 201}}}, 201.0));
  EXPECT_TRUE(holds(json{{"in", {"a", nullptr}}}, nullptr));
  EXPECT_FALSE(holds(json{{"in", json::array()}}, 1));
  EXPECT_EQ(message(json{{"in", {200, 201}}}, 500), "p: expected one of [200,201], got 500");
  EXPECT_EQ(message(json{{"in", {"a", "b"}}}, "c"), R"(p: expected one of ["a","b"], got "c")");
}

TEST(ExpectIn, TakesAList) {
  auto errors = compile_errors(json{{"in", "abc"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, R"('in' takes a list of allowed values, not "abc")");
}

TEST(ExpectMany, EveryOperatorOfATableMustHold) {
  json m = {{"gt", 1}, {"lt", 5}, {"ne", 3}};
  EXPECT_TRUE(holds(m, 2));
  EXPECT_FALSE(holds(m, 3));
  EXPECT_FALSE(holds(m, 6));
  EXPECT_FALSE(holds(m, 1));
  EXPECT_EQ(message(m, 6), "p: expected lt 5, got 6");
}

TEST(ExpectCompile, MixedTable) {
  auto errors = compile_errors(json{{"eq", 1}, {"foo", 2}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "matcher table mixes operators with the key 'foo'");
  EXPECT_NE(errors[0].hint.find("{ eq = { ... } }"), std::string::npos);
  EXPECT_EQ(errors[0].loc.line, 4u);
  EXPECT_EQ(errors[0].loc.col, 7u);
}

TEST(ExpectCompile, OperatorTypo) {
  auto errors = compile_errors(json{{"matchs", "^a"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unknown matcher 'matchs'");
  EXPECT_EQ(errors[0].hint.rfind("did you mean 'matches'?", 0), 0u) << errors[0].hint;
  EXPECT_NE(errors[0].hint.find("{ eq = { matchs = ... } }"), std::string::npos);
}

TEST(ExpectCompile, ShortFieldIsNotATypo) {
  // { id = 1 } compares a table, although "id" is one letter from "in".
  EXPECT_TRUE(compile_errors(json{{"id", 1}}).empty());
  EXPECT_TRUE(holds(json{{"id", 1}}, json{{"id", 1}}));
}

TEST(ExpectCompile, UndefinedReferenceInOperandThrowsWhenChecked) {
  std::vector<Diagnostic> errors;
  Matcher m =
      Matcher::compile(Template::object({{"gt", Template::string("${min}", kMatcherLoc, errors)}}),
                       kMatcherLoc, errors);
  ASSERT_TRUE(errors.empty());
  json v = 5;
  EXPECT_FALSE(evaluate(m, "n", &v, MapResolver{{"min", 1}}).has_value());
  EXPECT_TRUE(evaluate(m, "n", &v, MapResolver{{"min", 9}}).has_value());
  EXPECT_THROW(evaluate(m, "n", &v, MapResolver{}), UndefinedReference);
}

TEST(ExpectCompile, InterpolatedLenTableIsNested) {
  std::vector<Diagnostic> errors;
  Template len = Template::object({{"ge", Template::string("${n}", kMatcherLoc, errors)}});
  Matcher m = Matcher::compile(Template::object({{"len", len}}), kMatcherLoc, errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_NE(m.checks[0].nested, nullptr);
  json v = json::array({1, 2});
  EXPECT_FALSE(evaluate(m, "a", &v, MapResolver{{"n", 2}}).has_value());
  auto mm = evaluate(m, "a", &v, MapResolver{{"n", 3}});
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "a (length): expected ge 3, got 2");
}

TEST(ExpectBrief, CutsLongValues) {
  EXPECT_EQ(brief(json("abc")), "\"abc\"");
  EXPECT_EQ(brief(json(json::value_t::discarded)), "(missing)");
  std::string s = brief(json(std::string(300, 'x')));
  EXPECT_EQ(s.size(), 120u + 3);
  EXPECT_EQ(s.substr(117), "xxx...");
  EXPECT_EQ(brief(json(std::string(300, 'x')), 10), "\"xxxxxxxxx...");
}

TEST(ExpectMismatch, LongActualValueIsCut) {
  std::string big(500, 'y');
  auto mm = check("short", big);
  ASSERT_TRUE(mm.has_value());
  EXPECT_LT(mm->message.size(), 200u);
  EXPECT_NE(mm->message.find("..."), std::string::npos);
  EXPECT_EQ(mm->actual, big); // the record keeps the whole value
}

// ---- compile_expectations ----------------------------------------------------

TEST(CompileExpectations, NestedTablesBecomeDottedPaths) {
  std::vector<Diagnostic> errors;
  auto exps = compile_expectations(json::parse(R"({"json": {"id": 1}})"), errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(exps.size(), 1u);
  EXPECT_EQ(exps[0].path_text(), "json.id");
  EXPECT_EQ(exps[0].path.segments().size(), 2u);
  EXPECT_FALSE(evaluate(exps[0], json::parse(R"({"json": {"id": 1}})"), MapResolver{}).has_value());
  auto mm = evaluate(exps[0], json::parse(R"({"json": {"id": 2}})"), MapResolver{});
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "json.id: expected 1, got 2");
}

TEST(CompileExpectations, OperatorTablesStopTheWalk) {
  std::vector<Diagnostic> errors;
  auto exps = compile_expectations(json::parse(R"({"status": 200,
                      "json": {"id": {"matches": "^usr_"}, "user": {"name": "x", "age": {"ge": 18}}},
                      "headers.content-type": {"contains": "json"},
                      "json.tags": {"len": {"gt": 0}}})"),
                                   errors);
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  std::map<std::string, Op> got;
  for (const auto &e : exps)
    got[e.path_text()] = e.matcher.checks.at(0).op;
  EXPECT_EQ(got, (std::map<std::string, Op>{{"status", Op::Eq},
                                            {"json.id", Op::Matches},
                                            {"json.user.name", Op::Eq},
                                            {"json.user.age", Op::Ge},
                                            {"headers.content-type", Op::Contains},
                                            {"json.tags", Op::Len}}));

  json doc = json::parse(R"({"status": 200, "headers": {"content-type": "application/json"},
      "json": {"id": "usr_1", "tags": ["a"], "user": {"name": "x", "age": 30}}})");
  for (const auto &e : exps)
    EXPECT_FALSE(evaluate(e, doc, MapResolver{}).has_value()) << e.path_text();
}

TEST(CompileExpectations, EmptyTableIsComparedAsAValue) {
  std::vector<Diagnostic> errors;
  auto exps = compile_expectations(json{{"json", json::object()}}, errors);
  ASSERT_EQ(exps.size(), 1u);
  EXPECT_EQ(exps[0].path_text(), "json");
  EXPECT_FALSE(evaluate(exps[0], json{{"json", json::object()}}, MapResolver{}).has_value());
  EXPECT_TRUE(evaluate(exps[0], json{{"json", {{"a", 1}}}}, MapResolver{}).has_value());
}

TEST(CompileExpectations, TypoInANestedTableIsReported) {
  std::vector<Diagnostic> errors;
  compile_expectations(json::parse(R"({"json": {"id": {"matchs": "^a"}}})"), errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unknown matcher 'matchs'");
}

TEST(CompileExpectations, MixedTableIsReported) {
  std::vector<Diagnostic> errors;
  compile_expectations(json::parse(R"({"json": {"gt": 1, "id": 2}})"), errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "matcher table mixes operators with the key 'id'");
}

TEST(CompileExpectations, BadPath) {
  std::vector<Diagnostic> errors;
  auto exps = compile_expectations(json{{"a..b", 1}, {"ok", 2}}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "bad path 'a..b': empty segment in path");
  ASSERT_EQ(exps.size(), 1u);
  EXPECT_EQ(exps[0].path_text(), "ok");
}

TEST(CompileExpectations, MissingPathMessage) {
  std::vector<Diagnostic> errors;
  auto exps = compile_expectations(json{{"json.items[5].id", 1}}, errors);
  ASSERT_EQ(exps.size(), 1u);
  auto mm = evaluate(exps[0], json{{"json", {{"items", {1}}}}}, MapResolver{});
  ASSERT_TRUE(mm.has_value());
  EXPECT_EQ(mm->message, "json.items[5].id: not found (expected 1)");
  EXPECT_EQ(mm->path, "json.items[5].id");
}

TEST(ExpectMatches, NoCatastrophicBacktrackingAndNoDeepRecursion) {
  // A backtracking engine takes exponential time on ^(a+)+$ against "aaa...b"
  // and recurses once per character on long inputs; RE2 does neither.
  std::string evil(40, 'a');
  evil += 'b';
  EXPECT_FALSE(holds(json{{"matches", "^(a+)+$"}}, evil));
  std::string big(2'000'000, 'a');
  EXPECT_TRUE(holds(json{{"matches", "^(a|b)*$"}}, big));
  big += 'c';
  EXPECT_FALSE(holds(json{{"matches", "^(a|b)*$"}}, big));
}

TEST(ExpectMatches, LookaroundIsRefusedWithAHint) {
  auto errors = compile_errors(json{{"matches", "^(?=x)"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].hint.find("no backreferences or lookaround"), std::string::npos);
}

// ---- secrets in messages ---------------------------------------------------

TEST(ExpectSecrets, MaskedBeforeTheValueIsCut) {
  Secrets secrets;
  secrets.add("Tok3nS3cr3tValue");
  // The secret straddles the point where a long value is cut for display.
  json actual = std::string(107, 'x') + "Tok3nS3cr3tValue" + std::string(50, 'y');
  auto mm = evaluate(compile_ok("other"), "p", &actual, MapResolver{}, &secrets);
  ASSERT_TRUE(mm);
  EXPECT_EQ(mm->message.find("Tok3"), std::string::npos) << mm->message;
  EXPECT_NE(mm->message.find("***"), std::string::npos) << mm->message;
}

TEST(ExpectSecrets, LengthOfASecretIsNeverTold) {
  Secrets secrets;
  secrets.add("s3cr3t-pw");
  json actual = "s3cr3t-pw";
  auto mm = evaluate(compile_ok({{"len", 4}}), "p", &actual, MapResolver{}, &secrets);
  ASSERT_TRUE(mm);
  EXPECT_EQ(mm->message.find('9'), std::string::npos) << mm->message;
  EXPECT_EQ(mm->message.find("s3cr3t"), std::string::npos) << mm->message;
  auto nested =
      evaluate(compile_ok({{"len", {{"gt", 20}}}}), "p", &actual, MapResolver{}, &secrets);
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->message.find('9'), std::string::npos) << nested->message;
  // Without secrets the length is useful and shown.
  EXPECT_NE(message({{"len", 4}}, "abcdefghi").find("got 9"), std::string::npos);
}

} // namespace
} // namespace seam
