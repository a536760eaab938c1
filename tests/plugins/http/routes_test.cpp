// Unit tests of mock routes: path patterns, `match` tables (evaluated by
// seam's real matcher, as the host does), templating, successive responses
// and the errors a bad route table gets.
#include "request_match.hpp"
#include "routes.hpp"

#include <seam/core/host/plugin_host.hpp>

#include <gtest/gtest.h>

using seam::http::json;

namespace {

// What the plugin's host_matcher does through the C ABI.
seam::http::match_fn host_match() {
  return [](const json &expect, const json &doc) {
    return seam::PluginHost::match(expect.dump(), doc.dump(), nullptr);
  };
}

std::vector<seam::http::route> routes(const char *text) {
  return seam::http::parse_routes(json::parse(text), "resources.svc.mock.routes", host_match());
}

seam::http::request_matcher matcher(const char *table) {
  return seam::http::request_matcher(json::parse(table), host_match(), "resources.svc.match");
}

std::string parse_error(const char *text) {
  try {
    routes(text);
  } catch (const std::exception &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(MockRoutes, PathCapturesOneSegmentAndRest) {
  auto rs = routes(R"([{"path": "/v1/charges/{id}"}, {"path": "/files/{rest*}"}])");
  auto p = seam::http::match_path(rs[0], "/v1/charges/ch_42");
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)["id"], "ch_42");
  EXPECT_FALSE(seam::http::match_path(rs[0], "/v1/charges/ch_42/refunds"));
  EXPECT_FALSE(seam::http::match_path(rs[0], "/v1/charges/"));
  auto rest = seam::http::match_path(rs[1], "/files/a/b/c.txt");
  ASSERT_TRUE(rest);
  EXPECT_EQ((*rest)["rest"], "a/b/c.txt");
}

TEST(MockRoutes, LiteralCharactersAreNotRegex) {
  auto rs = routes(R"([{"path": "/a.b/(x)+"}])");
  EXPECT_TRUE(seam::http::match_path(rs[0], "/a.b/(x)+"));
  EXPECT_FALSE(seam::http::match_path(rs[0], "/aXb/(x)+"));
}

TEST(MockRoutes, MethodAnyAndHeadMatchesGet) {
  auto rs = routes(R"([{"method": "GET", "path": "/x"}, {"path": "/y"}])");
  EXPECT_TRUE(seam::http::method_matches(rs[0], "GET"));
  EXPECT_TRUE(seam::http::method_matches(rs[0], "HEAD"));
  EXPECT_FALSE(seam::http::method_matches(rs[0], "POST"));
  EXPECT_TRUE(seam::http::method_matches(rs[1], "DELETE"));
  EXPECT_EQ(rs[0].label, "GET /x");
  EXPECT_EQ(rs[1].label, "* /y");
}

TEST(MockRoutes, FailTimesThenAnswer) {
  auto rs = routes(R"([{"path": "/flaky", "fail_times": 2, "json": {"ok": true}},
                       {"path": "/reset", "fail": "reset", "fail_times": 1}])");
  auto first = seam::http::response_for(rs[0], 0);
  EXPECT_EQ(first.status, 503);
  EXPECT_FALSE(first.fail);
  EXPECT_EQ(seam::http::response_for(rs[0], 1).status, 503);
  auto third = seam::http::response_for(rs[0], 2);
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(*third.json_body, json({{"ok", true}}));
  EXPECT_EQ(seam::http::response_for(rs[1], 0).fail, seam::http::fault::reset);
  EXPECT_FALSE(seam::http::response_for(rs[1], 1).fail);
}

TEST(MockRoutes, ResponsesInSequenceLastRepeats) {
  auto rs = routes(R"([{"path": "/s", "headers": {"x-a": "1"},
    "responses": [{"status": 503}, {"status": 200, "body": "ok", "delay": "5ms"}]}])");
  EXPECT_EQ(seam::http::response_for(rs[0], 0).status, 503);
  auto second = seam::http::response_for(rs[0], 1);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(*second.body, "ok");
  EXPECT_EQ(second.delay.count(), 5000);
  EXPECT_EQ(second.headers["x-a"], "1"); // route-level fields are the base
  EXPECT_EQ(seam::http::response_for(rs[0], 7).status, 200);
}

TEST(MockRoutes, BadTablesGetClearErrors) {
  EXPECT_NE(parse_error(R"([{"method": "FETCH", "path": "/x"}])").find("unknown method \"FETCH\""),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "x"}])").find("must start with '/'"), std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x", "fail": "explode"}])").find("unknown fault"),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x", "delay": "soon"}])").find("not a duration"),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x", "json": {}, "body": "b"}])").find("both `json` and"),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x", "stauts": 200}])").find("unknown field `stauts`"),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x/{a b}"}])").find("not a valid capture name"),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x", "match": {"body": {"matches": "("}}}])")
                .find("routes[0].match.body: "),
            std::string::npos);
  EXPECT_NE(parse_error(R"([{"path": "/x"}, {"method": "GET"}])").find("routes[1]: needs a `path`"),
            std::string::npos);
}

