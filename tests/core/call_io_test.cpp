// The host's typed input and built output (ABI 1.2) on a call context: types,
// paths in the suite's syntax, the lazy parse, and how a built output is made.
#include "host/call_context.hpp"

#include <gtest/gtest.h>

#include <string>

namespace seam {
namespace {

using namespace call_io;

struct Call {
  CallLimits limits;
  Secrets secrets;
  std::string text;
  seam_ctx ctx;
  explicit Call(std::string input) : text(std::move(input)), ctx(&limits, &secrets, 1, text) {}
  seam_ctx *operator->() { return &ctx; }
  seam_ctx *get() { return &ctx; }
};

const char *kInput = R"({"s": "h\u00e9", "i": 42, "big": 18446744073709551615, "neg": -7,
  "d": 1.5, "b": true, "n": null, "a": [1, {"id": "x"}], "o": {"k.e y": 1, "in": {"deep": [3]}}})";

TEST(CallInput, TypesOfPaths) {
  Call c(kInput);
  EXPECT_EQ(input_type(c.get(), ""), SEAM_JSON_OBJECT);
  EXPECT_EQ(input_type(c.get(), "s"), SEAM_JSON_STRING);
  EXPECT_EQ(input_type(c.get(), "i"), SEAM_JSON_INT);
  EXPECT_EQ(input_type(c.get(), "big"), SEAM_JSON_NUMBER); // does not fit int64_t
  EXPECT_EQ(input_type(c.get(), "d"), SEAM_JSON_NUMBER);
  EXPECT_EQ(input_type(c.get(), "b"), SEAM_JSON_BOOL);
  EXPECT_EQ(input_type(c.get(), "n"), SEAM_JSON_NULL);
  EXPECT_EQ(input_type(c.get(), "a"), SEAM_JSON_ARRAY);
  EXPECT_EQ(input_type(c.get(), "a[1].id"), SEAM_JSON_STRING);
  EXPECT_EQ(input_type(c.get(), "a[-1]"), SEAM_JSON_OBJECT);
  EXPECT_EQ(input_type(c.get(), "o[\"k.e y\"]"), SEAM_JSON_INT);
  EXPECT_EQ(input_type(c.get(), "o.in.deep[0]"), SEAM_JSON_INT);
  EXPECT_EQ(input_type(c.get(), "missing"), SEAM_JSON_MISSING);
  EXPECT_EQ(input_type(c.get(), "a[5]"), SEAM_JSON_MISSING);
  EXPECT_EQ(input_type(c.get(), "s.x"), SEAM_JSON_MISSING);
  EXPECT_TRUE(c->logs.empty());
  // A malformed path is the plugin's mistake: missing, and logged.
  EXPECT_EQ(input_type(c.get(), "a[x"), SEAM_JSON_MISSING);
  ASSERT_EQ(c->logs.size(), 1u);
  EXPECT_EQ(c->logs[0].level, SEAM_LOG_ERROR);
  EXPECT_NE(c->logs[0].text.find("input_type"), std::string::npos) << c->logs[0].text;
}

