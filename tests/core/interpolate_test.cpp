// ${...} templates: parsing, rendering with and without types, fallbacks,
// errors with their location, and the static views (shape, refs).
#include "seam/core/model/interpolate.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace seam {
namespace {

using test::MapResolver;

const auto kTemplateFile = test::source("suite.toml", "x = \"${a}\"\n");
const SourceLoc kTemplateLoc{kTemplateFile, 3, 10};

Template parse(const std::string &text) {
  std::vector<Diagnostic> errors;
  Template t = Template::string(text, kTemplateLoc, errors);
  EXPECT_TRUE(errors.empty()) << text << ": " << (errors.empty() ? "" : errors.front().message);
  return t;
}

std::vector<Diagnostic> parse_errors(const std::string &text, Template *out = nullptr) {
  std::vector<Diagnostic> errors;
  Template t = Template::string(text, kTemplateLoc, errors);
  if (out)
    *out = t;
  return errors;
}

std::vector<Ref> refs_of(const Template &t) {
  std::vector<Ref> refs;
  t.for_each_ref([&](const Ref &r) { refs.push_back(r); });
  return refs;
}

TEST(Interpolate, PlainStringIsConstant) {
  Template t = parse("hello world");
  EXPECT_TRUE(t.is_constant());
  EXPECT_EQ(t.constant_value(), "hello world");
  EXPECT_TRUE(refs_of(t).empty());
}

TEST(Interpolate, DefaultTemplateIsNull) {
  Template t;
  EXPECT_TRUE(t.is_constant());
  EXPECT_TRUE(t.constant_value().is_null());
}

TEST(Interpolate, SimpleReference) {
  Template t = parse("${a}");
  EXPECT_FALSE(t.is_constant());
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].root, "a");
  EXPECT_TRUE(refs[0].path.empty());
  EXPECT_FALSE(refs[0].fallback.has_value());
  EXPECT_EQ(refs[0].text, "a");
  EXPECT_EQ(t.render(MapResolver{{"a", "value"}}), "value");
}

TEST(Interpolate, ReferenceWithPath) {
  Template t = parse("${a.b[0].c}");
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].root, "a");
  EXPECT_EQ(refs[0].text, "a.b[0].c");
  EXPECT_EQ(refs[0].path.text(), "b[0].c");
  ASSERT_EQ(refs[0].path.segments().size(), 3u);
  EXPECT_EQ(refs[0].path.segments()[1], JsonPath::segment(0L));

  MapResolver r{{"a", json::parse(R"({"b": [{"c": 42}, {"c": 43}]})")}};
  json v = t.render(r);
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(v.is_number_integer());
}

TEST(Interpolate, IndexRightAfterTheRoot) {
  Template t = parse("${items[1]}");
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].root, "items");
  EXPECT_EQ(t.render(MapResolver{{"items", {"x", "y"}}}), "y");
}

TEST(Interpolate, SpacesInsideBracesAreIgnored) {
  Template t = parse("${ a.b }");
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].root, "a");
  EXPECT_EQ(refs[0].text, "a.b");
  EXPECT_EQ(t.render(MapResolver{{"a", {{"b", 7}}}}), 7);
}

TEST(Interpolate, EnvWithDefault) {
  Template t = parse("${env.X:-http://127.0.0.1:8080}");
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].root, "env");
  EXPECT_EQ(refs[0].path.segments(), std::vector<JsonPath::segment>{std::string("X")});
  ASSERT_TRUE(refs[0].fallback.has_value());
  EXPECT_EQ(*refs[0].fallback, "http://127.0.0.1:8080");
  EXPECT_EQ(refs[0].text, "env.X");

  EXPECT_EQ(t.render(MapResolver{}), "http://127.0.0.1:8080");
  EXPECT_EQ(t.render(MapResolver{{"env", {{"X", "http://set"}}}}), "http://set");
}

