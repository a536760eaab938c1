// The C++ SDK's own behaviour, through real plugin libraries loaded by
// seam/testing.hpp: state owned by the framework, resource kinds,
// seam::unavailable against 1.2 and older hosts, a definition that throws,
// and seam::deadline, the JSON reader and writer on their own.
#include <seam/deadline.hpp>
#include <seam/duration.hpp>
#include <seam/exact_numbers.hpp>
#include <seam/json_builder.hpp>
#include <seam/json_path.hpp>
#include <seam/json_read.hpp>
#include <seam/json_view.hpp>
#include <seam/json_write.hpp>
#include <seam/testing.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#ifndef SEAM_BAD_PLUGIN_DIR
#error "SEAM_BAD_PLUGIN_DIR must name the directory of the SDK test plugins"
#endif

namespace {

using namespace std::chrono_literals;
using seam::testing::host;
using seam::testing::host_abi;
using json = nlohmann::json;

std::string lib(const char *name) {
  return std::string(SEAM_BAD_PLUGIN_DIR) + "/seam-" + name + ".so";
}

TEST(SdkState, EachHostGetsItsOwnStateDestroyedAtShutdown) {
  {
    host a(lib("cppsdk"));
    EXPECT_EQ(a.run("count").output, json({{"calls", 1}, {"live", 1}}));
    EXPECT_EQ(a.run("count").output["calls"], 2);
    {
      host b(lib("cppsdk"));
      // b's state is a second one: its count starts again.
      EXPECT_EQ(b.run("count").output, json({{"calls", 1}, {"live", 2}}));
    }
    EXPECT_EQ(a.run("count").output, json({{"calls", 3}, {"live", 1}}));
  }
  host c(lib("cppsdk"));
  EXPECT_EQ(c.run("count").output["live"], 1);
}

TEST(SdkKinds, EachKindIsATypeOfItsOwnAndStepsNameTheirKind) {
  host h(lib("cppsdk"));
  const seam_plugin &p = h.plugin();
  EXPECT_EQ(p.resource_type, nullptr);
  ASSERT_EQ(p.resource_type_count, 2u);
  EXPECT_STREQ(p.resource_types[0]->kind, "client");
  EXPECT_STREQ(p.resource_types[1]->kind, "mock");
  EXPECT_STREQ(h.find_step("whoami")->resource_kind, "client");
  EXPECT_STREQ(h.find_step("mock_name")->resource_kind, "mock");
  EXPECT_EQ(h.find_step("count")->resource_kind, nullptr);
  EXPECT_EQ(h.find_step("count")->resource, SEAM_RESOURCE_NONE);

  void *c = nullptr, *m = nullptr;
  ASSERT_TRUE(h.open("api", json::object(), &c, "client").ok);
  auto opened = h.open("fake", json::object(), &m, "mock");
  ASSERT_TRUE(opened.ok);
  EXPECT_EQ(opened.output["kind"], "mock");
  EXPECT_EQ(h.run("whoami", json::object(), c).output["client"], "api");
  EXPECT_EQ(h.run("mock_name", json::object(), m).output["mock"], "fake");
  // A kind without close(ctx) closes silently; one with it reports.
  EXPECT_EQ(p.resource_types[0]->close_with_context, nullptr);
  ASSERT_NE(p.resource_types[1]->close_with_context, nullptr);
  auto closed_client = h.close(c, "client");
  EXPECT_TRUE(closed_client.ok);
  EXPECT_TRUE(closed_client.logs.empty());
  auto closed_mock = h.close(m, "mock");
  ASSERT_TRUE(closed_mock.ok) << closed_mock.error;
  EXPECT_EQ(closed_mock.output, json({{"served", 1}}));
  ASSERT_EQ(closed_mock.logs.size(), 1u);
  EXPECT_NE(closed_mock.logs[0].find("mock fake served 1 calls"), std::string::npos);
}

TEST(SdkUnavailable, IsItsOwnStatusForA12Host) {
  host h(lib("cppsdk"));
  void *c = nullptr;
  auto r = h.open("api", {{"down", true}}, &c, "client");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.unavailable());
  EXPECT_EQ(r.error, "nothing listens on 127.0.0.1:1");
  EXPECT_EQ(c, nullptr);
}

TEST(SdkUnavailable, IsAPrefixedErrorForAnOlderHost) {
  host h(lib("cppsdk"), host_abi::v1_1);
  void *c = nullptr;
  auto r = h.open("api", {{"down", true}}, &c, "client");
  EXPECT_EQ(r.status, SEAM_ERROR);
  EXPECT_EQ(r.error, "unavailable: nothing listens on 127.0.0.1:1");
}

