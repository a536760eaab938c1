// PostgreSQL's array text read into JSON and written from it, and NUMERIC
// text mapped exactly: the pure parts of the value mapping, with the quoting
// rules the server's own output and input follow.
#include "pg_types.hpp"
#include "values.hpp"

#include <gtest/gtest.h>

namespace seam::sql {
namespace {

enum : unsigned { int4 = 23, text = 25, int4_array = 1007, text_array = 1009, numeric = 1700 };

json read(std::string_view s, unsigned array_oid) {
  std::string z(s);
  return pg_value(array_oid, z.c_str(), static_cast<int>(z.size()));
}

TEST(PgArrays, ScalarsNestedAndNull) {
  EXPECT_EQ(read("{1,2,3}", int4_array), json::parse("[1,2,3]"));
  EXPECT_EQ(read("{{1,2},{3,4}}", int4_array), json::parse("[[1,2],[3,4]]"));
  EXPECT_EQ(read("{1,NULL,3}", int4_array), json::parse("[1,null,3]"));
  EXPECT_EQ(read("{}", int4_array), json::array());
  EXPECT_EQ(read("[0:1]={7,8}", int4_array), json::parse("[7,8]"));
  EXPECT_EQ(read("{1.5,12345678901234567890.1234567890}", 1231),
            json::parse(R"([1.5,"12345678901234567890.1234567890"])"));
}

TEST(PgArrays, QuotingRules) {
  EXPECT_EQ(read(R"({"a,b","say \"hi\"","{x}","back\\slash","","NULL",NULL," pad "})", text_array),
            json::parse(R"(["a,b","say \"hi\"","{x}","back\\slash","","NULL",null," pad "])"));
  EXPECT_EQ(read("{ a , b }", text_array), json::parse(R"(["a","b"])")); // bare: spaces dropped
  EXPECT_EQ(read("{nUlL}", text_array), json::parse("[null]"));
  EXPECT_EQ(read(R"({a\,b})", text_array), json::parse(R"(["a,b"])"));
}

TEST(PgArrays, MalformedTextStaysText) {
  for (const char *bad : {"{1,2", "{1,,2}", "{\"a}", "1,2", "{1}x", "[0:1]{1}", "{a\"b}", "{,}"})
    EXPECT_EQ(read(bad, int4_array), json(bad)) << bad;
}

TEST(PgArrays, LiteralsForParameters) {
  EXPECT_EQ(pg_array_literal(json::parse("[1,2,3]")), "{1,2,3}");
  EXPECT_EQ(pg_array_literal(json::parse("[[1,2],[3,4]]")), "{{1,2},{3,4}}");
  EXPECT_EQ(pg_array_literal(json::array()), "{}");
  EXPECT_EQ(pg_array_literal(json::parse(R"(["a,b","say \"hi\"","back\\slash",null,"NULL",true])")),
            R"({"a,b","say \"hi\"","back\\slash",NULL,"NULL",true})");
  EXPECT_EQ(pg_array_literal(json::parse(R"([{"a":1}])")), R"({"{\"a\":1}"})");
  // Read back, a literal gives the list it came from.
  json list = json::parse(R"(["a,b","say \"hi\"","{x}","back\\slash","",null])");
  EXPECT_EQ(read(pg_array_literal(list), text_array), list);
}

TEST(PgArrays, ListsBindAsArraysExceptForJsonAndText) {
  json list = json::parse("[1,2]");
  EXPECT_EQ(*pg_param(list, int4_array), "{1,2}");
  EXPECT_EQ(*pg_param(list, 3802), "[1,2]"); // jsonb
  EXPECT_EQ(*pg_param(list, 114), "[1,2]");  // json
  EXPECT_EQ(*pg_param(list, text), "[1,2]");
  EXPECT_EQ(*pg_param(list, 0), "[1,2]");
  EXPECT_EQ(*pg_param(json("12345678901234567890.1234567890"), numeric),
            "12345678901234567890.1234567890");
}

TEST(PgNumeric, ExactOrNumber) {
  EXPECT_EQ(read("1234.50", numeric), json(1234.5));
  EXPECT_EQ(read("12345678901234567890.1234567890", numeric),
            json("12345678901234567890.1234567890"));
  EXPECT_EQ(read("18446744073709551615", numeric), json::parse("18446744073709551615"));
  EXPECT_EQ(read("18446744073709551616", numeric), json("18446744073709551616"));
  EXPECT_EQ(read("-9223372036854775808", numeric), json(INT64_MIN));
  EXPECT_EQ(read("NaN", numeric), json("NaN"));
  EXPECT_EQ(read("-Infinity", numeric), json("-Infinity"));
  EXPECT_EQ(read("9223372036854775807", int4), json(INT64_MAX));
}

TEST(PgTypes, Names) {
  EXPECT_EQ(pg_type_name(numeric), "numeric");
  EXPECT_EQ(pg_type_name(int4_array), "integer[]");
  EXPECT_EQ(pg_type_name(16391), "16391");
}

} // namespace
} // namespace seam::sql
