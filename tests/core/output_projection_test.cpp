// Outputs parsed only as far as a step's paths reach: every path finds what
// it finds in the whole parse, and what no path names is left out.
#include "seam/core/expect/output_projection.hpp"

#include <seam/json_read.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seam {
namespace {

std::vector<JsonPath> paths_of(const std::vector<std::string> &texts) {
  std::vector<JsonPath> out;
  for (const auto &t : texts) {
    auto p = JsonPath::parse(t);
    EXPECT_TRUE(p.has_value()) << t;
    out.push_back(p ? *p : JsonPath());
  }
  return out;
}

std::unique_ptr<OutputProjection> projection(const std::vector<JsonPath> &paths) {
  std::vector<const JsonPath *> ptrs;
  for (const auto &p : paths)
    ptrs.push_back(&p);
  return OutputProjection::of(ptrs);
}

// The projected parse of `text` for `texts`, checked against the whole parse
// on every path (and on a few it does not name, which must be missing).
json projected(const std::string &text, const std::vector<std::string> &texts) {
  auto paths = paths_of(texts);
  auto proj = projection(paths);
  EXPECT_NE(proj, nullptr);
  if (!proj)
    return json();
  json whole = json::parse(text);
  json part = proj->parse(text);
  EXPECT_FALSE(part.is_discarded()) << text;
  for (const auto &p : paths) {
    const json *a = p.find(whole);
    const json *b = p.find(part);
    EXPECT_EQ(a == nullptr, b == nullptr) << p.text();
    if (a && b) {
      EXPECT_EQ(*a, *b) << p.text();
    }
  }
  return part;
}

const std::string kHttp =
    R"({"status": 201, "headers": {"server": "nginx", "content-type": "application/json"},
  "body": "{\"user_id\":\"u_1\"}", "json": {"user_id": "u_1", "created": true, "tags": ["a", "b"]},
  "timing": {"total_ms": 0.3}})";

TEST(OutputProjection, KeepsOnlyTheNamedKeys) {
  json part = projected(kHttp, {"status", "json.user_id"});
  EXPECT_EQ(part, json::parse(R"({"status": 201, "json": {"user_id": "u_1"}})"));
}

TEST(OutputProjection, KeepsAWholeValueUnderAPath) {
  json part = projected(kHttp, {"json", "headers.server"});
  EXPECT_EQ(part["json"], json::parse(kHttp)["json"]);
  EXPECT_EQ(part["headers"], json::parse(R"({"server": "nginx"})"));
  EXPECT_FALSE(part.contains("body"));
  // A longer path under a kept value changes nothing.
  EXPECT_EQ(projected(kHttp, {"json", "json.tags[1]"}), projected(kHttp, {"json"}));
}

TEST(OutputProjection, ArraysKeepTheirLengthWithNullsForTheRest) {
  std::string text =
      R"({"count": 4, "messages": [{"n": 1, "x": [1]}, {"n": 2}, {"n": 3}, {"n": 4}]})";
  json part = projected(text, {"count", "messages[0].n", "messages[3]"});
  EXPECT_EQ(part, json::parse(R"({"count": 4, "messages": [{"n": 1}, null, null, {"n": 4}]})"));
  // Past the end, and a key of an array: missing, as in the whole parse.
  projected(text, {"messages[9].n", "messages.n", "count.x", "nothing"});
}

TEST(OutputProjection, AnIndexFromTheEndKeepsTheArrayWhole) {
  std::string text = R"({"rows": [{"id": 1}, {"id": 2}, {"id": 3}], "other": 1})";
  json part = projected(text, {"rows[-1].id"});
  EXPECT_EQ(part, json::parse(R"({"rows": [{"id": 1}, {"id": 2}, {"id": 3}]})"));
}

TEST(OutputProjection, ValuesOfAnotherShapeThanThePathAreKept) {
  // The path expects an object under "json"; the output has a string there:
  // the path misses in both, and the string is kept for the message.
  json part = projected(R"({"json": "plain text", "rows": 3})", {"json.id", "rows[0]"});
  EXPECT_EQ(part, json::parse(R"({"json": "plain text", "rows": 3})"));
}

TEST(OutputProjection, TheLastOfTwoEqualKeysWins) {
  json part = projected(R"({"a": 1, "b": {"c": 1}, "a": 2, "b": {"c": 2}})", {"a", "b.c"});
  EXPECT_EQ(part, json::parse(R"({"a": 2, "b": {"c": 2}})"));
}

TEST(OutputProjection, ScalarsAndNumbersAsTheWholeParse) {
  projected(R"({"i": -5, "u": 18446744073709551615, "f": 1.5e300, "s": "\u00e9\ud83d\ude00",
    "t": true, "n": null, "e": {}, "a": []})",
            {"i", "u", "f", "s", "t", "n", "e", "a"});
  // A root that is not an object: a path into it misses in both.
  projected("[1, 2, 3]", {"x", "[1]"});
  projected("42", {"x"});
}

