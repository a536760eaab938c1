// Unit tests of mock routes: path patterns, the `match` subset, templating,
// successive responses and the errors a bad route table gets.
#include "request_match.hpp"
#include "routes.hpp"

#include <gtest/gtest.h>

using seam_http::json;

namespace {

std::vector<seam_http::route> routes(const char *text) {
  return seam_http::parse_routes(json::parse(text), "resources.svc.mock.routes");
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
  auto p = seam_http::match_path(rs[0], "/v1/charges/ch_42");
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)["id"], "ch_42");
  EXPECT_FALSE(seam_http::match_path(rs[0], "/v1/charges/ch_42/refunds"));
  EXPECT_FALSE(seam_http::match_path(rs[0], "/v1/charges/"));
  auto rest = seam_http::match_path(rs[1], "/files/a/b/c.txt");
  ASSERT_TRUE(rest);
  EXPECT_EQ((*rest)["rest"], "a/b/c.txt");
}

TEST(MockRoutes, LiteralCharactersAreNotRegex) {
  auto rs = routes(R"([{"path": "/a.b/(x)+"}])");
  EXPECT_TRUE(seam_http::match_path(rs[0], "/a.b/(x)+"));
  EXPECT_FALSE(seam_http::match_path(rs[0], "/aXb/(x)+"));
}

TEST(MockRoutes, MethodAnyAndHeadMatchesGet) {
  auto rs = routes(R"([{"method": "GET", "path": "/x"}, {"path": "/y"}])");
  EXPECT_TRUE(seam_http::method_matches(rs[0], "GET"));
  EXPECT_TRUE(seam_http::method_matches(rs[0], "HEAD"));
  EXPECT_FALSE(seam_http::method_matches(rs[0], "POST"));
  EXPECT_TRUE(seam_http::method_matches(rs[1], "DELETE"));
  EXPECT_EQ(rs[0].label, "GET /x");
  EXPECT_EQ(rs[1].label, "* /y");
}

TEST(MockRoutes, FailTimesThenAnswer) {
  auto rs = routes(R"([{"path": "/flaky", "fail_times": 2, "json": {"ok": true}},
                       {"path": "/reset", "fail": "reset", "fail_times": 1}])");
  auto first = seam_http::response_for(rs[0], 0);
  EXPECT_EQ(first.status, 503);
  EXPECT_FALSE(first.fail);
  EXPECT_EQ(seam_http::response_for(rs[0], 1).status, 503);
  auto third = seam_http::response_for(rs[0], 2);
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(*third.json_body, json({{"ok", true}}));
  EXPECT_EQ(seam_http::response_for(rs[1], 0).fail, seam_http::fault::reset);
  EXPECT_FALSE(seam_http::response_for(rs[1], 1).fail);
}

TEST(MockRoutes, ResponsesInSequenceLastRepeats) {
  auto rs = routes(R"([{"path": "/s", "headers": {"x-a": "1"},
    "responses": [{"status": 503}, {"status": 200, "body": "ok", "delay": "5ms"}]}])");
  EXPECT_EQ(seam_http::response_for(rs[0], 0).status, 503);
  auto second = seam_http::response_for(rs[0], 1);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(*second.body, "ok");
  EXPECT_EQ(second.delay.count(), 5000);
  EXPECT_EQ(second.headers["x-a"], "1"); // route-level fields are the base
  EXPECT_EQ(seam_http::response_for(rs[0], 7).status, 200);
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
                .find("invalid regex"),
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
  json out = seam_http::render(tmpl, request);
  EXPECT_EQ(out["id"], "ch_1");
  EXPECT_EQ(out["amount"], 1500); // a whole-string placeholder keeps its type
  EXPECT_EQ(out["text"], "charge ch_1 of 1500 via POST");
  EXPECT_EQ(out["first"], "a");
  EXPECT_EQ(out["unknown"], "{nope} and {\"literal\": 1}");
  EXPECT_EQ(out["trace"], "r-9/customer");
}

TEST(RequestMatch, ScalarsOperatorsAndSubsets) {
  json doc = {{"method", "POST"},
              {"query", {{"limit", "10"}, {"tag", json::array({"a", "b"})}}},
              {"headers", {{"x-api-key", "k1"}, {"content-type", "application/json"}}},
              {"json", {{"amount", 100}, {"customer", {{"email", "a@example.com"}}}}}};
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"query.limit": 10})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"headers": {"x-api-key": "k1"}})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"json": {"amount": 100}})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"json.customer.email": {"matches": "@example\\.com$"}})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"headers.content-type": {"contains": "json"}})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"query.tag": {"contains": "b"}})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"headers.authorization": {"exists": false}})"), doc));
  EXPECT_TRUE(seam_http::match_table(json::parse(R"({"method": {"in": ["PUT", "POST"]}})"), doc));
  std::string why;
  EXPECT_FALSE(seam_http::match_table(json::parse(R"({"json": {"amount": 99}})"), doc, &why));
  EXPECT_EQ(why, "json.amount is 100");
  EXPECT_FALSE(seam_http::match_table(json::parse(R"({"headers.x-missing": "v"})"), doc, &why));
  EXPECT_EQ(why, "headers.x-missing is missing");
  EXPECT_FALSE(seam_http::match_table(json::parse(R"({"query.limit": {"ne": "10"}})"), doc, &why));
}
