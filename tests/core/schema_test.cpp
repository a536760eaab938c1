// The JSON Schema subset that checks step inputs: every keyword, the paths
// and messages of its errors, and values that are only known at run time.
#include "seam/core/check/schema.hpp"

#include <gtest/gtest.h>

namespace seam {
namespace {

using Path = std::vector<std::variant<std::string, size_t>>;

json S(const char *text) { return json::parse(text); }

std::vector<SchemaError> errors_of(const json &schema, const json &value) {
  return validate_schema(schema, value);
}

// The only error's message ("" when there is none, "N errors" when several).
std::string one_error(const json &schema, const json &value) {
  auto errs = validate_schema(schema, value);
  if (errs.empty())
    return "";
  if (errs.size() > 1) {
    std::string all = std::to_string(errs.size()) + " errors:";
    for (auto &e : errs)
      all += " [" + e.message + "]";
    return all;
  }
  return errs[0].message;
}

const json kDiscarded = json(json::value_t::discarded);

// A step's input is searched for secrets only when one of its members can
// hold one: the flag the checker sets from this (StepPlan::secret_inputs).
TEST(Schema, ObjectMayHoldSecretsLooksAtTheMembersGiven) {
  auto object_may_hold_secrets = [](const json &schema, std::vector<std::string_view> keys) {
    return secret_inputs_of(schema).may_hold(keys);
  };
  json schema = json::parse(R"({"type": "object", "properties": {
      "url": {"type": "string"},
      "auth": {"type": "object", "properties": {"bearer": {"type": "string", "x-seam-secret": true}}},
      "tags": {"type": "array", "items": {"type": "string"}}}})");
  EXPECT_FALSE(object_may_hold_secrets(schema, {"url", "tags"}));
  EXPECT_FALSE(object_may_hold_secrets(schema, {}));
  EXPECT_TRUE(object_may_hold_secrets(schema, {"url", "auth"}));
  EXPECT_FALSE(object_may_hold_secrets(schema, {"other"})); // no additionalProperties
  json extra = schema;
  extra["additionalProperties"] = json::parse(R"({"type": "string", "x-seam-secret": true})");
  EXPECT_TRUE(object_may_hold_secrets(extra, {"url", "other"}));
  EXPECT_FALSE(object_may_hold_secrets(extra, {"url"}));
  // Marked as a whole, or through a combinator at the top: any member may.
  EXPECT_TRUE(object_may_hold_secrets(json::parse(R"({"x-seam-secret": true})"), {"a"}));
  EXPECT_TRUE(object_may_hold_secrets(
      json::parse(R"({"anyOf": [{"properties": {"k": {"x-seam-secret": true}}}]})"), {"a"}));
  EXPECT_FALSE(object_may_hold_secrets(json(true), {"a"}));
  EXPECT_FALSE(secret_inputs_of(json(true)).any);
  EXPECT_FALSE(secret_inputs_of(json::parse(R"({"properties": {"a": {}}})")).any);
  EXPECT_TRUE(secret_inputs_of(schema).any);
}

TEST(Schema, DescribePath) {
  EXPECT_EQ(describe_path({}), "");
  EXPECT_EQ(describe_path({std::string("with"), std::string("headers"), std::string("accept")}),
            "with.headers.accept");
  EXPECT_EQ(describe_path({std::string("rows"), size_t{1}, std::string("email")}), "rows[1].email");
  EXPECT_EQ(describe_path({size_t{0}, size_t{2}}), "[0][2]");
}

TEST(Schema, TypeAtTheTop) {
  EXPECT_EQ(one_error(S(R"({"type": "object"})"), json::object()), "");
  EXPECT_EQ(one_error(S(R"({"type": "object"})"), 5),
            "the input must be a table, not an integer (5)");
  EXPECT_EQ(one_error(S(R"({"type": "string"})"), json::array({1})),
            "the input must be a string, not an array ([1])");
}