TEST(Interpolate, FallbackIsUsedOnlyWhenUndefined) {
  Template t = parse("${a:-fallback}");
  // Defined but "falsy" values are still defined.
  EXPECT_EQ(t.render(MapResolver{{"a", ""}}), "");
  EXPECT_EQ(t.render(MapResolver{{"a", 0}}), 0);
  EXPECT_EQ(t.render(MapResolver{{"a", false}}), false);
  EXPECT_TRUE(t.render(MapResolver{{"a", nullptr}}).is_null());
  EXPECT_EQ(t.render(MapResolver{}), "fallback");
  // A path that is missing inside a defined root is undefined too.
  Template deep = parse("${a.b:-none}");
  EXPECT_EQ(deep.render(MapResolver{{"a", {{"c", 1}}}}), "none");
  EXPECT_EQ(deep.render(MapResolver{{"a", {{"b", 1}}}}), 1);
}

TEST(Interpolate, EmptyFallbackAndFallbackWithSeparator) {
  EXPECT_EQ(parse("<${a:-}>").render(MapResolver{}), "<>");
  Template t = parse("${a:-x:-y}");
  EXPECT_EQ(t.render(MapResolver{}), "x:-y");
}

TEST(Interpolate, FallbackInsideText) {
  Template t = parse("http://${host:-localhost}:${port:-80}/");
  EXPECT_EQ(t.render(MapResolver{}), "http://localhost:80/");
  EXPECT_EQ(t.render(MapResolver{{"port", 8080}}), "http://localhost:8080/");
}

TEST(Interpolate, WholeValueKeepsItsType) {
  Template t = parse("${v}");
  json obj = {{"k", 1}, {"l", {1, 2}}};
  json arr = {1, "two", nullptr};

  json i = t.render(MapResolver{{"v", 42}});
  EXPECT_TRUE(i.is_number_integer());
  EXPECT_EQ(i, 42);

  json f = t.render(MapResolver{{"v", 1.5}});
  EXPECT_TRUE(f.is_number_float());

  json b = t.render(MapResolver{{"v", true}});
  EXPECT_TRUE(b.is_boolean());
  EXPECT_EQ(b, true);

  json o = t.render(MapResolver{{"v", obj}});
  EXPECT_TRUE(o.is_object());
  EXPECT_EQ(o, obj);

  json a = t.render(MapResolver{{"v", arr}});
  EXPECT_TRUE(a.is_array());
  EXPECT_EQ(a, arr);

  EXPECT_TRUE(t.render(MapResolver{{"v", nullptr}}).is_null());
}

TEST(Interpolate, TextConcatenationRendersValuesAsText) {
  Template t = parse("id=${n} ok=${b} s=${s} o=${o} a=${a} null=[${z}] f=${f}");
  MapResolver r{{"n", 5},        {"b", true},    {"s", "str"}, {"o", {{"k", 1}}},
                {"a", {1, "x"}}, {"z", nullptr}, {"f", 2.5}};
  json v = t.render(r);
  ASSERT_TRUE(v.is_string());
  EXPECT_EQ(v, R"(id=5 ok=true s=str o={"k":1} a=[1,"x"] null=[] f=2.5)");
  EXPECT_EQ(refs_of(t).size(), 7u);
}

TEST(Interpolate, AdjacentReferencesAreText) {
  Template t = parse("${a}${b}");
  EXPECT_EQ(t.render(MapResolver{{"a", 1}, {"b", 2}}), "12");
}

TEST(Interpolate, ReferenceWithSurroundingTextIsAlwaysAString) {
  EXPECT_EQ(parse(" ${n}").render(MapResolver{{"n", 5}}), " 5");
  EXPECT_EQ(parse("${n} ").render(MapResolver{{"n", 5}}), "5 ");
}

TEST(Interpolate, DoubleDollarIsALiteral) {
  Template t = parse("$${a}");
  EXPECT_TRUE(t.is_constant());
  EXPECT_EQ(t.constant_value(), "${a}");
  EXPECT_TRUE(refs_of(t).empty());

  Template mixed = parse("$${a} is ${a}");
  EXPECT_FALSE(mixed.is_constant());
  auto refs = refs_of(mixed);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(mixed.render(MapResolver{{"a", 1}}), "${a} is 1");
}

