// `http` mock resources through the plugin's C ABI: routing, captures,
// matchers, sequences, delays, faults, recorded calls, 404s, bad tables.
#include "plugin_host.hpp"

#include <httplib.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using seam_test::call_result;
using seam_test::json;
using seam_test::plugin;

namespace {

struct mock_resource {
  void *handle = nullptr;
  json attrs;
  explicit mock_resource(const json &mock_table, const std::string &name = "svc") {
    auto r = plugin().open(name, {{"mock", mock_table}}, &handle);
    if (!r.ok)
      throw std::runtime_error(r.error);
    attrs = r.output;
  }
  ~mock_resource() {
    if (handle != nullptr)
      plugin().close(handle);
  }
  std::string url(const std::string &path = "") const {
    return attrs["url"].get<std::string>() + path;
  }
  call_result calls(const json &filter = json::object()) {
    return plugin().run("mock_calls", filter, handle);
  }
};

call_result send_request(json input) { return plugin().run("request", input); }

// Threads of this process (the mock server's among them).
size_t thread_count() {
  size_t n = 0;
  if (DIR *d = ::opendir("/proc/self/task")) {
    while (dirent *e = ::readdir(d))
      n += e->d_name[0] != '.';
    ::closedir(d);
  }
  return n;
}

std::string open_error(const json &config) {
  void *handle = nullptr;
  auto r = plugin().open("bad", config, &handle);
  if (r.ok)
    plugin().close(handle);
  return r.error;
}

} // namespace

TEST(MockResource, PublishesUrlAndPort) {
  mock_resource m(json{{"routes", json::array()}});
  int port = m.attrs["port"];
  EXPECT_GT(port, 0);
  EXPECT_EQ(m.attrs["url"], "http://127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(m.attrs["host"], "127.0.0.1");
}

TEST(MockResource, RoutesAnswerWithCapturesInTheResponse) {
  mock_resource m(json::parse(R"({"routes": [
    {"method": "POST", "path": "/v3/mail/send", "status": 202, "json": {"id": "msg_1"}},
    {"method": "GET", "path": "/v1/charges/{id}", "json": {"id": "{id}", "q": "{query.expand}"},
     "headers": {"x-charge": "{id}"}},
    {"method": "GET", "path": "/text", "body": "hi {method}", "headers": {"content-type": "text/x-seam"}}
  ]})"));
  auto mail =
      send_request({{"method", "POST"}, {"url", m.url("/v3/mail/send")}, {"json", {{"to", "a"}}}});
  ASSERT_TRUE(mail.ok) << mail.error;
  EXPECT_EQ(mail.output["status"], 202);
  EXPECT_EQ(mail.output["json"]["id"], "msg_1");
  EXPECT_EQ(mail.output["headers"]["content-type"], "application/json");
  auto charge = send_request({{"url", m.url("/v1/charges/ch_77?expand=customer")}});
  EXPECT_EQ(charge.output["json"]["id"], "ch_77");
  EXPECT_EQ(charge.output["json"]["q"], "customer");
  EXPECT_EQ(charge.output["headers"]["x-charge"], "ch_77");
  auto text = send_request({{"url", m.url("/text")}});
  EXPECT_EQ(text.output["body"], "hi GET");
  EXPECT_EQ(text.output["headers"]["content-type"], "text/x-seam");
}

TEST(MockResource, MatchOnHeadersQueryAndJson) {
  mock_resource m(json::parse(R"({"routes": [
    {"method": "POST", "path": "/pay", "match": {"headers.x-api-key": "good", "json.amount": 100},
     "status": 200, "json": {"paid": "{json.amount}"}},
    {"method": "GET", "path": "/list", "match": {"query": {"limit": 10}}, "json": {"limited": true}},
    {"method": "POST", "path": "/pay", "status": 401, "json": {"error": "bad key"}}
  ]})"));
  auto good = send_request({{"method", "POST"},
                            {"url", m.url("/pay")},
                            {"headers", {{"X-Api-Key", "good"}}},
                            {"json", {{"amount", 100}}}});
  EXPECT_EQ(good.output["status"], 200);
  EXPECT_EQ(good.output["json"]["paid"], 100);
  auto bad = send_request({{"method", "POST"},
                           {"url", m.url("/pay")},
                           {"headers", {{"X-Api-Key", "evil"}}},
                           {"json", {{"amount", 100}}}});
  EXPECT_EQ(bad.output["status"], 401);
  EXPECT_EQ(send_request({{"url", m.url("/list")}, {"query", {{"limit", 10}}}}).output["status"],
            200);
  auto no_query = send_request({{"url", m.url("/list")}});
  EXPECT_EQ(no_query.output["status"], 404);
  EXPECT_EQ(no_query.output["json"]["closest_route"], "GET /list");
  EXPECT_NE(no_query.output["json"]["reason"].get<std::string>().find(
                "query.limit: expected = \"10\", got nothing"),
            std::string::npos)
      << no_query.output["json"].dump();
}