TEST(MockRoutes, RenderFillsCapturesAndRequestFields) {
  json request = {{"method", "POST"},
                  {"path", "/v1/charges/ch_1"},
                  {"params", {{"id", "ch_1"}}},
                  {"query", {{"expand", "customer"}}},
                  {"headers", {{"x-request-id", "r-9"}}},
                  {"json", {{"amount", 1500}, {"items", json::array({"a", "b"})}}}};
  json tmpl = {{"id", "{id}"},
               {"amount", "{json.amount}"},
               {"text", "charge {id} of {json.amount} via {method}"},
               {"first", "{json.items[0]}"},
               {"unknown", "{nope} and {\"literal\": 1}"},
               {"trace", "{headers.x-request-id}/{query.expand}"}};
  json out = seam::http::render(tmpl, request);
  EXPECT_EQ(out["id"], "ch_1");
  EXPECT_EQ(out["amount"], 1500); // a whole-string placeholder keeps its type
  EXPECT_EQ(out["text"], "charge ch_1 of 1500 via POST");
  EXPECT_EQ(out["first"], "a");
  EXPECT_EQ(out["unknown"], "{nope} and {\"literal\": 1}");
  EXPECT_EQ(out["trace"], "r-9/customer");
}

TEST(RequestMatch, TheHostsMatchersAndTextFields) {
  json doc = {{"method", "POST"},
              {"query", {{"limit", "10"}, {"tag", json::array({"a", "b"})}}},
              {"headers", {{"x-api-key", "k1"}, {"content-type", "application/json"}}},
              {"json",
               {{"amount", 100},
                {"items", json::array({1, 2, 3})},
                {"customer", {{"email", "a@example.com"}}}}}};
  // Request text fields equal numbers and booleans written the same way.
  EXPECT_TRUE(matcher(R"({"query.limit": 10})").matches(doc));
  EXPECT_TRUE(matcher(R"({"query": {"limit": 10}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"query.limit": {"in": [5, 10]}})").matches(doc));
  // Header names are case-insensitive.
  EXPECT_TRUE(matcher(R"({"headers.X-Api-Key": "k1"})").matches(doc));
  EXPECT_TRUE(matcher(R"({"headers": {"X-API-KEY": "k1"}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"json": {"amount": 100}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"json.customer.email": {"matches": "@example\\.com$"}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"headers.content-type": {"contains": "json"}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"query.tag": {"contains": "b"}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"headers.authorization": {"exists": false}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"method": {"in": ["PUT", "POST"]}})").matches(doc));
  // The operators the plugin's own subset did not have.
  EXPECT_TRUE(matcher(R"({"json.amount": {"gt": 50, "le": 100}})").matches(doc));
  EXPECT_FALSE(matcher(R"({"json.amount": {"gt": 500}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"json.amount": {"type": "integer"}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"json.items": {"len": 3}})").matches(doc));
  EXPECT_TRUE(matcher(R"({"json.items": {"len": {"ge": 2}}})").matches(doc));
  EXPECT_FALSE(matcher(R"({"json.items": {"len": 2}})").matches(doc));
  // A JSON number equals a decimal string of the same value (exact numbers:
  // docs/suite-reference.md), never other text.
  EXPECT_TRUE(matcher(R"({"json.amount": "100.0"})").matches(doc));
  EXPECT_FALSE(matcher(R"({"json.amount": "101"})").matches(doc));
  EXPECT_FALSE(matcher(R"({"json.amount": "100 EUR"})").matches(doc));
}

TEST(RequestMatch, WhyNotNamesTheFailingEntry) {
  json doc = {{"query", {{"limit", "10"}}}, {"json", {{"amount", 100}}}};
  EXPECT_EQ(matcher(R"({"json": {"amount": 99}})").why_not(doc),
            "json.amount: expected = 99, got 100");
  EXPECT_EQ(matcher(R"({"json.amount": {"gt": 500}})").why_not(doc),
            "json.amount: expected {\"gt\":500}, got 100");
  EXPECT_EQ(matcher(R"({"headers.x-missing": "v"})").why_not(doc),
            "headers.x-missing: expected = \"v\", got nothing (missing)");
  EXPECT_EQ(matcher(R"({"query.limit": 10})").why_not(doc), "");
}

TEST(RequestMatch, MalformedEntriesFailWhenTheRouteIsParsed) {
  auto error = [](const char *table) {
    try {
      matcher(table);
    } catch (const std::exception &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error(R"({"body": {"matches": "("}})").find("resources.svc.match.body: "),
            std::string::npos);
  EXPECT_NE(error(R"({"json.n": {"gt": 1, "plus": 2}})").find("not a valid match entry"),
            std::string::npos);
  EXPECT_NE(error(R"({"json.n": {"exists": "yes"}})").find("json.n"), std::string::npos);
  EXPECT_NE(error(R"({"json.n": {"type": "text"}})").find("json.n"), std::string::npos);
  EXPECT_NE(error(R"({"json.n": {"matchs": "x"}})").find("json.n"), std::string::npos);
  EXPECT_NE(error(R"({"json..n": 1})").find("json..n"), std::string::npos);
  EXPECT_NE(error(R"("json.n")").find("must be a table"), std::string::npos);
}