TEST(SdkDescribe, AThrowingDefinitionKeepsItsMessage) {
  try {
    host h(lib("describe_throws"));
    FAIL() << "the plugin described itself";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "the plugin failed to describe itself: SEAM_WIDGET_HOME is not set");
  }
}

TEST(SdkDeadline, TheCallsDeadlineReachesThePluginsThreads) {
  host h(lib("cppsdk"));
  seam::testing::call_options o;
  o.deadline = 30ms;
  auto r = h.run("sleep", json::object(), nullptr, o);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["host_deadline"], true);
  // The host cancels the call when its deadline passes; the plugin's copy of
  // the deadline ends a millisecond later: either ends the wait.
  EXPECT_TRUE(r.output["expired"] == true || r.output["cancelled"] == true) << r.output;
  // The step's own limit, when it comes first.
  auto own = h.run("sleep", {{"for", "20ms"}});
  ASSERT_TRUE(own.ok) << own.error;
  EXPECT_EQ(own.output["host_deadline"], false);
  EXPECT_EQ(own.output["expired"], true);
  EXPECT_EQ(own.output["cancelled"], false);
}

TEST(SdkDeadline, CancellationEndsTheWaitBeforeTheTime) {
  host h(lib("cppsdk"));
  seam::testing::call_options o;
  o.cancel_after = 10ms;
  auto r = h.run("sleep", {{"for", "10m"}}, nullptr, o);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["cancelled"], true);
  EXPECT_EQ(r.output["expired"], false);
}

TEST(SdkDeadline, Arithmetic) {
  seam::deadline none;
  EXPECT_FALSE(none.has_limit());
  EXPECT_FALSE(none.done());
  EXPECT_EQ(none.bounded(50ms), std::chrono::duration_cast<seam::deadline::clock::duration>(50ms));
  auto soon = seam::deadline::after(1h).within(10min);
  EXPECT_LE(soon.remaining(), std::chrono::duration_cast<seam::deadline::clock::duration>(10min));
  EXPECT_GT(soon.remaining_ms(), 9min);
  EXPECT_EQ(soon.bounded(1ms), std::chrono::duration_cast<seam::deadline::clock::duration>(1ms));
  auto passed = seam::deadline::after(0ms);
  EXPECT_TRUE(passed.expired());
  EXPECT_EQ(passed.remaining(), seam::deadline::clock::duration::zero());
  EXPECT_EQ(passed.bounded(1s), seam::deadline::clock::duration::zero());
  // minus() never goes before now, so a reserve larger than what is left
  // makes a deadline that has just passed.
  EXPECT_TRUE(seam::deadline::after(10ms).minus(1s).expired());
  EXPECT_FALSE(seam::deadline::after(1h).minus(1s).expired());
  EXPECT_EQ(none.earliest(soon).when(), soon.when());
}

TEST(SdkJsonPath, FindTellsHowFarThePathWent) {
  json doc = {{"rows", {{{"id", 1}}, {{"id", 2}}}}};
  auto p = seam::json_path::parse("rows[1].email");
  ASSERT_TRUE(p);
  size_t reached = 99;
  EXPECT_EQ(p->find(doc, &reached), nullptr);
  EXPECT_EQ(reached, 2u); // rows and [1] were there; "email" was not
  EXPECT_EQ(seam::json_path::format(p->segments()[reached]), "email");
  EXPECT_EQ(*seam::json_path::lookup(doc, "rows[-1].id"), 2);
  EXPECT_EQ(seam::json_path::lookup(doc, "rows[."), nullptr); // does not parse
}

TEST(SdkJsonPath, MakeBuildsTheWayAndRefusesWhatIsInTheWay) {
  json doc;
  auto p = seam::json_path::parse("rows[1].id");
  ASSERT_TRUE(p);
  *p->make(doc) = 7;
  EXPECT_EQ(doc, json::parse(R"({"rows": [null, {"id": 7}]})"));
  std::string why;
  json text = "x";
  EXPECT_EQ(p->make(text, &why), nullptr);
  EXPECT_EQ(why, "'rows' of string in path 'rows[1].id'");
  EXPECT_EQ(seam::json_path::parse("a[-1]")->make(doc, &why), nullptr);
  EXPECT_EQ(why, "negative index in path 'a[-1]'");
}

