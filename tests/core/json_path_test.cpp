// Paths into step outputs: parsing (with the column of a mistake) and lookup.
#include "seam/core/base/json_path.hpp"

#include <gtest/gtest.h>

namespace seam {
namespace {

using Seg = JsonPath::segment;

JsonPath parse_ok(std::string_view text) {
  std::string err;
  auto p = JsonPath::parse(text, &err);
  EXPECT_TRUE(p.has_value()) << "'" << text << "': " << err;
  return p ? *p : JsonPath();
}

struct ParseError {
  std::string message;
  size_t col = 0;
};

ParseError parse_error(std::string_view text) {
  ParseError e;
  e.col = 999;
  auto p = JsonPath::parse(text, &e.message, &e.col);
  EXPECT_FALSE(p.has_value()) << "'" << text << "' should not parse";
  return e;
}

const json kDoc = json::parse(R"({
  "json": {"items": [{"id": 1}, {"id": 2}, {"id": 3}], "a.b": "dotted", "e-mail": "x@y"},
  "headers": {"content-type": "application/json"},
  "rows": [[10, 11], [20, 21]],
  "flag": false,
  "nothing": null
})");

TEST(JsonPath, EmptyPathIsTheWholeDocument) {
  JsonPath p = parse_ok("");
  EXPECT_TRUE(p.empty());
  ASSERT_NE(p.find(kDoc), nullptr);
  EXPECT_EQ(*p.find(kDoc), kDoc);
}

TEST(JsonPath, KeysAndIndices) {
  JsonPath p = parse_ok("json.items[1].id");
  ASSERT_EQ(p.segments().size(), 4u);
  EXPECT_EQ(p.segments()[0], Seg(std::string("json")));
  EXPECT_EQ(p.segments()[1], Seg(std::string("items")));
  EXPECT_EQ(p.segments()[2], Seg(1L));
  EXPECT_EQ(p.segments()[3], Seg(std::string("id")));
  EXPECT_EQ(p.text(), "json.items[1].id");
  ASSERT_NE(p.find(kDoc), nullptr);
  EXPECT_EQ(*p.find(kDoc), 2);
}

TEST(JsonPath, KeysMayContainDashes) {
  const json *v = parse_ok("headers.content-type").find(kDoc);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, "application/json");
}

TEST(JsonPath, ConsecutiveIndices) {
  const json *v = parse_ok("rows[1][0]").find(kDoc);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, 20);
}

TEST(JsonPath, LeadingIndexOnAnArrayDocument) {
  json doc = json::array({"a", "b"});
  const json *v = parse_ok("[1]").find(doc);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, "b");
}

TEST(JsonPath, NegativeIndexCountsFromTheEnd) {
  JsonPath p = parse_ok("json.items[-1].id");
  EXPECT_EQ(p.segments()[2], Seg(-1L));
  ASSERT_NE(p.find(kDoc), nullptr);
  EXPECT_EQ(*p.find(kDoc), 3);
  ASSERT_NE(parse_ok("json.items[-3].id").find(kDoc), nullptr);
  EXPECT_EQ(*parse_ok("json.items[-3].id").find(kDoc), 1);
}

TEST(JsonPath, QuotedKeysMayHoldDotsAndDashes) {
  JsonPath p = parse_ok(R"(json["a.b"])");
  ASSERT_EQ(p.segments().size(), 2u);
  EXPECT_EQ(p.segments()[1], Seg(std::string("a.b")));
  ASSERT_NE(p.find(kDoc), nullptr);
  EXPECT_EQ(*p.find(kDoc), "dotted");

  const json *v = parse_ok(R"(json["e-mail"])").find(kDoc);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, "x@y");
}

TEST(JsonPath, QuotedKeyWithEscapedQuote) {
  json doc = {{"say \"hi\"", 1}};
  JsonPath p = parse_ok(R"(["say \"hi\""])");
  ASSERT_EQ(p.segments().size(), 1u);
  EXPECT_EQ(p.segments()[0], Seg(std::string("say \"hi\"")));
  ASSERT_NE(p.find(doc), nullptr);
  EXPECT_EQ(*p.find(doc), 1);
}