TEST(Interpolate, LoneDollarIsText) {
  for (std::string s : {"$", "5$", "a$b", "$$", "$ {a}", "price: $5"}) {
    Template t = parse(s);
    EXPECT_TRUE(t.is_constant()) << s;
    EXPECT_EQ(t.constant_value(), s) << s;
  }
}

TEST(Interpolate, ClosingBraceAfterReferenceIsText) {
  EXPECT_EQ(parse("${a}}").render(MapResolver{{"a", 1}}), "1}");
}

TEST(Interpolate, UnterminatedReference) {
  Template t;
  auto errors = parse_errors("abc ${a", &t);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unterminated '${' in string");
  EXPECT_NE(errors[0].hint.find("$${"), std::string::npos);
  // Columns count from the string's opening quote: `${` is 4 characters in.
  EXPECT_EQ(errors[0].loc.line, 3u);
  EXPECT_EQ(errors[0].loc.col, 10u + 4 + 1);
  EXPECT_EQ(errors[0].loc.file, kTemplateFile);
  // The result stands for the raw text.
  EXPECT_TRUE(t.is_constant());
  EXPECT_EQ(t.constant_value(), "abc ${a");
}

TEST(Interpolate, BadReferences) {
  struct Case {
    std::string text;
    std::string message;
  };
  for (const Case &c : std::vector<Case>{
           {"${}", "bad reference '${}'"},
           {"${ }", "bad reference '${ }'"},
           {"${a b}", "bad reference '${a b}'"},
           {"${.a}", "bad reference '${.a}'"},
           {"${a!}", "bad reference '${a!}'"},
           {"${a..b}", "bad reference '${a..b}': empty segment in path"},
           {"${a[x]}", "bad reference '${a[x]}': expected an index like [0] or a key like "
                       "[\"name\"] in path"},
       }) {
    Template t;
    auto errors = parse_errors(c.text, &t);
    ASSERT_EQ(errors.size(), 1u) << c.text;
    EXPECT_EQ(errors[0].message, c.message) << c.text;
    EXPECT_EQ(errors[0].loc.col, 11u) << c.text;
    EXPECT_TRUE(t.is_constant()) << c.text;
    EXPECT_EQ(t.constant_value(), c.text);
  }
  auto errors = parse_errors("${}");
  EXPECT_NE(errors[0].hint.find("${env.NAME:-default}"), std::string::npos);
}

TEST(Interpolate, TrailingDotInReferenceIsAnError) {
  // JsonPath refuses "a." ("path ends with '.'"); a reference must not
  // silently read `${user.}` as `${user}`.
  auto errors = parse_errors("${user.}");
  ASSERT_EQ(errors.size(), 1u) << "${user.} was accepted";
  EXPECT_NE(errors[0].message.find("bad reference '${user.}'"), std::string::npos)
      << errors[0].message;
}

TEST(Interpolate, EveryBadReferenceIsReported) {
  auto errors = parse_errors("${} and ${a b} and ${ok}");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].loc.col, 11u);
  EXPECT_EQ(errors[1].loc.col, 10u + 8 + 1);
}

TEST(Interpolate, ErrorsAreAppended) {
  std::vector<Diagnostic> errors{{kTemplateLoc, "earlier", ""}};
  Template ok = Template::string("${fine}", kTemplateLoc, errors);
  EXPECT_FALSE(ok.is_constant()); // an earlier error does not spoil this one
  Template bad = Template::string("${", kTemplateLoc, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "earlier");
  EXPECT_TRUE(bad.is_constant());
}

TEST(Interpolate, ReferenceLocationPointsAtTheDollar) {
  Template t = parse("xx${a}");
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].loc.line, 3u);
  EXPECT_EQ(refs[0].loc.col, 10u + 2 + 1);
}