// The trees seam::read_json builds are json::parse's, to the type: their
// texts are equal byte for byte (== alone calls 1 and 1.0 equal).
TEST(SdkJsonRead, BuildsTheTreeJsonParseBuilds) {
#ifndef SEAM_SDK_SIMDJSON
  GTEST_SKIP() << "built without simdjson: read_json is json::parse";
#endif
  std::string deep = std::string(2000, '[') + std::string(2000, ']');
  for (const std::string &text : std::vector<std::string>{
           R"({"params":{"id":4711,"name":"user-1"},"sql":"SELECT 1"})",
           R"([1, -1, 0, -0, 1.0, -0.0, 1e2, 1.5e-400, 0.1, 3.141592653589793])",
           R"([9223372036854775807, 9223372036854775808, 18446744073709551615])",
           R"([18446744073709551616, -9223372036854775809])",      // beyond 64 bits
           R"({"a": 1, "a": 2, "b": {"a": [true, false, null]}})", // the last key wins
           R"(["caf\u00e9", "\ud83d\ude00", "tab\t", "nul\u0000"])", "\"caf\xc3\xa9\"", "  {}  ",
           "[]", "\"\"", "null",
           deep, // deeper than simdjson goes
       }) {
    json want = json::parse(text);
    json got = seam::read_json(text);
    EXPECT_EQ(got.dump(), want.dump()) << text.substr(0, 80);
    EXPECT_EQ(got.type(), want.type()) << text.substr(0, 80);
  }
}

TEST(SdkJsonRead, RefusesWhatJsonParseRefuses) {
  for (const std::string &text : std::vector<std::string>{"", "{", "[1,]", "1 2", "\"\xff\"",
                                                          "\"\\ud800\"", "NaN", "1e400"}) {
    EXPECT_THROW(seam::read_json(text), json::exception) << text;
    EXPECT_TRUE(seam::read_json_or_discarded(text).is_discarded()) << text;
    EXPECT_FALSE(seam::is_json(text)) << text;
  }
  EXPECT_TRUE(seam::is_json(R"({"a": [1, 2.5, "x"]})"));
}

// seam::write_json writes what dump(-1, ' ', false, replace) writes.
TEST(SdkJsonWrite, WritesTheTextDumpWrites) {
  json tree = json::parse(R"({"rows": [{"id": 1, "name": "user-1"}], "count": 1,
                              "affected": -3, "big": 18446744073709551615,
                              "d": [1.0, -0.0, 0.1, 1e300, 2.5e-7], "ok": true, "none": null,
                              "empty": {}, "list": [], "say": "\"hi\" \\ / \b\f\n\r\t\u0001\u001f\u007f",
                              "café": "\u00e9\u2713\ud83d\ude00"})");
  tree["bad utf-8"] = std::string("a\xff"
                                  "b\xc3");
  tree["surrogate"] = std::string("\xed\xa0\x80");           // U+D800 written as UTF-8
  tree["overlong"] = std::string("\xc0\xaf");                // '/' in two bytes
  tree["too high"] = std::string("\xf4\x90\x80\x80");        // above U+10FFFF
  tree["mixed"] = std::string("\"\xc3\xa9\n\xe2\x9c\x93\\"); // escapes and UTF-8
  tree[std::string("key\xfe")] = 1;
  tree["nan"] = std::nan("");
  std::string want = tree.dump(-1, ' ', false, json::error_handler_t::replace);
  EXPECT_EQ(seam::write_json(tree), want);
  std::string out = "prefix:";
  seam::append_json(out, tree);
  EXPECT_EQ(out, "prefix:" + want);
  for (const json &v : {json(nullptr), json(0), json(-1), json(true), json("x"), json(1.5),
                        json::array(), json::object()})
    EXPECT_EQ(seam::write_json(v), v.dump());
}

// Strings are written as dump() writes them, short ones (one pass into a
// buffer) and long ones (measured first, then written in place) alike:
// random strings of 0 to 600 bytes from plain text, every byte that has an
// escape, UTF-8 of two to four bytes, and bytes that make it invalid.
TEST(SdkJsonWrite, StringsAreWrittenAsDumpWritesThem) {
  // The last four make UTF-8 invalid.
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           "0",
                                           " ",
                                           "/",
                                           "~",
                                           "plain words ",
                                           "\"",
                                           "\\",
                                           "\b",
                                           "\f",
                                           "\n",
                                           "\r",
                                           "\t",
                                           std::string(1, '\0'),
                                           "\x01",
                                           "\x1f",
                                           "\x7f",
                                           "\xc3\xa9",
                                           "\xe2\x9c\x93",
                                           "\xf0\x9f\x98\x80",
                                           "\xff",
                                           "\xc3",
                                           "\xed\xa0\x80",
                                           "\xc0\xaf"};
  std::mt19937_64 random(42);
  size_t differ = 0;
  for (int i = 0; i < 20000; ++i) {
    // A third of the strings may hold the invalid pieces.
    const size_t kinds = i % 3 == 0 ? pieces.size() : pieces.size() - 4;
    std::string s;
    const size_t want = random() % 601;
    while (s.size() < want) {
      const std::string &piece = pieces[random() % kinds];
      // Runs of one byte too, so that plain stretches and escapes meet.
      const size_t times = piece.size() == 1 ? 1 + random() % 8 : 1;
      for (size_t t = 0; t < times; ++t)
        s += piece;
    }
    std::string ours = "x", theirs = "x";
    seam::append_json_string(ours, s);
    theirs += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    if (ours != theirs && ++differ <= 5)
      ADD_FAILURE() << "for " << json(s).dump(-1, ' ', true, json::error_handler_t::replace) << ": "
                    << ours << " where dump() writes " << theirs;
  }
  EXPECT_EQ(differ, 0u);
}