TEST(Schema, TypeOfAProperty) {
  json schema = S(R"({"type": "object", "properties": {"url": {"type": "string"}}})");
  EXPECT_TRUE(errors_of(schema, {{"url", "http://x"}}).empty());
  auto errs = errors_of(schema, {{"url", 5}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].path, (Path{std::string("url")}));
  EXPECT_EQ(errs[0].message, "'url' must be a string, not an integer (5)");
  EXPECT_EQ(one_error(schema, {{"url", true}}), "'url' must be a string, not a boolean (true)");
  EXPECT_EQ(one_error(schema, {{"url", 1.5}}), "'url' must be a string, not a float (1.5)");
  EXPECT_EQ(one_error(schema, {{"url", {{"a", 1}}}}),
            R"('url' must be a string, not a table ({"a":1}))");
  EXPECT_EQ(one_error(schema, {{"url", nullptr}}), "'url' must be a string, not null (null)");
}

TEST(Schema, IntegerAndNumber) {
  json integer = S(R"({"type": "integer"})");
  EXPECT_EQ(one_error(integer, 5), "");
  EXPECT_EQ(one_error(integer, -5), "");
  EXPECT_EQ(one_error(integer, json::parse("5")), ""); // unsigned
  EXPECT_EQ(one_error(integer, 5.0), "");              // a whole float is an integer
  EXPECT_EQ(one_error(integer, 5.5), "the input must be an integer, not a float (5.5)");
  EXPECT_EQ(one_error(integer, "5"), "the input must be an integer, not a string (\"5\")");

  json number = S(R"({"type": "number"})");
  EXPECT_EQ(one_error(number, 5), "");
  EXPECT_EQ(one_error(number, 5.5), "");
  EXPECT_EQ(one_error(number, "5"), "the input must be a number, not a string (\"5\")");
}

TEST(Schema, TypeList) {
  json schema = S(R"({"type": ["string", "null"]})");
  EXPECT_EQ(one_error(schema, "x"), "");
  EXPECT_EQ(one_error(schema, nullptr), "");
  EXPECT_EQ(one_error(schema, 5), "the input must be a string or null, not an integer (5)");
  EXPECT_EQ(one_error(S(R"({"type": ["integer", "boolean"]})"), "x"),
            "the input must be an integer or a boolean, not a string (\"x\")");
}

TEST(Schema, LongValuesAreCutInMessages) {
  std::string msg = one_error(S(R"({"type": "integer"})"), std::string(200, 'z'));
  EXPECT_LT(msg.size(), 130u) << msg;
  EXPECT_NE(msg.find("..."), std::string::npos);
}

TEST(Schema, EnumWithDidYouMean) {
  json schema = S(R"({"properties": {"method": {"enum": ["GET", "POST", "DELETE"]}}})");
  EXPECT_TRUE(errors_of(schema, {{"method", "POST"}}).empty());
  auto errs = errors_of(schema, {{"method", "PSOT"}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, R"('method' is "PSOT", which is not one of: GET, POST, DELETE)");
  EXPECT_EQ(errs[0].hint, R"(did you mean "POST"?)");

  errs = errors_of(schema, {{"method", "WHATEVER"}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].hint, "");
}

TEST(Schema, EnumOfNumbers) {
  auto errs = errors_of(S(R"({"enum": [1, 2, "three"]})"), 4);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "the input is 4, which is not one of: 1, 2, three");
  EXPECT_EQ(errs[0].hint, "");
  EXPECT_TRUE(errors_of(S(R"({"enum": [1, 2]})"), 2.0).empty());
}

TEST(Schema, Const) {
  EXPECT_EQ(one_error(S(R"({"const": "v1"})"), "v1"), "");
  EXPECT_EQ(one_error(S(R"({"const": "v1"})"), "v2"), R"(the input must be "v1", not "v2")");
}