TEST(Interpolate, UndefinedReferenceCarriesItsRef) {
  Template t = parse("id-${missing.x}");
  try {
    t.render(MapResolver{});
    FAIL() << "expected UndefinedReference";
  } catch (const UndefinedReference &e) {
    EXPECT_STREQ(e.what(), "undefined variable 'missing.x'");
    EXPECT_EQ(e.ref().root, "missing");
    EXPECT_EQ(e.ref().text, "missing.x");
    EXPECT_EQ(e.ref().loc.col, 10u + 3 + 1);
  }
  EXPECT_THROW(parse("${nope}").render(MapResolver{}), UndefinedReference);
  // A defined root with a missing path is undefined too.
  EXPECT_THROW(parse("${a.b}").render(MapResolver{{"a", 1}}), UndefinedReference);
}

TEST(Interpolate, RenderAsksTheResolverEveryTime) {
  Template t = parse("${a}-${b}");
  MapResolver r{{"a", 1}, {"b", 2}};
  t.render(r);
  t.render(r);
  EXPECT_EQ(r.lookups, 4);
  r.values["a"] = 9;
  EXPECT_EQ(t.render(r), "9-2");
}

TEST(Interpolate, ObjectOfConstantsCollapsesToAConstant) {
  Template t = Template::object({{"a", Template::constant(1)}, {"b", parse("text")}});
  EXPECT_TRUE(t.is_constant());
  EXPECT_EQ(t.constant_value(), json({{"a", 1}, {"b", "text"}}));
  auto members = t.members();
  ASSERT_TRUE(members.has_value());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].first, "a");
  EXPECT_EQ((*members)[0].second.constant_value(), 1);
}

TEST(Interpolate, ArrayOfConstantsCollapsesToAConstant) {
  Template t = Template::array({Template::constant(1), parse("x"), Template::constant(nullptr)});
  EXPECT_TRUE(t.is_constant());
  EXPECT_EQ(t.constant_value(), json::parse(R"([1, "x", null])"));
  EXPECT_FALSE(t.members().has_value());
}

TEST(Interpolate, EmptyObjectAndArrayAreConstants) {
  Template o = Template::object({});
  EXPECT_TRUE(o.is_constant());
  EXPECT_EQ(o.constant_value(), json::object());
  Template a = Template::array({});
  EXPECT_TRUE(a.is_constant());
  EXPECT_EQ(a.constant_value(), json::array());
}

TEST(Interpolate, ObjectWithAReferenceRendersEachMember) {
  Template t = Template::object(
      {{"url", parse("${base}/users")},
       {"body", Template::object({{"id", parse("${id}")}, {"n", Template::constant(1)}})},
       {"list", Template::array({parse("${id}"), Template::constant("k")})}});
  EXPECT_FALSE(t.is_constant());
  MapResolver r{{"base", "http://h"}, {"id", 7}};
  EXPECT_EQ(t.render(r), json::parse(R"({"url": "http://h/users", "body": {"id": 7, "n": 1},
                                         "list": [7, "k"]})"));
  auto members = t.members();
  ASSERT_TRUE(members.has_value());
  EXPECT_EQ(members->size(), 3u);
  EXPECT_FALSE((*members)[0].second.is_constant());
}

TEST(Interpolate, MembersOfNonTables) {
  EXPECT_FALSE(parse("${a}").members().has_value());
  EXPECT_FALSE(Template::constant("x").members().has_value());
  EXPECT_FALSE(Template::constant(json::array()).members().has_value());
  auto m = Template::constant(json{{"k", {{"x", 1}}}}).members();
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].second.constant_value(), json({{"x", 1}}));
}