TEST(MockResource, MatchUsesEveryMatcherOfExpect) {
  // gt, le, len and type were once taken for nested tables, so that these
  // routes never matched ("json.amount is 500, not a table").
  mock_resource m(json::parse(R"({"routes": [
    {"method": "POST", "path": "/charge", "match": {"json.amount": {"gt": 100, "le": 1000}},
     "json": {"big": true}},
    {"method": "POST", "path": "/charge", "match": {"json.items": {"len": {"ge": 2}},
     "json.note": {"type": "string"}}, "json": {"basket": true}},
    {"method": "POST", "path": "/charge", "status": 402}
  ]})"));
  auto charge = [&](const json &body) {
    return send_request({{"method", "POST"}, {"url", m.url("/charge")}, {"json", body}}).output;
  };
  EXPECT_EQ(charge({{"amount", 500}})["json"]["big"], true);
  EXPECT_EQ(charge({{"amount", 5000}})["status"], 402);
  EXPECT_EQ(charge({{"amount", 5}, {"items", {1, 2}}, {"note", "n"}})["json"]["basket"], true);
  EXPECT_EQ(charge({{"amount", 5}, {"items", {1}}, {"note", "n"}})["status"], 402);
}

TEST(MockResource, MalformedMatchFailsToOpen) {
  auto error = open_error(json::parse(R"({"mock": {"routes": [
    {"path": "/x", "match": {"json.amount": {"gt": 1, "lower": 2}}}]}})"));
  EXPECT_NE(error.find("resources.bad.mock.routes[0].match.json.amount: "), std::string::npos)
      << error;
  EXPECT_NE(error.find("not a valid match entry"), std::string::npos) << error;
}

TEST(MockResource, UnmatchedRequestGets404NamingTheClosestRoute) {
  mock_resource m(json::parse(R"({"routes": [
    {"method": "POST", "path": "/v3/mail/send", "status": 202},
    {"method": "GET", "path": "/v1/users/{id}"}
  ]})"));
  auto typo = send_request({{"method", "POST"}, {"url", m.url("/v3/mail/sned")}});
  ASSERT_TRUE(typo.ok);
  EXPECT_EQ(typo.output["status"], 404);
  EXPECT_EQ(typo.output["json"]["closest_route"], "POST /v3/mail/send");
  EXPECT_NE(typo.output["json"]["error"].get<std::string>().find("POST /v3/mail/sned"),
            std::string::npos);
  auto wrong_method = send_request({{"method", "DELETE"}, {"url", m.url("/v1/users/7")}});
  EXPECT_EQ(wrong_method.output["json"]["closest_route"], "GET /v1/users/{id}");
  EXPECT_NE(wrong_method.output["json"]["reason"].get<std::string>().find("not DELETE"),
            std::string::npos);
  // Unmatched requests are recorded too, with no route.
  auto calls = m.calls().output;
  ASSERT_EQ(calls["count"], 2);
  EXPECT_TRUE(calls["calls"][0]["route"].is_null());
  EXPECT_EQ(calls["calls"][0]["status"], 404);
}

TEST(MockResource, FailTimesThenSucceedAndResetStartsOver) {
  mock_resource m(json::parse(R"({"routes": [
    {"method": "GET", "path": "/flaky", "fail_times": 2, "json": {"ok": true}}
  ]})"));
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i)
    statuses.push_back(send_request({{"url", m.url("/flaky")}}).output["status"]);
  EXPECT_EQ(statuses, (std::vector<int>{503, 503, 200, 200}));
  auto cleared = plugin().run("mock_reset", json::object(), m.handle);
  ASSERT_TRUE(cleared.ok) << cleared.error;
  EXPECT_EQ(cleared.output["cleared"], 4);
  EXPECT_EQ(m.calls().output["count"], 0);
  EXPECT_EQ(send_request({{"url", m.url("/flaky")}}).output["status"], 503);
}

TEST(MockResource, ResponsesSequence) {
  mock_resource m(json::parse(R"({"routes": [
    {"path": "/job", "responses": [{"json": {"state": "queued"}}, {"json": {"state": "running"}},
                                    {"json": {"state": "done"}}]}
  ]})"));
  std::vector<std::string> states;
  for (int i = 0; i < 4; ++i)
    states.push_back(send_request({{"url", m.url("/job")}}).output["json"]["state"]);
  EXPECT_EQ(states, (std::vector<std::string>{"queued", "running", "done", "done"}));
}