TEST(Schema, Required) {
  json schema = S(R"({"type": "object", "required": ["url", "method"]})");
  EXPECT_TRUE(errors_of(schema, {{"url", "u"}, {"method", "GET"}}).empty());
  auto errs = errors_of(schema, {{"url", "u"}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "missing required input 'method'");
  EXPECT_TRUE(errs[0].path.empty());
  EXPECT_EQ(errors_of(schema, json::object()).size(), 2u);
}

TEST(Schema, RequiredInANestedTable) {
  json schema = S(R"({"properties": {"auth": {"type": "object", "required": ["user"]}}})");
  auto errs = errors_of(schema, {{"auth", json::object()}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "missing required input 'user' in 'auth'");
  EXPECT_EQ(errs[0].path, (Path{std::string("auth")}));
}

TEST(Schema, AdditionalPropertiesFalseWithHint) {
  json schema = S(R"({"type": "object", "additionalProperties": false,
                      "properties": {"url": {}, "method": {}, "headers": {}}})");
  EXPECT_TRUE(errors_of(schema, {{"url", "u"}}).empty());

  auto errs = errors_of(schema, {{"urll", "u"}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "unknown input 'urll'");
  EXPECT_EQ(errs[0].hint, "did you mean 'url'?");
  EXPECT_EQ(errs[0].path, (Path{std::string("urll")}));

  errs = errors_of(schema, {{"zzzzzzzz", 1}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].hint, "known inputs: headers, method, url");

  // Every unknown key is reported.
  EXPECT_EQ(errors_of(schema, {{"a1xxxxx", 1}, {"b2yyyyy", 2}}).size(), 2u);
}

TEST(Schema, AdditionalPropertiesFalseWithoutProperties) {
  auto errs = errors_of(S(R"({"type": "object", "additionalProperties": false})"), {{"x", 1}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "unknown input 'x'");
  EXPECT_EQ(errs[0].hint, "");
}

TEST(Schema, AdditionalPropertiesSchema) {
  json schema = S(R"({"properties": {"n": {"type": "integer"}},
                      "additionalProperties": {"type": "string"}})");
  EXPECT_TRUE(errors_of(schema, {{"n", 1}, {"x", "s"}}).empty());
  EXPECT_EQ(one_error(schema, {{"n", 1}, {"x", 2}}), "'x' must be a string, not an integer (2)");
}

TEST(Schema, NestedPropertiesPath) {
  json schema = S(R"({"properties": {"json": {"additionalProperties": false,
      "properties": {"user": {"properties": {"age": {"type": "integer"}}}}}}})");
  auto errs = errors_of(schema, json::parse(R"({"json": {"user": {"age": "old"}}})"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].path, (Path{std::string("json"), std::string("user"), std::string("age")}));
  EXPECT_EQ(errs[0].message, "'json.user.age' must be an integer, not a string (\"old\")");

  errs = errors_of(schema, json::parse(R"({"json": {"usr": {}}})"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "unknown input 'json.usr'");
  EXPECT_EQ(errs[0].hint, "did you mean 'user'?");
}

TEST(Schema, Items) {
  json schema = S(R"({"properties": {"rows": {"type": "array",
      "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}})");
  EXPECT_TRUE(errors_of(schema, json::parse(R"({"rows": [{"id": 1}, {"id": 2}]})")).empty());
  auto errs = errors_of(schema, json::parse(R"({"rows": [{"id": 1}, {"id": "x"}, {}]})"));
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_EQ(errs[0].path, (Path{std::string("rows"), size_t{1}, std::string("id")}));
  EXPECT_EQ(errs[0].message, "'rows[1].id' must be an integer, not a string (\"x\")");
  EXPECT_EQ(errs[1].message, "missing required input 'id' in 'rows[2]'");
}

TEST(Schema, MinimumMaximum) {
  json schema = S(R"({"minimum": 1, "maximum": 10})");
  EXPECT_EQ(one_error(schema, 1), "");
  EXPECT_EQ(one_error(schema, 10), "");
  EXPECT_EQ(one_error(schema, 5.5), "");
  EXPECT_EQ(one_error(schema, 0), "the input must be at least 1, not 0");
  EXPECT_EQ(one_error(schema, 11), "the input must be at most 10, not 11");
  EXPECT_EQ(one_error(schema, 10.5), "the input must be at most 10, not 10.5");
  EXPECT_EQ(one_error(schema, "0"), ""); // only numbers have a minimum

  json excl = S(R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1})");
  EXPECT_EQ(one_error(excl, 0.5), "");
  EXPECT_EQ(one_error(excl, 0), "the input must be greater than 0, not 0");
  EXPECT_EQ(one_error(excl, 1), "the input must be less than 1, not 1");
}