// Doubles of at most three decimals are written from their count of
// thousandths, the others by nlohmann's digit generator: either way the
// text is dump()'s, byte for byte, at the edges of the short form too.
TEST(SdkJsonWrite, DoublesAreWrittenAsDumpWritesThem) {
  std::vector<double> values = {
      0.001, 0.0009999, 0.01,          0.1,           0.5,     1.0,        1.25,          2.5,
      9.99,  10.0,      12.345,        100.05,        999.999, 1234.5678,  0.3,           0.7,
      1e-3,  5e-4,      123456789.123, 999999999.999, 1e9,     1e9 + 0.5,  4503599627.37, 1e15,
      1e16,  1e21,      2.5e-7,        0.1 + 0.2,     1.0 / 3, 17.0 / 1000};
  for (long n = 1; n <= 100000; n += 1)
    values.push_back(static_cast<double>(n) / 1000);
  std::mt19937_64 random(16);
  for (int i = 0; i < 100000; ++i) {
    values.push_back(static_cast<double>(random() % 1000000000000) / 1000); // up to 10^9
    values.push_back(static_cast<double>(random() % 100000000000) / 100);
    values.push_back(std::ldexp(static_cast<double>(random() % (1ull << 53)), -40)); // any digits
  }
  size_t differ = 0;
  for (double v : values)
    for (double x : {v, -v}) {
      std::string ours = seam::write_json(json(x)), theirs = json(x).dump();
      if (ours != theirs && ++differ <= 5)
        ADD_FAILURE() << ours << " where dump() writes " << theirs;
    }
  EXPECT_EQ(differ, 0u);
}

// A value written piece by piece, keys in sorted order, is the text
// write_json gives the same value as a tree, byte for byte.
TEST(SdkJsonBuilder, WritesWhatWriteJsonWritesForTheSameTree) {
  json tree = json::parse(R"({"a": -9223372036854775808, "b": 18446744073709551615,
                              "c": [1.0, -0.0, 0.1, 1e300, 2.5e-7], "d": true, "e": null,
                              "f": {}, "g": [], "h": "\"hi\" \\ / \b\f\n\r\t\u0001\u001f\u007f",
                              "i": "\u00e9\u2713\ud83d\ude00", "k": {"nested": [1, {"x": "y"}]}})");
  tree["j"] = std::string("a\xff"
                          "b\xc3"); // invalid UTF-8: replaced, as write_json does
  tree["l"] = std::nan("");
  seam::json_builder inner;
  inner.begin_array().value(1).begin_object().key("x").value("y").end_object().end_array();
  seam::json_text nested = inner.take();

  seam::json_builder b;
  b.begin_object();
  b.key("a").value(std::numeric_limits<int64_t>::min());
  b.key("b").value(std::numeric_limits<uint64_t>::max());
  b.key("c").begin_array().value(1.0).value(-0.0).value(0.1).value(1e300).value(2.5e-7);
  b.end_array();
  b.key("d").value(true);
  b.key("e").value(nullptr);
  b.key("f").begin_object().end_object();
  b.key("g").begin_array().end_array();
  b.key("h").value(tree["h"].get<std::string>());
  b.key("i").value(tree["i"].get_ref<const std::string &>().c_str());
  b.key("j").value(std::string_view(tree["j"].get_ref<const std::string &>()));
  b.key("k").begin_object().key("nested").value(nested).end_object();
  b.key("l").value(std::nan(""));
  b.end_object();
  EXPECT_EQ(b.take().str(), seam::write_json(tree));
  // A tree is written in place; a builder is empty again after take().
  b.begin_array().value(tree["k"]).value(json::array({1, "x"})).end_array();
  EXPECT_EQ(b.take().str(), R"([{"nested":[1,{"x":"y"}]},[1,"x"]])");
  b.value("only");
  EXPECT_EQ(b.take().str(), R"("only")");
}