TEST(MockResource, DelayIsApplied) {
  mock_resource m(json::parse(R"({"routes": [{"path": "/slow", "delay": "150ms", "json": {}}]})"));
  auto r = send_request({{"url", m.url("/slow")}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_GE(r.output["time_ms"].get<double>(), 150.0);
  EXPECT_LT(r.output["time_ms"].get<double>(), 1000.0);
}

TEST(MockResource, FaultsBreakTheConnectionAsAnnounced) {
  mock_resource m(json::parse(R"({"routes": [
    {"path": "/reset", "fail": "reset"},
    {"path": "/close", "fail": "close"},
    {"path": "/hang", "fail": "timeout"},
    {"path": "/ok", "json": {"ok": true}}
  ]})"));
  auto reset = send_request({{"url", m.url("/reset")}});
  ASSERT_FALSE(reset.ok);
  EXPECT_NE(reset.error.find("connection reset"), std::string::npos) << reset.error;
  auto closed = send_request({{"url", m.url("/close")}});
  ASSERT_FALSE(closed.ok);
  EXPECT_NE(closed.error.find("without a response"), std::string::npos) << closed.error;
  auto hang = send_request({{"url", m.url("/hang")}, {"timeout", "300ms"}});
  ASSERT_FALSE(hang.ok);
  EXPECT_NE(hang.error.find("timed out"), std::string::npos) << hang.error;
  // The server keeps serving after each fault.
  EXPECT_EQ(send_request({{"url", m.url("/ok")}}).output["status"], 200);
  // An independent client sees the same (not only libcurl).
  httplib::Client cli("127.0.0.1", m.attrs["port"].get<int>());
  auto res = cli.Get("/reset");
  EXPECT_FALSE(res);
  EXPECT_EQ(m.calls({{"path", "/reset"}}).output["count"], 2);
}

TEST(MockResource, RecordsEveryRequestWithDetails) {
  mock_resource m(
      json::parse(R"({"routes": [{"method": "*", "path": "/users/{id}", "status": 204}]})"));
  ASSERT_TRUE(send_request({{"method", "PUT"},
                            {"url", m.url("/users/42")},
                            {"query", {{"notify", "yes"}, {"tag", json::array({"a", "b"})}}},
                            {"headers", {{"X-Trace", "t1"}}},
                            {"json", {{"name", "Ann"}}}})
                  .ok);
  ASSERT_TRUE(send_request({{"method", "DELETE"}, {"url", m.url("/users/43")}}).ok);
  auto all = m.calls().output;
  ASSERT_EQ(all["count"], 2);
  const json &c = all["calls"][0];
  EXPECT_EQ(c["method"], "PUT");
  EXPECT_EQ(c["path"], "/users/42");
  EXPECT_EQ(c["query"]["notify"], "yes");
  EXPECT_EQ(c["query"]["tag"], json::array({"a", "b"}));
  EXPECT_EQ(c["headers"]["x-trace"], "t1");
  EXPECT_EQ(c["body"], "{\"name\":\"Ann\"}");
  EXPECT_EQ(c["json"]["name"], "Ann");
  EXPECT_EQ(c["params"]["id"], "42");
  EXPECT_EQ(c["route"], "* /users/{id}");
  EXPECT_EQ(c["status"], 204);
  EXPECT_FALSE(c["headers"].contains("remote_addr"));
  // Filters: method, path pattern, match.
  EXPECT_EQ(m.calls({{"method", "DELETE"}}).output["count"], 1);
  EXPECT_EQ(m.calls({{"path", "/users/{id}"}}).output["count"], 2);
  EXPECT_EQ(m.calls({{"path", "/users/43"}}).output["calls"][0]["method"], "DELETE");
  EXPECT_EQ(m.calls({{"match", {{"json.name", "Ann"}}}}).output["count"], 1);
}

TEST(MockResource, MockCallsWaitsForLateCalls) {
  mock_resource m(json::parse(R"({"routes": [{"path": "/hook", "status": 200}]})"));
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    httplib::Client cli("127.0.0.1", m.attrs["port"].get<int>());
    cli.Post("/hook", "{}", "application/json");
  });
  auto start = std::chrono::steady_clock::now();
  auto r = m.calls({{"min_count", 1}, {"wait", "120s"}});
  later.join();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["count"], 1);
  // It returned when the call came, not when `wait` ended.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(MockResource, BadConfigurationFailsToOpenWithWhereAndHint) {
  EXPECT_NE(open_error({{"routes", json::array()}})
                .find("resources.bad: an http resource needs a "
                      "`mock` table"),
            std::string::npos);
  EXPECT_NE(open_error({{"mock", {{"prot", 0}}}}).find("resources.bad.mock: unknown field `prot`"),
            std::string::npos);
  EXPECT_NE(open_error(json::parse(R"({"mock": {"routes": [{"path": "/x", "status": 99}]}})"))
                .find("resources.bad.mock.routes[0].status: 99 is not an HTTP status"),
            std::string::npos);
  mock_resource taken(json{{"routes", json::array()}});
  EXPECT_NE(open_error({{"mock", {{"port", taken.attrs["port"]}}}}).find("in use?"),
            std::string::npos);
}