TEST(Schema, MinLengthMaxLength) {
  json schema = S(R"({"minLength": 2, "maxLength": 4})");
  EXPECT_EQ(one_error(schema, "ab"), "");
  EXPECT_EQ(one_error(schema, "abcd"), "");
  EXPECT_EQ(one_error(schema, "a"), "the input must be at least 2 characters long");
  EXPECT_EQ(one_error(schema, "abcde"), "the input must be at most 4 characters long");
  // Characters, not bytes: four two-byte letters are four characters.
  EXPECT_EQ(one_error(schema, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "");
  EXPECT_EQ(one_error(schema, 12345), ""); // only strings have a length
}

TEST(Schema, Pattern) {
  json schema = S(R"({"properties": {"id": {"pattern": "^\\d+$"}}})");
  EXPECT_TRUE(errors_of(schema, {{"id", "123"}}).empty());
  EXPECT_EQ(one_error(schema, {{"id", "12a"}}), R"('id' is "12a", which does not match "^\\d+$")");
  // Search semantics, as JSON Schema says.
  EXPECT_EQ(one_error(S(R"({"pattern": "b"})"), "abc"), "");
  // A plugin's broken pattern does not fail the user's suite.
  EXPECT_EQ(one_error(S(R"({"pattern": "("})"), "abc"), "");
}

TEST(Schema, MinItemsMaxItems) {
  json schema = S(R"({"minItems": 1, "maxItems": 2})");
  EXPECT_EQ(one_error(schema, json::array({1})), "");
  EXPECT_EQ(one_error(schema, json::array()), "the input must have at least 1 items");
  EXPECT_EQ(one_error(schema, json::array({1, 2, 3})), "the input must have at most 2 items");
}

TEST(Schema, OneOf) {
  json schema = S(R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})");
  EXPECT_EQ(one_error(schema, "x"), "");
  EXPECT_EQ(one_error(schema, 3), "");
  // No form fits: the closest alternative explains.
  EXPECT_EQ(one_error(schema, true), "the input must be a string, not a boolean (true)");

  json both = S(R"({"properties": {"n": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}})");
  EXPECT_EQ(one_error(both, {{"n", 1.5}}), "");
  auto errs = errors_of(both, {{"n", 1}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "'n' matches more than one allowed form");
  EXPECT_EQ(errs[0].path, (Path{std::string("n")}));
}

TEST(Schema, OneOfReportsTheClosestAlternative) {
  json schema = S(R"({"oneOf": [
      {"type": "object", "required": ["a", "b", "c"]},
      {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}]})");
  auto errs = errors_of(schema, {{"url", 5}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "'url' must be a string, not an integer (5)");
}

TEST(Schema, AnyOf) {
  json schema = S(R"({"anyOf": [{"type": "number"}, {"type": "integer"}, {"type": "null"}]})");
  EXPECT_EQ(one_error(schema, 1), ""); // several may fit
  EXPECT_EQ(one_error(schema, nullptr), "");
  EXPECT_EQ(one_error(schema, "x"), "the input must be a number, not a string (\"x\")");
}

TEST(Schema, AllOf) {
  json schema = S(R"({"allOf": [{"type": "integer"}, {"minimum": 3}]})");
  EXPECT_EQ(one_error(schema, 4), "");
  EXPECT_EQ(one_error(schema, 2), "the input must be at least 3, not 2");
}

TEST(Schema, Not) {
  json schema = S(R"({"type": "object", "not": {"required": ["json", "body"],
      "description": "give either json or body"}})");
  EXPECT_TRUE(errors_of(schema, {{"json", 1}}).empty());
  EXPECT_TRUE(errors_of(schema, {{"body", "x"}}).empty());
  auto errs = errors_of(schema, {{"json", 1}, {"body", "x"}});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(
      errs[0].message,
      R"(the input is not allowed in this form (these cannot be given together: ["json","body"]))");
  EXPECT_EQ(errs[0].hint, "give either json or body");

  EXPECT_EQ(one_error(S(R"({"not": {"type": "null"}})"), nullptr),
            "the input is not allowed in this form");
  EXPECT_EQ(one_error(S(R"({"not": {"type": "null"}})"), 1), "");
}