// A name escaped once (seam::json_key) is written as key(name) writes it,
// with or without the comma before it, escapes included.
TEST(SdkJsonBuilder, AKeyEscapedOnceIsWrittenAsItsName) {
  static const seam::json_key id("id"), quoted("a \"q\"\n"), wide("\u00e9t\u00e9");
  seam::json_builder by_key, by_name;
  by_key.begin_object().key(quoted).value(1).key(id).begin_array();
  by_key.begin_object().key(wide).value(nullptr).key(id).value(2).end_object();
  by_key.end_array().end_object();
  by_name.begin_object().key("a \"q\"\n").value(1).key("id").begin_array();
  by_name.begin_object().key("\u00e9t\u00e9").value(nullptr).key("id").value(2).end_object();
  by_name.end_array().end_object();
  std::string text = by_key.take().str();
  EXPECT_EQ(text, by_name.take().str());
  EXPECT_EQ(text, R"({"a \"q\"\n":1,"id":[{"été":null,"id":2}]})");
  EXPECT_EQ(id.text(), R"(,"id":)");
}

// JSON text from elsewhere (a message body) is written as the tree
// parse_json_exact reads from it would be, byte for byte: keys sorted, of
// equal keys the last, numbers a double cannot hold as strings of their
// digits. Text that is no JSON writes nothing and leaves the builder as it
// was, so that the caller can write another value in its place.
TEST(SdkJsonBuilder, AppendJsonExactWritesJsonTextAsItsExactTree) {
  std::string wide = "{"; // more fields than are sorted in place, in reverse, one twice
  for (int i = 20; i >= 0; --i)
    wide += "\"k" + std::to_string(i % 20) + "\": " + std::to_string(i) + (i > 0 ? "," : "}");
  for (const std::string &text : std::vector<std::string>{
           R"({"order_id": "ord_1", "n": 1, "a": {"z": [true, null, -3], "b": "\u00e9\n"}})",
           R"({"k": 1, "k": 2, "j": {"x": 1, "x": {"y": 0}}})", // duplicates: the last counts
           R"([18446744073709551615, -9223372036854775808, 123456789012345678901234567890])",
           R"({"price": 9.99, "big": 1.5e300, "exact": 0.1, "n": 2})", // doubles: the slow way
           R"("just a string")", "  42 ", "[]", "{}", wide}) {
    seam::json_builder b;
    b.begin_array().value(0);
    ASSERT_TRUE(seam::append_json_exact(b, text)) << text;
    b.end_array();
    EXPECT_EQ(b.take().str(), "[0," + seam::write_json(seam::parse_json_exact(text)) + "]") << text;
  }
  seam::json_builder b;
  b.begin_object().key("json");
  for (std::string_view bad : {"not json", "{\"a\": }", "", "[1,", "\"a\xff\"", "{} {}", "[1e400]"})
    EXPECT_FALSE(seam::append_json_exact(b, bad)) << bad;
  b.value(nullptr).key("z");
  EXPECT_TRUE(seam::append_json_exact(b, R"({"b": 1, "a": 2})"));
  b.end_object();
  EXPECT_EQ(b.take().str(), R"({"json":null,"z":{"a":2,"b":1}})");
  EXPECT_FALSE(seam::append_json_exact(b, "nope"));
  EXPECT_TRUE(seam::append_json_exact(b, "[1]")); // nothing was written before: the one value
  EXPECT_EQ(b.take().str(), "[1]");
}