TEST(JsonPath, QuotedKeyFollowedByMore) {
  json doc = {{"a b", {{"c", {5, 6}}}}};
  const json *v = parse_ok(R"(["a b"].c[1])").find(doc);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, 6);
}

TEST(JsonPath, FalseAndNullValuesAreFoundNotMissing) {
  const json *f = parse_ok("flag").find(kDoc);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(*f, false);
  const json *n = parse_ok("nothing").find(kDoc);
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->is_null());
}

TEST(JsonPath, MissingPathsAreNull) {
  EXPECT_EQ(parse_ok("json.nope").find(kDoc), nullptr);
  EXPECT_EQ(parse_ok("nope.deeper").find(kDoc), nullptr);
  // A key into an array, an index into an object or a scalar.
  EXPECT_EQ(parse_ok("json.items.id").find(kDoc), nullptr);
  EXPECT_EQ(parse_ok("json[0]").find(kDoc), nullptr);
  EXPECT_EQ(parse_ok("flag.x").find(kDoc), nullptr);
  EXPECT_EQ(parse_ok("nothing[0]").find(kDoc), nullptr);
}

TEST(JsonPath, IndexOutOfRangeIsMissing) {
  EXPECT_EQ(parse_ok("json.items[3]").find(kDoc), nullptr);
  EXPECT_EQ(parse_ok("json.items[-4]").find(kDoc), nullptr);
  EXPECT_EQ(parse_ok("json.items[1000000000]").find(kDoc), nullptr);
  json empty = json::array();
  EXPECT_EQ(parse_ok("[0]").find(empty), nullptr);
  EXPECT_EQ(parse_ok("[-1]").find(empty), nullptr);
}

TEST(JsonPath, EmptySegmentError) {
  ParseError e = parse_error("a..b");
  EXPECT_EQ(e.message, "empty segment in path");
  EXPECT_EQ(e.col, 2u);

  e = parse_error(".a");
  EXPECT_EQ(e.message, "empty segment in path");
  EXPECT_EQ(e.col, 0u);
}

TEST(JsonPath, TrailingDotError) {
  ParseError e = parse_error("json.items.");
  EXPECT_EQ(e.message, "path ends with '.'");
  EXPECT_EQ(e.col, 11u);

  e = parse_error("a[0].");
  EXPECT_EQ(e.message, "path ends with '.'");
  EXPECT_EQ(e.col, 5u);
}

TEST(JsonPath, BadIndexErrors) {
  for (std::string_view text : {"a[x]", "a[]", "a[-]", "a[1", "a[1x]", "a[ 1]"}) {
    ParseError e = parse_error(text);
    EXPECT_EQ(e.message, "expected an index like [0] or a key like [\"name\"] in path") << text;
    EXPECT_EQ(e.col, 1u) << text; // the '['
  }
}

TEST(JsonPath, IndexTooLarge) {
  ParseError e = parse_error("items[99999999999]");
  EXPECT_EQ(e.message, "array index too large in path");
  EXPECT_EQ(e.col, 5u);
}

TEST(JsonPath, UnterminatedQuotedKey) {
  for (std::string_view text : {R"(a["b)", R"(a["b")", R"(a["b"x)"}) {
    ParseError e = parse_error(text);
    EXPECT_EQ(e.message, "unterminated [\"key\"] in path") << text;
    EXPECT_EQ(e.col, 1u) << text;
  }
}

TEST(JsonPath, KeyDirectlyAfterIndex) {
  ParseError e = parse_error("a[0]b");
  EXPECT_EQ(e.message, "expected '.' or '[' in path");
  EXPECT_EQ(e.col, 4u);
}

TEST(JsonPath, StrayClosingBracket) {
  ParseError e = parse_error("]");
  EXPECT_EQ(e.message, "unexpected ']' in path");
  EXPECT_EQ(e.col, 0u);

  e = parse_error("a.]");
  EXPECT_EQ(e.message, "unexpected ']' in path");
  EXPECT_EQ(e.col, 2u);
}

TEST(JsonPath, ErrorPointersAreOptional) { EXPECT_FALSE(JsonPath::parse("a..b").has_value()); }

} // namespace
} // namespace seam