// The alternatives of anyOf and oneOf and the schema of a not are checked
// for a verdict only (no messages, stopping at the first failure): under
// them every schema must still pass and fail exactly the values a full
// check passes and fails.
TEST(Schema, CombinatorsGiveTheVerdictsOfAFullCheck) {
  struct Case {
    const char *schema;
    json value;
    bool valid;
  };
  const Case cases[] = {
      {R"({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer",
          "minimum": 3}}})",
       {{"a", 5}},
       true},
      {R"({"type": "object", "required": ["a"], "properties": {"a": {"minimum": 3}}})",
       {{"a", 2}},
       false},
      {R"({"type": "object", "required": ["a", "b"]})", {{"b", 1}}, false},
      {R"({"properties": {"a": {"type": "integer"}}})", {{"a", "x"}, {"b", 1}}, false},
      {R"({"items": {"type": "string", "maxLength": 2}})", {"ab", "c"}, true},
      {R"({"items": {"type": "string", "maxLength": 2}})", {"ab", "abc"}, false},
      {R"({"additionalProperties": false, "properties": {"a": {}}})", {{"a", 1}}, true},
      {R"({"additionalProperties": false, "properties": {"a": {}}})", {{"b", 1}}, false},
      {R"({"additionalProperties": {"type": "string"}})", {{"b", 1}}, false},
      {R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})", 1, false},
      {R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})", 1.5, true},
      {R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})", "x", false},
      {R"({"anyOf": []})", 1, true},
      {R"({"anyOf": [{"minimum": 5}, {"maximum": 1}]})", 3, false},
      {R"({"allOf": [{"minimum": 1}, {"maximum": 3}]})", 2, true},
      {R"({"allOf": [{"minimum": 1}, {"maximum": 3}]})", 4, false},
      {R"({"not": {"required": ["a", "b"]}})", {{"a", 1}}, true},
      {R"({"not": {"required": ["a", "b"]}})", {{"a", 1}, {"b", 2}}, false},
      {R"({"pattern": "^a+$"})", "aaa", true},
      {R"({"pattern": "^a+$"})", "ab", false},
      {R"({"enum": ["x", "y"]})", "z", false},
      {R"({"const": 3})", 3, true},
      {R"({"exclusiveMaximum": 3})", 3, false},
      {R"({"minItems": 2})", {1}, false},
      // A later keyword fails after an earlier one passed.
      {R"({"type": "string", "minLength": 1, "pattern": "^[a-z]+$"})", "A", false},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(std::string(c.schema) + " with " + c.value.dump());
    json schema = S(c.schema);
    EXPECT_EQ(errors_of(schema, c.value).empty(), c.valid);
    // A value no case uses: the second alternative passes nothing here.
    json any = {{"anyOf", {schema, {{"const", "no case uses this"}}}}};
    EXPECT_EQ(errors_of(any, c.value).empty(), c.valid);
    EXPECT_EQ(errors_of(json{{"not", schema}}, c.value).empty(), !c.valid);
    EXPECT_EQ(errors_of(json{{"not", {{"not", schema}}}}, c.value).empty(), c.valid);
  }
}

TEST(Schema, DiscardedValuesPass) {
  // An interpolated value is unknown until run time.
  EXPECT_TRUE(
      errors_of(S(R"({"type": "string", "enum": ["a"], "minLength": 5})"), kDiscarded).empty());
  json schema = S(R"({"type": "object", "additionalProperties": false, "required": ["url", "n"],
      "properties": {"url": {"type": "string", "pattern": "^http"},
                     "n": {"type": "integer", "minimum": 1},
                     "list": {"type": "array", "items": {"type": "integer"}}}})");
  json value = {{"url", kDiscarded}, {"n", kDiscarded}, {"list", {1, kDiscarded, 3}}};
  EXPECT_TRUE(errors_of(schema, value).empty());
  // Discarded parts do not hide the constant parts' mistakes.
  value["list"][0] = "x";
  EXPECT_EQ(one_error(schema, value), "'list[0]' must be an integer, not a string (\"x\")");
}

TEST(Schema, AnnotationsAndNonObjectSchemasAreIgnored) {
  EXPECT_TRUE(
      errors_of(S(R"({"description": "d", "title": "t", "default": 1, "examples": [2]})"), "x")
          .empty());
  EXPECT_TRUE(errors_of(json(true), 1).empty());
  EXPECT_TRUE(errors_of(json(), 1).empty());
}

} // namespace
} // namespace seam