// Used out of order, a builder throws std::logic_error naming the slip: it
// never hands out broken text.
TEST(SdkJsonBuilder, RefusesToWriteBrokenText) {
  auto refuses = [](auto write, const std::string &says) {
    seam::json_builder b;
    try {
      write(b);
      b.take();
      ADD_FAILURE() << "no exception; wanted: " << says;
    } catch (const std::logic_error &e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  refuses([](auto &b) { b.begin_object().value(1); }, "a value in an object without its key()");
  refuses([](auto &b) { b.begin_array().key("k"); }, "key(\"k\") outside an object");
  refuses([](auto &b) { b.key("k"); }, "key(\"k\") outside an object");
  refuses([](auto &b) { b.begin_array().key(seam::json_key("k")); },
          "key(\"k\") outside an object");
  refuses([](auto &b) { b.begin_object().key(seam::json_key("a")).key(seam::json_key("b")); },
          "right after a key");
  refuses([](auto &b) { b.begin_object().key("a").key("b"); }, "right after a key");
  refuses([](auto &b) { b.begin_object().end_array(); }, "end_array() closes the wrong kind");
  refuses([](auto &b) { b.begin_object().key("a").end_object(); },
          "end_object() right after a key");
  refuses([](auto &b) { b.end_object(); }, "end_object() with nothing open");
  refuses([](auto &b) { b.begin_array(); }, "take() with an object or array still open");
  refuses([](auto &) {}, "take() before any value was written");
  refuses([](auto &b) { b.value(1).value(2); }, "a second value after a complete one");
  refuses([](auto &b) { b.value(seam::json_text()); }, "value(json_text): the text is empty");
}

// A step returning seam::json_text, through the ABI: the host gets the
// builder's text; a builder left unfinished fails the step with its message.
TEST(SdkJsonBuilder, AStepMayReturnTextItWrote) {
  host h(lib("cppsdk"));
  auto r = h.run("rows_text", {{"names", {"ada", "bob"}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, json::parse(R"({"count": 2, "rows": [{"name": "ada"}, {"name": "bob"}]})"));
  void *m = nullptr;
  ASSERT_TRUE(h.open("fake", json::object(), &m, "mock").ok);
  EXPECT_EQ(h.run("rows_text", json::object(), m).output,
            json::parse(R"({"count": 0, "mock": "fake", "rows": []})"));
  auto bad = h.run("rows_text", {{"names", {"ada"}}, {"misuse", true}});
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error, "seam::json_builder: take() with an object or array still open");
  EXPECT_TRUE(h.close(m, "mock").ok);
}

// Hands `check` the view a step gets of `text` (simdjson's document where
// simdjson reads it) and then the view of json::parse's tree: a value must
// read the same through both.
template <class Check> void on_both_views(const std::string &text, Check check) {
  bool called = false;
  seam::detail::with_input_view(text.data(), text.size(), [&](seam::json_view in) {
    called = true;
    check(in);
  });
  ASSERT_TRUE(called);
  const json tree = json::parse(text);
  check(seam::json_view(tree));
}

TEST(SdkJsonView, ReadsValuesAsTheTreeHoldsThem) {
  on_both_views(R"({"a": 1, "b": -2, "c": 2.5, "d": "x\u00e9", "e": true, "f": null,
                    "g": [1, "two", [3]], "h": {"i": {}}, "big": 18446744073709551615,
                    "min": -9223372036854775808, "k": 1, "k": 2})",
                [](seam::json_view in) {
                  EXPECT_TRUE(in.is_object());
                  EXPECT_TRUE(in["a"].is_number_unsigned());
                  EXPECT_EQ(in["a"].get_int64(), 1);
                  EXPECT_EQ(in["a"].get_uint64(), 1u);
                  EXPECT_EQ(in["a"].get_double(), 1.0);
                  EXPECT_TRUE(in["b"].is_number_integer());
                  EXPECT_FALSE(in["b"].is_number_unsigned());
                  EXPECT_EQ(in["b"].get_int64(), -2);
                  EXPECT_THROW(in["b"].get_uint64(), std::domain_error);
                  EXPECT_TRUE(in["c"].is_number_float());
                  EXPECT_EQ(in["c"].get_double(), 2.5);
                  EXPECT_THROW(in["c"].get_int64(), std::domain_error);
                  EXPECT_EQ(in["d"].get_string(), "x\u00e9");
                  EXPECT_TRUE(in["e"].get_bool());
                  EXPECT_TRUE(in["f"].is_null());
                  EXPECT_EQ(in["g"].size(), 3u);
                  EXPECT_EQ(in["g"].at(1).get_string(), "two");
                  EXPECT_EQ(in["g"].at(2).at(0).get_int64(), 3);
                  EXPECT_TRUE(in["g"].at(3).missing());
                  EXPECT_TRUE(in["h"]["i"].is_object());
                  EXPECT_EQ(in["h"]["i"].size(), 0u);
                  EXPECT_EQ(in["big"].get_uint64(), std::numeric_limits<uint64_t>::max());
                  EXPECT_THROW(in["big"].get_int64(), std::domain_error);
                  EXPECT_EQ(in["min"].get_int64(), std::numeric_limits<int64_t>::min());
                  EXPECT_EQ(in["k"].get_int64(), 2) << "the last of equal keys counts";
                  // What is not there.
                  EXPECT_TRUE(in["nope"].missing());
                  EXPECT_FALSE(in.contains("nope"));
                  EXPECT_TRUE(in["a"]["x"].missing()) << "a number has no members";
                  EXPECT_TRUE(in["h"].at(0).missing()) << "an object has no elements";
                  EXPECT_STREQ(in["nope"].type_name(), "missing");
                  EXPECT_EQ(in["nope"].size(), 0u);
                  // json::value()'s defaults.
                  EXPECT_EQ(in.value("a", int64_t{7}), 1);
                  EXPECT_EQ(in.value("nope", int64_t{7}), 7);
                  EXPECT_EQ(in.value("nope", 0.5), 0.5);
                  EXPECT_EQ(in.value("d", "none"), "x\u00e9");
                  EXPECT_EQ(in.value("nope", "none"), "none");
                  EXPECT_EQ(in.value("e", false), true);
                  EXPECT_EQ(in.value("d", std::string()), "x\u00e9");
                  EXPECT_THROW(in.value("d", false), std::domain_error);
                  // Parts as trees: what read_json builds.
                  EXPECT_EQ(in["g"].to_json(), json::parse(R"([1, "two", [3]])"));
                  EXPECT_TRUE(in["nope"].to_json().is_null());
                  // Members in the text's order (the tree's is sorted).
                  std::vector<std::string> keys;
                  in["h"].members(
                      [&](std::string_view k, seam::json_view) { keys.emplace_back(k); });
                  EXPECT_EQ(keys, std::vector<std::string>{"i"});
                  size_t elements = 0;
                  in["g"].elements([&](seam::json_view) { ++elements; });
                  EXPECT_EQ(elements, 3u);
                });
}

TEST(SdkJsonView, SaysWhatAValueIsWhenAskedForAnother) {
  on_both_views(R"({"n": 5, "s": "x"})", [](seam::json_view in) {
    try {
      in["n"].get_string();
      ADD_FAILURE() << "no exception";
    } catch (const std::domain_error &e) {
      EXPECT_STREQ(e.what(), "expected a string, got number");
    }
    try {
      in["s"].get_double();
      ADD_FAILURE() << "no exception";
    } catch (const std::domain_error &e) {
      EXPECT_STREQ(e.what(), "expected a number, got string");
    }
    try {
      in["gone"].get_bool();
      ADD_FAILURE() << "no exception";
    } catch (const std::domain_error &e) {
      EXPECT_STREQ(e.what(), "expected a boolean, got nothing (a missing value)");
    }
  });
}

// What simdjson does not read goes through json::parse's tree: a number
// beyond 64 bits (a double there), nesting deeper than 1,024; an empty
// input is an empty object; text that is not JSON throws as read_json does.
TEST(SdkJsonView, TextSimdjsonRefusesIsReadAsATree) {
  on_both_views(R"({"n": 123456789012345678901234567890})", [](seam::json_view in) {
    EXPECT_TRUE(in["n"].is_number_float());
    EXPECT_EQ(in["n"].get_double(), 123456789012345678901234567890.0);
  });
  std::string deep = std::string(2000, '[') + "7" + std::string(2000, ']');
  on_both_views(deep, [&](seam::json_view in) {
    seam::json_view v = in;
    for (int i = 0; i < 2000; ++i)
      v = v.at(0);
    EXPECT_EQ(v.get_int64(), 7);
    EXPECT_EQ(in.to_json(), json::parse(deep));
  });
  bool empty_object = false;
  seam::detail::with_input_view(nullptr, 0,
                                [&](seam::json_view in) { empty_object = in.is_object(); });
  EXPECT_TRUE(empty_object);
  EXPECT_THROW(seam::detail::with_input_view("{", 1, [](seam::json_view) {}), json::parse_error);
}

// A view written by a builder is its text again: the members in the
// order of the text, each value as write_json writes it.
TEST(SdkJsonView, ABuilderWritesAViewAsTheTreeIsWritten) {
  std::string text = R"({"a": [1, -2, 2.5, 1e300, -0.0], "b": {"c": "\u00e9\n", "d": null},
                         "e": true, "f": 18446744073709551615})";
  std::string want = seam::write_json(json::parse(text));
  on_both_views(text, [&](seam::json_view in) {
    seam::json_builder b;
    b.value(in);
    EXPECT_EQ(b.take().str(), want);
    EXPECT_THROW(b.value(in["nope"]), std::logic_error);
  });
}