TEST(OutputProjection, TextThatIsNotJsonIsRefusedEvenWhereNoPathReads) {
  auto paths = paths_of({"status"});
  auto proj = projection(paths);
  for (const char *bad :
       {R"({"status": 1, "skipped": [1, 2,]})", R"({"status": 1} trailing)",
        R"({"status": 1, "s": "\ud800"})", R"({"status": 1, "big": 1e400})",
        "{\"status\": 1, \"s\": \"\xff\"}", "", R"({"status": 1, "deep": [[[[{"a": tru}]]]]})"}) {
    EXPECT_FALSE(json::accept(bad)) << bad;
    EXPECT_TRUE(proj->parse(bad).is_discarded()) << bad;
  }
}

TEST(OutputProjection, TheWholeOutputOrNoPathMeansNoProjection) {
  EXPECT_EQ(projection(paths_of({"status", ""})), nullptr);
  EXPECT_EQ(projection({}), nullptr);
}

} // namespace
} // namespace seam

namespace seam {
namespace {

// What simdjson refuses and nlohmann reads (integers beyond 64 bits, nesting
// deeper than 1,024) is read by nlohmann: every reader answers as json::parse.
TEST(OutputJson, AnswersAsNlohmannDoes) {
  std::string deep = std::string(1500, '[') + std::string(1500, ']');
  std::string deep_object = R"({"status": 1, "deep": )" + deep + "}";
  for (const std::string &text :
       {std::string(kHttp),
        std::string(R"({"big": 123456789012345678901234567890, "neg": -9223372036854775808})"),
        std::string(R"({"u": 18446744073709551615, "i": -1, "z": -0, "f": 0.1, "e": 1E2})"), deep,
        deep_object, std::string("\xef\xbb\xbf{\"bom\": 1}"), std::string(R"({"a": 1, "a": 2})"),
        std::string("  7  "), std::string(R"({"s": "\u00e9\ud83d\ude00\n\t\"", "k\u0000": null})"),
        std::string("[1, 2,]"), std::string(R"({"s": "\udc00"})"),
        std::string("{\"s\": \"a\x01b\"}"), std::string("1e400"), std::string("{} {}"),
        std::string("")}) {
    json whole = json::parse(text, nullptr, false);
    EXPECT_EQ(is_json(text), json::accept(text)) << text.substr(0, 80);
    json fast = read_json_or_discarded(text);
    EXPECT_EQ(fast.is_discarded(), whole.is_discarded()) << text.substr(0, 80);
    if (!whole.is_discarded()) {
      EXPECT_EQ(fast, whole) << text.substr(0, 80);
      EXPECT_EQ(fast.dump(), whole.dump()) << text.substr(0, 80);
    }
  }
  // A projection reads the fallback's values too.
  projected(deep_object, {"status", "deep[0][0]"});
  projected(R"({"big": 123456789012345678901234567890, "x": 1})", {"big"});
}

// A std::string with room past its text is read where it lies, whatever the
// bytes past the text are; every reader answers as for a copy of the text.
TEST(OutputJson, ReadsAStringWithRoomInPlace) {
  std::string big_list = "[";
  for (int i = 0; i < 2000; ++i)
    big_list += (i ? "," : "") + std::string(R"({"n":)") + std::to_string(i) + "}";
  big_list += "]";
  for (const std::string &text :
       {std::string(kHttp), std::string("7"), std::string("[1, 2"), std::string(R"({"a": "b")"),
        std::string("\"abc"), std::string("tru"), std::string("1e400"), big_list,
        std::string("")}) {
    // Past the text: bytes that would complete or spoil it if they were read.
    std::string roomy = text + std::string(json_read_padding, '}') + "\"]";
    roomy.resize(text.size());
    ASSERT_TRUE(json_source(roomy).in_place()) << text.substr(0, 80);
    EXPECT_FALSE(json_source(std::string_view(roomy)).in_place());
    json whole = json::parse(text, nullptr, false);
    EXPECT_EQ(is_json(roomy), json::accept(text)) << text.substr(0, 80);
    json fast = read_json_or_discarded(roomy);
    EXPECT_EQ(fast.is_discarded(), whole.is_discarded()) << text.substr(0, 80);
    if (!whole.is_discarded()) {
      EXPECT_EQ(fast.dump(), whole.dump()) << text.substr(0, 80);
    }
  }
  std::string roomy = big_list + std::string(json_read_padding, ']');
  roomy.resize(big_list.size());
  std::vector<JsonPath> paths = paths_of({"[0].n", "[1999].n"});
  json part = projection(paths)->parse(roomy);
  EXPECT_EQ(part[0]["n"], 0);
  EXPECT_EQ(part[1999]["n"], 1999);
  EXPECT_EQ(part.size(), 2000u);
  // A string without that room is copied first: the same answers.
  EXPECT_FALSE(json_source(std::string("{}")).in_place());
  EXPECT_TRUE(is_json(std::string("{}")));
}

} // namespace
} // namespace seam