TEST(MockResource, AnswersFastOnAKeptAliveConnection) {
  // Without TCP_NODELAY the body of each response waits for the client's
  // delayed ACK: ~40 ms per request once the connection is reused.
  mock_resource m(json::parse(R"({"routes": [{"path": "/fast", "json": {"ok": true}}]})"));
  ASSERT_TRUE(send_request({{"url", m.url("/fast")}}).ok);
  std::vector<double> times;
  for (int i = 0; i < 9; ++i) {
    auto r = send_request({{"url", m.url("/fast")}});
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.output["timing"]["new_connections"], 0) << "the connection was not reused";
    times.push_back(r.output["time_ms"].get<double>());
  }
  // The median, so that one request slowed by a busy machine does not count.
  std::sort(times.begin(), times.end());
  EXPECT_LT(times[times.size() / 2], 20.0) << "median of 9 reused-connection requests, ms";
}

TEST(MockResource, ManyIdleConnectionsDoNotStallTheServer) {
  mock_resource m(json::parse(R"({"routes": [{"path": "/ok", "json": {"ok": true}}]})"));
  // A client with a pool of its own opens many connections at once and keeps
  // them idle between requests; each holds a server thread in keep-alive.
  // Open more than a fixed pool of a few dozen threads would have, all at
  // once (beyond a small listen backlog too), then use each once.
  std::vector<int> idle;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 64; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    timeval limit{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(m.attrs["port"].get<int>()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    idle.push_back(fd);
  }
  int answered = 0;
  const std::string get = "GET /ok HTTP/1.1\r\nHost: mock\r\n\r\n";
  for (int fd : idle) {
    if (::send(fd, get.data(), get.size(), 0) != static_cast<ssize_t>(get.size()))
      continue;
    std::string reply;
    char buf[1024];
    while (reply.find("{\"ok\":true}") == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      reply.append(buf, static_cast<size_t>(n));
    }
    answered += reply.find("{\"ok\":true}") != std::string::npos;
  }
  EXPECT_EQ(answered, 64);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  // All 64 stay open and idle: a new client is still answered at once.
  start = std::chrono::steady_clock::now();
  auto r = send_request({{"url", m.url("/ok")}, {"timeout", "3s"}});
  auto took = std::chrono::steady_clock::now() - start;
  for (int fd : idle)
    ::close(fd);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["status"], 200);
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST(MockResource, DelayEndsWhenTheClientGivesUp) {
  // A request that timed out on a long delay must not keep its server thread
  // for the rest of the delay: a fixed pool would run out of threads, a
  // growing one would grow by one thread per such request.
  mock_resource m(json::parse(R"({"routes": [{"path": "/slow", "delay": "30s"},
                                     {"path": "/ok", "json": {"ok": true}}]})"));
  ASSERT_FALSE(send_request({{"url", m.url("/slow")}, {"timeout", "50ms"}}).ok);
  size_t before = thread_count();
  for (int i = 0; i < 30; ++i) {
    auto r = send_request({{"url", m.url("/slow")}, {"timeout", "50ms"}});
    ASSERT_FALSE(r.ok);
    EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
  }
  auto ok = send_request({{"url", m.url("/ok")}, {"timeout", "2s"}});
  EXPECT_TRUE(ok.ok) << ok.error;
  EXPECT_LT(thread_count(), before + 8) << "server threads stayed in delays of gone clients";
  EXPECT_EQ(m.calls().output["count"], 32);
}

TEST(MockResource, RecordsMethodsBeyondTheUsualSeven) {
  mock_resource m(json::parse(R"({"routes": [{"method": "TRACE", "path": "/t", "status": 200}]})"));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(m.attrs["port"].get<int>()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
  std::string req = "TRACE /t HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    reply.append(buf, static_cast<size_t>(n));
  ::close(fd);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  auto calls = m.calls({{"method", "TRACE"}}).output;
  ASSERT_EQ(calls["count"], 1);
  EXPECT_EQ(calls["calls"][0]["route"], "TRACE /t");
}