// Steps that take seam::json_view, through the ABI.
TEST(SdkJsonView, AStepMayTakeItsInputAsAView) {
  host h(lib("cppsdk"));
  auto r = h.run("view_sum", {{"numbers", {1, 2.5, -3}}, {"name", "ada"}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, json::parse(R"({"sum": 0.5, "keys": ["name", "numbers"], "name": "ada",
                                      "limit": 10})"));
  auto bad = h.run("view_sum", {{"name", 5}});
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error, "expected a string, got number");
  void *m = nullptr;
  ASSERT_TRUE(h.open("fake", json::object(), &m, "mock").ok);
  EXPECT_EQ(h.run("view_mock", {{"tag", {{"deep", {1, 2}}}}}, m).output,
            json::parse(R"({"mock": "fake", "tag": {"deep": [1, 2]}})"));
  EXPECT_EQ(h.run("view_mock", json::object(), nullptr).error,
            "this step needs a resource (`on = \"NAME\"`)");
  EXPECT_TRUE(h.close(m, "mock").ok);
}

TEST(SdkTesting, PlaysTheTypedInputAndBuiltOutputOfABI12) {
  host h(lib("typed"));
  auto r = h.run("echo", {{"name", "ada"},
                          {"list", {1, 2, 3}},
                          {"ratio", 0.5},
                          {"flag", true},
                          {"nested", {{"a", {1, nullptr}}}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["copy"], json::parse(R"({"name": "ada", "second": 2, "ratio": 0.5,
                                                "flag": true, "nested": {"a": [1, null]}})"));
  EXPECT_EQ(r.output["types"], json::array({SEAM_JSON_STRING, SEAM_JSON_MISSING}));
  EXPECT_EQ(r.output["size"], 3);
  EXPECT_TRUE(r.output.contains("nothing") && r.output["nothing"].is_null());
  EXPECT_EQ(r.output["bad_json_refused"], true);
  EXPECT_FALSE(r.output.contains("x"));
  // Without the 1.2 functions, the plugin knows (SEAM_HOST_HAS).
  host old(lib("typed"), host_abi::v1_1);
  EXPECT_EQ(old.run("echo").error, "typed: no ABI 1.2 host");
}

TEST(SdkDuration, ParsesAndFormats) {
  EXPECT_EQ(seam::parse_duration("1.5s"), std::chrono::microseconds(1500000));
  EXPECT_EQ(seam::parse_duration("250ms"), std::chrono::microseconds(250000));
  EXPECT_FALSE(seam::parse_duration("5"));
  EXPECT_EQ(seam::format_duration(5s), "5s");
  EXPECT_EQ(seam::format_duration(1500ms), "1.5s");
  EXPECT_EQ(seam::format_duration(250ms), "250ms");
}

// Ten years is the longest duration: 87660h is taken, anything longer (and a
// number too large for any clock) is refused with a message naming it.
TEST(SdkDuration, RefusesMoreThanTenYears) {
  EXPECT_EQ(seam::parse_duration("87660h"), std::chrono::microseconds(seam::max_duration));
  EXPECT_EQ(seam::parse_duration("5259600m"), std::chrono::microseconds(seam::max_duration));
  for (const char *text : {"87660.01h", "87661h", "315576000.5s", "99999999999999h",
                           "1000000000000000000000000000000us"}) {
    auto r = seam::read_duration(text);
    EXPECT_FALSE(r.value) << text;
    EXPECT_TRUE(r.too_long) << text;
    EXPECT_EQ(r.reason, "is longer than 10 years (87660h), the longest duration seam takes");
    EXPECT_EQ(r.message.rfind(std::string("'") + text + "' is longer", 0), 0u) << r.message;
    EXPECT_FALSE(seam::parse_duration(text)) << text;
  }
  // 400 digits: more than a double holds (inf), refused the same way.
  std::string huge(400, '9');
  auto r = seam::read_duration(huge + "s");
  EXPECT_TRUE(r.too_long);
  EXPECT_EQ(r.message, "'" + huge.substr(0, 40) + "...' " + r.reason) << "clipped to 40 bytes";
}

TEST(SdkDuration, SaysWhatIsWrongWithAText) {
  EXPECT_EQ(seam::read_duration("5").message,
            "'5' has no unit: us, ms, s, m or h, such as \"500ms\"");
  EXPECT_EQ(seam::read_duration("5d").message,
            "'5d' has no known unit: us, ms, s, m or h, such as \"500ms\"");
  EXPECT_EQ(seam::read_duration("soon").message,
            "'soon' is not a duration: a number and a unit, such as \"500ms\" or \"2s\"");
  EXPECT_FALSE(seam::read_duration("-5s").value);
  EXPECT_FALSE(seam::read_duration("5d").too_long);
  auto ok = seam::read_duration("1.5s");
  EXPECT_EQ(ok.value, std::chrono::microseconds(1500000));
  EXPECT_TRUE(ok.reason.empty() && ok.message.empty());
}

} // namespace