TEST(CallInput, TypedReadsLeaveOutUntouchedOnMismatch) {
  Call c(kInput);
  const char *s = nullptr;
  size_t len = 0;
  ASSERT_EQ(input_string(c.get(), "s", &s, &len), 1);
  EXPECT_EQ(std::string(s, len), "h\xc3\xa9");
  EXPECT_EQ(input_string(c.get(), "a[1].id", &s, &len), 1);
  EXPECT_EQ(std::string(s, len), "x");
  int64_t i = 5;
  EXPECT_EQ(input_int(c.get(), "s", &i), 0);
  EXPECT_EQ(input_int(c.get(), "d", &i), 0);
  EXPECT_EQ(input_int(c.get(), "big", &i), 0);
  EXPECT_EQ(i, 5);
  EXPECT_EQ(input_int(c.get(), "neg", &i), 1);
  EXPECT_EQ(i, -7);
  double d = 0;
  EXPECT_EQ(input_double(c.get(), "d", &d), 1);
  EXPECT_EQ(d, 1.5);
  EXPECT_EQ(input_double(c.get(), "i", &d), 1); // ints also read as double
  EXPECT_EQ(d, 42.0);
  EXPECT_EQ(input_double(c.get(), "b", &d), 0);
  int b = 0;
  EXPECT_EQ(input_bool(c.get(), "b", &b), 1);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(input_bool(c.get(), "n", &b), 0);
  EXPECT_EQ(input_size(c.get(), "a"), 2);
  EXPECT_EQ(input_size(c.get(), "o"), 2);
  EXPECT_EQ(input_size(c.get(), "s"), -1);
  EXPECT_EQ(input_size(c.get(), "nope"), -1);
  const char *j = nullptr;
  EXPECT_EQ(input_json(c.get(), "a", &j, &len), 1);
  EXPECT_EQ(std::string(j, len), R"([1,{"id":"x"}])");
  const char *first = j;
  EXPECT_EQ(input_json(c.get(), "o.in", &j, &len), 1);
  EXPECT_EQ(std::string(j, len), R"({"deep":[3]})");
  EXPECT_EQ(std::string(first), R"([1,{"id":"x"}])"); // earlier texts stay valid
  EXPECT_EQ(input_json(c.get(), "nope", &j, &len), 0);
}

TEST(CallInput, ParsedOnlyWhenFirstAskedAndOnlyOnce) {
  Call c(R"({"i": 1})");
  output_int(c.get(), "x", 1);
  EXPECT_FALSE(c->input_parsed);
  int64_t i = 0;
  EXPECT_EQ(input_int(c.get(), "i", &i), 1);
  EXPECT_TRUE(c->input_parsed);
  // Later calls read the parsed value, not the text.
  c->input = "not json";
  EXPECT_EQ(input_int(c.get(), "i", &i), 1);
}

TEST(CallInput, InputThatIsNotJsonReadsAsMissing) {
  Call c("{broken");
  EXPECT_EQ(input_type(c.get(), ""), SEAM_JSON_MISSING);
  EXPECT_EQ(input_size(c.get(), ""), -1);
}

TEST(CallOutput, BuildsObjectsAndArraysOnTheWay) {
  Call c("{}");
  output_string(c.get(), "name", "a\"b", 3);
  output_int(c.get(), "rows[1].id", 7);
  output_double(c.get(), "stats.mean", 2.5);
  output_bool(c.get(), "stats.ok", 1);
  output_null(c.get(), "none");
  EXPECT_EQ(output_json(c.get(), "raw", R"({"x": [1, 2]})", 13), 1);
  EXPECT_EQ(output_json(c.get(), "bad", "{nope", 5), 0);
  EXPECT_TRUE(c->has_built);
  EXPECT_TRUE(c->output_problem.empty()) << c->output_problem;
  EXPECT_EQ(c->built, json::parse(R"({"name": "a\"b", "rows": [null, {"id": 7}],
    "stats": {"mean": 2.5, "ok": true}, "none": null, "raw": {"x": [1, 2]}})"));
}

TEST(CallOutput, MisuseIsRecorded) {
  Call c("{}");
  output_int(c.get(), "a", 1);
  output_int(c.get(), "a.b", 2); // a is a number, not an object
  EXPECT_NE(c->output_problem.find("output_int"), std::string::npos) << c->output_problem;
  Call neg("{}");
  output_int(neg.get(), "a[-1]", 1);
  EXPECT_NE(neg->output_problem.find("negative index"), std::string::npos) << neg->output_problem;
  Call huge("{}");
  output_int(huge.get(), "a[999999999]", 1);
  EXPECT_NE(huge->output_problem.find("too large"), std::string::npos) << huge->output_problem;
  Call bad("{}");
  output_int(bad.get(), "a[", 1);
  EXPECT_FALSE(bad->output_problem.empty());
}

} // namespace
} // namespace seam
