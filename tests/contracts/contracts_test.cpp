// The schema matcher's engine beyond the official draft-07 tests: 2020-12's
// keywords, what draft-07 does differently, formats, $refs across files and
// into them, where violations are, how many are shown, YAML, and that a
// pattern on a megabyte of text neither crashes nor takes long.
#include "seam/core/expect/contracts.hpp"
#include "seam/core/expect/expect.hpp"
#include "seam/core/expect/json_schema.hpp"
#include "seam/core/expect/yaml_json.hpp"

#include "../core/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace seam {
namespace {

namespace fs = std::filesystem;

// A folder of schema files and a suite file in it, removed at the end.
class Folder {
public:
  Folder() {
    dir_ = fs::temp_directory_path() /
           ("seam-contracts-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(dir_);
    suite_ = test::source((dir_ / "suite.toml").string(), "");
  }
  ~Folder() { fs::remove_all(dir_); }
  void write(const std::string &name, const std::string &text) const {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }
  SourceLoc loc() const { return {suite_, 3, 9}; }

private:
  static inline int counter_ = 0;
  fs::path dir_;
  const SourceFile *suite_;
};

// The failure message of `{ schema = operand }` on value, or "" when it holds.
std::string check(const Folder &f, const json &operand, const json &value,
                  std::vector<Diagnostic> *errors_out = nullptr) {
  std::vector<Diagnostic> errors;
  Matcher m = Matcher::compile(Template::constant(json{{"schema", operand}}), f.loc(), errors);
  if (errors_out) {
    *errors_out = errors;
    return "";
  }
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
  auto mm = evaluate(m, "json", &value, test::MapResolver{});
  return mm ? mm->message : "";
}

bool holds(const json &schema, const json &value) {
  Folder f;
  return check(f, schema, value).empty();
}

const char *k2020 = "https://json-schema.org/draft/2020-12/schema";
const char *k07 = "http://json-schema.org/draft-07/schema#";

TEST(Draft2020, PrefixItemsAndItems) {
  json s = {{"$schema", k2020},
            {"prefixItems", {{{"type", "string"}}, {{"type", "integer"}}}},
            {"items", {{"type", "boolean"}}}};
  EXPECT_TRUE(holds(s, json::array({"a", 1, true, false})));
  EXPECT_FALSE(holds(s, json::array({"a", 1, "not a boolean"})));
  EXPECT_FALSE(holds(s, json::array({1})));
  s["items"] = false;
  EXPECT_FALSE(holds(s, json::array({"a", 1, true})));
  EXPECT_TRUE(holds(s, json::array({"a", 1})));
}

TEST(Draft2020, DependentRequiredAndSchemas) {
  json s = {{"$schema", k2020},
            {"dependentRequired", {{"card", {"cvc"}}}},
            {"dependentSchemas", {{"iban", {{"required", {"bic"}}}}}}};
  EXPECT_TRUE(holds(s, {{"card", 1}, {"cvc", 2}}));
  EXPECT_FALSE(holds(s, {{"card", 1}}));
  EXPECT_FALSE(holds(s, {{"iban", "x"}}));
  EXPECT_TRUE(holds(s, {{"iban", "x"}, {"bic", "y"}}));
}

TEST(Draft2020, RefAppliesWithItsSiblingsAndDefsAndAnchors) {
  json s = {{"$schema", k2020},
            {"$defs", {{"positive", {{"$anchor", "pos"}, {"minimum", 1}}}}},
            {"$ref", "#/$defs/positive"},
            {"maximum", 10}};
  EXPECT_TRUE(holds(s, 5));
  EXPECT_FALSE(holds(s, 0));  // the $ref's minimum
  EXPECT_FALSE(holds(s, 11)); // its sibling maximum: in 2020-12 both apply
  s["$ref"] = "#pos";
  EXPECT_FALSE(holds(s, 0));
  // Without $schema, a schema is read as 2020-12.
  s.erase("$schema");
  EXPECT_FALSE(holds(s, 11));
}

TEST(Draft7, RefHidesItsSiblings) {
  json s = {{"$schema", k07},
            {"definitions", {{"positive", {{"minimum", 1}}}}},
            {"$ref", "#/definitions/positive"},
            {"maximum", 10}};
  EXPECT_TRUE(holds(s, 11));
  EXPECT_FALSE(holds(s, 0));
}

TEST(Draft2020, KeywordsWithoutADraft7FormAreRefused) {
  Folder f;
  for (const char *k : {"unevaluatedProperties", "unevaluatedItems", "minContains"}) {
    std::vector<Diagnostic> errors;
    check(f, {{"$schema", k2020}, {k, 1}}, json(), &errors);
    ASSERT_EQ(errors.size(), 1u) << k;
    EXPECT_NE(errors[0].message.find(std::string("'") + k + "'"), std::string::npos);
    EXPECT_EQ(errors[0].loc.line, 3u);
  }
}

TEST(Formats, TheSixTheIssueNames) {
  struct Case {
    const char *format, *value;
    bool ok;
  };
  for (auto c : std::vector<Case>{
           {"date-time", "2024-02-29T23:59:59.5+01:00", true},
           {"date-time", "2023-02-29T12:00:00Z", false}, // no 29 February in 2023
           {"date-time", "2024-01-01 12:00:00Z", false},
           {"date-time", "2024-01-01T12:00:00", false}, // no offset
           {"email", "a.b+c@example.co.uk", true},
           {"email", "a..b@example.com", false},
           {"email", "ab@", false},
           {"uuid", "1B4E28BA-2FA1-11D2-883F-0016D3CCA427", true},
           {"uuid", "1b4e28ba2fa111d2883f0016d3cca427", false},
           {"uri", "https://example.com/a?b=c#d", true},
           {"uri", "urn:isbn:0451450523", true},
           {"uri", "/relative/path", false},
           {"uri", "http://exa mple.com", false},
           {"ipv4", "192.0.2.1", true},
           {"ipv4", "192.0.2", false},
           {"ipv4", "192.0.2.256", false},
           {"ipv6", "2001:db8::ff00:42:8329", true},
           {"ipv6", "::ffff:192.0.2.1", true},
           {"ipv6", "2001:db8:::1", false},
           {"made-up-format", "anything", true}, // unknown formats are annotations
       })
    EXPECT_EQ(format_holds(c.format, c.value), c.ok) << c.format << " " << c.value;
  // Through the matcher: the violation names the format.
  Folder f;
  EXPECT_EQ(check(f, {{"format", "uuid"}}, "nope"),
            "json: does not match the schema (1 violation)\n          json: format: \"nope\" "
            "is not a uuid");
}

TEST(Refs, AcrossFilesRelativeToTheSuiteAndIntoThem) {
  Folder f;
  f.write(
      "contracts/user.json",
      R"({"type": "object", "properties": {"address": {"$ref": "common/types.json#/$defs/address"}}})");
  f.write("contracts/common/types.json",
          R"({"$defs": {"address": {"type": "object", "required": ["zip"],
              "properties": {"zip": {"$ref": "#/$defs/zip"}}},
              "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}})");
  EXPECT_EQ(check(f, "contracts/user.json", {{"address", {{"zip", "12345"}}}}), "");
  EXPECT_EQ(check(f, "contracts/user.json", {{"address", {{"zip", "1234"}}}}),
            "json: does not match contracts/user.json (1 violation)\n          "
            "json.address.zip: pattern: \"1234\" does not match \"^[0-9]{5}$\"");
  // A pointer into a file picks one of its schemas.
  EXPECT_EQ(check(f, "contracts/common/types.json#/$defs/zip", "12345"), "");
  EXPECT_NE(check(f, "contracts/common/types.json#/$defs/zip", "x"), "");
  // An inline schema's relative $ref is a file beside the suite too.
  EXPECT_NE(check(f, {{"$ref", "contracts/common/types.json#/$defs/zip"}}, "x"), "");
  // $refs that lead nowhere are errors when the suite is loaded.
  std::vector<Diagnostic> errors;
  check(f, "contracts/common/types.json#/$defs/nothing", json(), &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("has nothing at #/$defs/nothing"), std::string::npos)
      << errors[0].message;
}

TEST(Refs, LoopsOnOneValueAreRefusedRecursiveSchemasWork) {
  Folder f;
  for (json s :
       {json{{"$ref", "#"}},
        json{{"$defs",
              {{"a", {{"$ref", "#/$defs/b"}}}, {"b", {{"allOf", {{{"$ref", "#/$defs/a"}}}}}}}},
             {"$ref", "#/$defs/a"}}}) {
    std::vector<Diagnostic> errors;
    check(f, s, json(), &errors);
    ASSERT_EQ(errors.size(), 1u) << s.dump();
    EXPECT_NE(errors[0].message.find("loops without looking into the value"), std::string::npos)
        << errors[0].message;
  }
  json tree = {{"type", "object"},
               {"required", {"name"}},
               {"properties", {{"children", {{"type", "array"}, {"items", {{"$ref", "#"}}}}}}}};
  json value = {{"name", "a"}, {"children", {{{"name", "b"}, {"children", {{{"x", 1}}}}}}}};
  EXPECT_EQ(
      check(f, tree, value),
      "json: does not match the schema (1 violation)\n          json.children[0].children[0]: "
      "required: missing required property 'name'");
}

TEST(Limits, DeepSchemasAreRefusedDeepValuesNotValidated) {
  Folder f;
  json schema = {{"type", "integer"}};
  for (int i = 0; i < 600; ++i)
    schema = {{"items", schema}};
  std::vector<Diagnostic> errors;
  check(f, schema, json(), &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("is nested too deeply"), std::string::npos);
  json value = 1;
  for (int i = 0; i < 1500; ++i)
    value = json::array({value});
  EXPECT_NE(check(f, {{"items", {{"$ref", "#"}}}}, value).find("more than 1000 levels deep"),
            std::string::npos);
  value = 1;
  for (int i = 0; i < 900; ++i)
    value = json::array({value});
  EXPECT_EQ(check(f, {{"anyOf", {{{"type", "integer"}}, {{"items", {{"$ref", "#"}}}}}}}, value),
            "");
}

TEST(Violations, PathsNameKeysIndexesAndOddKeys) {
  Folder f;
  json s = {{"type", "object"},
            {"properties",
             {{"a.b", {{"type", "string"}}},
              {"0", {{"type", "string"}}},
              {"list", {{"items", {{"type", "object"}, {"required", {"id"}}}}}}}}};
  std::string m = check(f, s, {{"a.b", 1}, {"0", 2}, {"list", {json::object(), {{"id", 1}}}}});
  EXPECT_NE(m.find("json[\"a.b\"]: type: "), std::string::npos) << m;
  EXPECT_NE(m.find("json.0: type: "), std::string::npos) << m; // a key, not an index
  EXPECT_NE(m.find("json.list[0]: required: missing required property 'id'"), std::string::npos)
      << m;
  EXPECT_EQ(m.find("list[1]"), std::string::npos) << m;
}

TEST(Violations, AtMostTenShownAndTheRestCounted) {
  Folder f;
  json props = json::object(), value = json::object();
  for (int i = 0; i < 13; ++i) {
    props["p" + std::to_string(i)] = {{"type", "string"}};
    value["p" + std::to_string(i)] = i;
  }
  std::string m = check(f, {{"properties", props}}, value);
  EXPECT_NE(m.find("(13 violations)"), std::string::npos) << m;
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 11) << m; // 10 lines and "... and 3 more"
  EXPECT_NE(m.find("\n          ... and 3 more"), std::string::npos) << m;
}

TEST(Patterns, AMegabyteOfTextIsMatchedInLinearTimeWithoutCrashing) {
  // std::regex (what valijson runs for `pattern`) overflows the stack on
  // this; seam's RE2 patterns do not.
  Folder f;
  std::string big(1 << 20, 'a');
  EXPECT_EQ(check(f, {{"pattern", "^(a|b)*$"}}, big), "");
  EXPECT_NE(check(f, {{"pattern", "^(a|b)*$"}}, big + "c"), "");
}

TEST(Uris, ResolvedAsRfc3986Says) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolve_uri(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_uri(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_uri(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(resolve_uri(base, "/g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "//g"), "http://g");
  EXPECT_EQ(resolve_uri(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(resolve_uri(base, "../g"), "http://a/b/g");
  EXPECT_EQ(resolve_uri(base, "../../g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "g#s"), "http://a/b/c/g#s");
  EXPECT_EQ(resolve_uri("file:///x/y/user.json", "common/a.json#/$defs/b"),
            "file:///x/y/common/a.json#/$defs/b");
  EXPECT_EQ(resolve_uri(base, "urn:x:y"), "urn:x:y");
}

TEST(Yaml, ScalarsTypedAsTheCoreSchemaSaysAndErrorsWithTheirLine) {
  std::string why;
  auto v = parse_yaml("a: 12\nb: 1.5\nc: true\nd: null\ne: '12'\nf: hello\ng: ~\n"
                      "h: 123456789012345678901234567890\ni: [1, x]\n",
                      &why);
  ASSERT_TRUE(v) << why;
  EXPECT_EQ(*v, json::parse(R"({"a": 12, "b": 1.5, "c": true, "d": null, "e": "12",
      "f": "hello", "g": null, "h": "123456789012345678901234567890", "i": [1, "x"]})"));
  EXPECT_FALSE(parse_yaml("a: [1, 2\nb: 3\n", &why));
  EXPECT_NE(why.find("line "), std::string::npos) << why;
}

TEST(Files, MissingAndBrokenOnesAreErrorsAtTheSuiteLine) {
  Folder f;
  f.write("broken.json", "{\n  \"type\": \"object\",\n  oops\n}\n");
  std::vector<Diagnostic> errors;
  check(f, "broken.json", json(), &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].loc.line, 3u);
  EXPECT_NE(errors[0].message.find("broken.json:3:3: not JSON"), std::string::npos)
      << errors[0].message;
  check(f, "absent.json", json(), &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("absent.json: no such file"), std::string::npos)
      << errors[0].message;
}

TEST(Operators, SchemaAndOpenapiAreOperatorsWithTypoHints) {
  EXPECT_EQ(parse_op("schema"), Op::Schema);
  EXPECT_EQ(parse_op("openapi"), Op::OpenApi);
  EXPECT_EQ(op_typo("shema"), "schema");
  EXPECT_EQ(op_typo("opneapi"), "openapi");
}

} // namespace
} // namespace seam