TEST(Interpolate, ShapeDiscardsReferences) {
  EXPECT_TRUE(parse("${a}").shape().is_discarded());
  EXPECT_TRUE(parse("x ${a}").shape().is_discarded());
  EXPECT_EQ(parse("plain").shape(), "plain");
  EXPECT_EQ(parse("$${a}").shape(), "${a}");

  Template t = Template::object({{"a", parse("${a}")},
                                 {"b", Template::constant(1)},
                                 {"c", Template::array({parse("${x}"), Template::constant(2)})}});
  json s = t.shape();
  ASSERT_TRUE(s.is_object());
  EXPECT_TRUE(s["a"].is_discarded());
  EXPECT_EQ(s["b"], 1);
  ASSERT_TRUE(s["c"].is_array());
  EXPECT_TRUE(s["c"][0].is_discarded());
  EXPECT_EQ(s["c"][1], 2);
}

TEST(Interpolate, ForEachRefVisitsEveryReferenceInOrder) {
  Template t = Template::array({parse("${first}"),
                                Template::object({{"x", parse("${second.a} and ${third:-d}")},
                                                  {"y", Template::constant(0)}}),
                                Template::array({parse("${env.FOURTH}")})});
  auto refs = refs_of(t);
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0].root, "first");
  EXPECT_EQ(refs[1].root, "second");
  EXPECT_EQ(refs[2].root, "third");
  EXPECT_TRUE(refs[2].fallback.has_value());
  EXPECT_EQ(refs[3].root, "env");
}

// A resolver that keeps its values (as the run's scope does): render_json
// writes them from where they are kept, and asks lookup() only for the rest.
struct KeptResolver : Resolver {
  json kept;
  mutable int lookups = 0;
  std::optional<json> lookup(const Ref &r) const override {
    ++lookups;
    if (const json *v = find(r))
      return *v;
    if (r.root == "late")
      return json("from lookup");
    return std::nullopt;
  }
  const json *find(const Ref &r) const override {
    auto it = kept.find(r.root);
    return it == kept.end() ? nullptr : r.path.find(*it);
  }
};

TEST(Interpolate, RenderJsonTakesKeptValuesWithoutLookingThemUp) {
  Template t = Template::object({{"whole", parse("${a.b}")},
                                 {"text", parse("x-${s}-${n}")},
                                 {"late", parse("${late}")},
                                 {"fallback", parse("${none:-d}")}});
  KeptResolver r;
  r.kept = {{"a", {{"b", {1, "two"}}}}, {"s", "q\"uote"}, {"n", 3}};
  std::string out;
  t.render_json(r, out);
  EXPECT_EQ(r.lookups, 2); // ${late} and ${none}
  EXPECT_EQ(json::parse(out), json::parse(R"({"whole": [1, "two"], "text": "x-q\"uote-3",
                                              "late": "from lookup", "fallback": "d"})"));
  EXPECT_EQ(json::parse(out), t.render(r));
  KeptResolver empty;
  EXPECT_THROW(parse("${a}").render_json(empty, out), UndefinedReference);
}

TEST(Interpolate, ToText) {
  EXPECT_EQ(to_text("s"), "s");
  EXPECT_EQ(to_text(nullptr), "");
  EXPECT_EQ(to_text(12), "12");
  EXPECT_EQ(to_text(-3), "-3");
  EXPECT_EQ(to_text(false), "false");
  EXPECT_EQ(to_text(json{{"a", "b"}}), R"({"a":"b"})");
  EXPECT_EQ(to_text(json::array({1, 2})), "[1,2]");
}

// Found by the interpolate fuzz target: the size of a constant table with
// invalid UTF-8 in a string threw nlohmann's type_error (dump) instead of
// counting the text as it is written, with U+FFFD.
TEST(Interpolate, ExpandedSizeOfATableWithInvalidUtf8) {
  Template t = Template::object({{"k", Template::constant(json(std::string("a\xff")))}});
  size_t size = 0;
  EXPECT_NO_THROW(size = t.expanded_size([](const Ref &) { return size_t{0}; }));
  EXPECT_EQ(size, std::string("{\"k\":\"a\xEF\xBF\xBD\"}").size());
}

} // namespace
} // namespace seam
