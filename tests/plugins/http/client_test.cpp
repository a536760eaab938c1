// http.request through the plugin's C ABI, against a real nginx (tools/nginx)
// and, where nginx cannot echo a request, the plugin's own mock resource.
#include "plugin_host.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

using seam_test::call_result;
using seam_test::json;
using seam_test::plugin;

namespace {

std::string fact(const std::string &key) { return seam_test::nginx().at(key); }
std::string url(const std::string &path) { return fact("NGINX_URL") + path; }
std::string tls_url(const std::string &path) { return fact("NGINX_TLS_URL") + path; }

call_result request(json input, long deadline_ms = -1) {
  return plugin().run("request", input, nullptr, deadline_ms);
}

// A request made by a step of the test `test_id` when `jobs` tests run at once.
call_result request_in_test(const std::string &test_id, json input, unsigned jobs = 1) {
  return plugin().run("request", input, nullptr, -1, test_id, jobs);
}

// A mock resource for one test, closed at scope exit.
struct mock {
  void *handle = nullptr;
  json attrs;
  explicit mock(const json &routes) {
    auto r = plugin().open("echo", {{"mock", {{"routes", routes}}}}, &handle);
    if (!r.ok)
      throw std::runtime_error(r.error);
    attrs = r.output;
  }
  ~mock() { plugin().close(handle); }
  std::string url(const std::string &path) const { return attrs["url"].get<std::string>() + path; }
  json calls() { return plugin().run("mock_calls", json::object(), handle).output["calls"]; }
};

// The access log's lines written since `from` bytes: "$connection $connection_requests ...".
std::vector<std::string> log_lines_since(std::streamoff from) {
  std::ifstream in(fact("NGINX_ACCESS_LOG"));
  in.seekg(from);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The lines since `from` that contain `mark`, once there are `count` of them:
// nginx writes a request's log line after it has sent the response, so the
// client may look before it is there. Gives up after 30 s with what it has.
std::vector<std::string> wait_for_log_lines(std::streamoff from, const std::string &mark,
                                            size_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    std::vector<std::string> found;
    for (auto &line : log_lines_since(from))
      if (line.find(mark) != std::string::npos)
        found.push_back(std::move(line));
    if (found.size() >= count || std::chrono::steady_clock::now() > deadline)
      return found;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::streamoff log_size() {
  std::ifstream in(fact("NGINX_ACCESS_LOG"), std::ios::ate);
  return in.tellg();
}

std::string tmp_file(const std::string &name, const std::string &content) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

} // namespace

TEST(HttpRequest, GetReturnsStatusHeadersBodyJsonAndTimings) {
  auto r = request({{"url", url("/json")}});
  ASSERT_TRUE(r.ok) << r.error;
  const json &o = r.output;
  EXPECT_EQ(o["status"], 200);
  EXPECT_EQ(o["headers"]["content-type"], "application/json");
  EXPECT_EQ(o["headers"]["server"], "nginx");
  EXPECT_EQ(o["json"]["nested"]["n"], 42);
  EXPECT_EQ(o["body"].get<std::string>().substr(0, 10), "{\"ok\":true");
  EXPECT_EQ(o["size"], o["body"].get<std::string>().size());
  EXPECT_GT(o["time_ms"].get<double>(), 0.0);
  EXPECT_GE(o["timing"]["ttfb_ms"].get<double>(), o["timing"]["connect_ms"].get<double>());
  EXPECT_LE(o["timing"]["ttfb_ms"].get<double>(), o["time_ms"].get<double>());
  EXPECT_EQ(o["url"], url("/json"));
}

TEST(HttpRequest, TimingsOfAFreshAndOfAReusedConnection) {
  // A mock of its own: the pooled handle has no connection to it yet.
  mock m(json::parse(R"([{"path": "/t", "json": {}}])"));
  auto fresh = request({{"url", m.url("/t")}});
  ASSERT_TRUE(fresh.ok) << fresh.error;
  const json &f = fresh.output["timing"];
  EXPECT_EQ(f["new_connections"], 1);
  EXPECT_GT(f["connect_ms"].get<double>(), 0.0);
  EXPECT_EQ(f["tls_ms"], 0.0) << "plain http has no TLS handshake";
  // Times count from the start of the request, so they only grow.
  EXPECT_LE(f["dns_ms"].get<double>(), f["connect_ms"].get<double>());
  EXPECT_LE(f["connect_ms"].get<double>(), f["ttfb_ms"].get<double>());
  EXPECT_LE(f["ttfb_ms"].get<double>(), f["total_ms"].get<double>());
  EXPECT_EQ(f["total_ms"], fresh.output["time_ms"]);
  auto reused = request({{"url", m.url("/t")}});
  ASSERT_TRUE(reused.ok) << reused.error;
  const json &r = reused.output["timing"];
  EXPECT_EQ(r["new_connections"], 0);
  EXPECT_EQ(r["connect_ms"], 0.0);
  EXPECT_EQ(r["tls_ms"], 0.0);
  EXPECT_GT(r["ttfb_ms"].get<double>(), 0.0);
}

TEST(HttpRequest, TlsTimingsOfAFreshAndOfAReusedConnection) {
  json tls = {{"ca_file", fact("NGINX_CA_FILE")}};
  auto fresh = request({{"url", tls_url("/json")}, {"tls", tls}});
  ASSERT_TRUE(fresh.ok) << fresh.error;
  const json &f = fresh.output["timing"];
  ASSERT_EQ(f["new_connections"], 1) << "each test runs in a process of its own";
  EXPECT_GT(f["connect_ms"].get<double>(), 0.0);
  EXPECT_GT(f["tls_ms"].get<double>(), f["connect_ms"].get<double>());
  EXPECT_LE(f["tls_ms"].get<double>(), f["ttfb_ms"].get<double>());
  auto reused = request({{"url", tls_url("/json")}, {"tls", tls}});
  ASSERT_TRUE(reused.ok) << reused.error;
  const json &r = reused.output["timing"];
  EXPECT_EQ(r["new_connections"], 0);
  EXPECT_EQ(r["connect_ms"], 0.0);
  EXPECT_EQ(r["tls_ms"], 0.0);
}

TEST(HttpRequest, TextBodyHasNoJson) {
  auto r = request({{"url", url("/text")}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["body"], "hello from nginx");
  EXPECT_FALSE(r.output.contains("json"));
  EXPECT_EQ(r.output["size"], 16);
}

TEST(HttpRequest, StatusCodesAreOutputsNotErrors) {
  for (int code : {201, 204, 404, 500, 503}) {
    auto r = request({{"url", url("/status/" + std::to_string(code))}});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.output["status"], code);
  }
}

TEST(HttpRequest, HeadAndMethodsReachTheServer) {
  auto head = request({{"method", "HEAD"}, {"url", url("/json")}});
  ASSERT_TRUE(head.ok) << head.error;
  EXPECT_EQ(head.output["status"], 200);
  EXPECT_EQ(head.output["body"], "");
  for (std::string m : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    auto r = request({{"method", m}, {"url", url("/echo")}});
    ASSERT_TRUE(r.ok) << m << ": " << r.error;
    EXPECT_EQ(r.output["json"]["method"], m);
  }
}

TEST(HttpRequest, QueryHeadersAndUserAgent) {
  auto r = request({{"url", url("/echo?fixed=1")},
                    {"query", {{"q", "a b&c"}, {"n", 5}, {"tag", json::array({"x", "y"})}}},
                    {"headers", {{"X-Test", "hello"}, {"User-Agent", "suite/1"}}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["json"]["args"], "fixed=1&n=5&q=a%20b%26c&tag=x&tag=y");
  EXPECT_EQ(r.output["json"]["x_test"], "hello");
  EXPECT_EQ(r.output["json"]["user_agent"], "suite/1");
  auto d = request({{"url", url("/echo")}});
  EXPECT_EQ(d.output["json"]["user_agent"], "seam/0.1");
}

TEST(HttpRequest, BodiesArriveAsSent) {
  mock m(json::parse(R"([{"path": "/in", "status": 201}])"));
  ASSERT_TRUE(request({{"method", "POST"},
                       {"url", m.url("/in")},
                       {"json", {{"email", "a@example.com"}, {"n", 1}}}})
                  .ok);
  ASSERT_TRUE(request({{"method", "PUT"},
                       {"url", m.url("/in")},
                       {"body", "plain text"},
                       {"headers", {{"content-type", "text/x-custom"}}}})
                  .ok);
  ASSERT_TRUE(
      request({{"method", "POST"}, {"url", m.url("/in")}, {"form", {{"user", "a b"}, {"n", 2}}}})
          .ok);
  ASSERT_TRUE(
      request({{"method", "PATCH"}, {"url", m.url("/in")}, {"json", json::array({1, 2})}}).ok);
  auto calls = m.calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0]["headers"]["content-type"], "application/json");
  EXPECT_EQ(calls[0]["json"]["email"], "a@example.com");
  EXPECT_EQ(calls[1]["method"], "PUT");
  EXPECT_EQ(calls[1]["body"], "plain text");
  EXPECT_EQ(calls[1]["headers"]["content-type"], "text/x-custom");
  EXPECT_EQ(calls[2]["form"]["user"], "a b");
  EXPECT_EQ(calls[2]["form"]["n"], "2");
  EXPECT_EQ(calls[3]["json"], json::array({1, 2}));
  EXPECT_FALSE(calls[0]["headers"].contains("expect"));
}

TEST(HttpRequest, MultipartUploadsFieldsAndFiles) {
  mock m(json::parse(R"([{"method": "POST", "path": "/upload", "status": 201}])"));
  std::string file = tmp_file("avatar.png", std::string("\x89PNG\r\n\x1a\n", 8) + "pixels");
  auto r = request({{"method", "POST"},
                    {"url", m.url("/upload")},
                    {"multipart",
                     {{"title", "holiday"},
                      {"count", 3},
                      {"avatar", {{"file", file}, {"content_type", "image/png"}}},
                      {"notes", {{"content", "line1\nline2"}, {"filename", "notes.txt"}}}}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["status"], 201);
  auto call = m.calls()[0];
  EXPECT_NE(call["headers"]["content-type"].get<std::string>().find("multipart/form-data"),
            std::string::npos);
  EXPECT_EQ(call["form"]["title"], "holiday");
  EXPECT_EQ(call["form"]["count"], "3");
  EXPECT_EQ(call["files"]["avatar"]["filename"], "avatar.png");
  EXPECT_EQ(call["files"]["avatar"]["content_type"], "image/png");
  EXPECT_EQ(call["files"]["avatar"]["size"], 14);
  EXPECT_EQ(call["files"]["notes"]["content"], "line1\nline2");
  auto missing = request({{"method", "POST"},
                          {"url", m.url("/upload")},
                          {"multipart", {{"f", {{"file", "/nonexistent/x.bin"}}}}}});
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.error.find("cannot read file '/nonexistent/x.bin'"), std::string::npos);
}

TEST(HttpRequest, BasicAuthAndItsSecrets) {
  json creds = {{"user", fact("NGINX_BASIC_USER")}, {"password", fact("NGINX_BASIC_PASSWORD")}};
  auto ok = request({{"url", url("/basic")}, {"auth", {{"basic", creds}}}});
  ASSERT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.output["status"], 200);
  EXPECT_EQ(ok.output["json"]["authenticated"], true);
  std::set<std::string> secrets(ok.secrets.begin(), ok.secrets.end());
  EXPECT_TRUE(secrets.count(fact("NGINX_BASIC_PASSWORD")));
  EXPECT_TRUE(secrets.count("c2VhbTpvcGVuLXNlc2FtZS00Mg==")); // base64("seam:open-sesame-42")
  creds["password"] = "wrong";
  EXPECT_EQ(request({{"url", url("/basic")}, {"auth", {{"basic", creds}}}}).output["status"], 401);
  EXPECT_EQ(request({{"url", url("/basic")}}).output["status"], 401);
}

TEST(HttpRequest, BearerTokenIsSentAndSecret) {
  auto ok = request({{"url", url("/bearer")}, {"auth", {{"bearer", fact("NGINX_BEARER_TOKEN")}}}});
  ASSERT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.output["status"], 200);
  EXPECT_EQ(ok.secrets, std::vector<std::string>{fact("NGINX_BEARER_TOKEN")});
  EXPECT_EQ(request({{"url", url("/bearer")}, {"auth", {{"bearer", "nope"}}}}).output["status"],
            401);
}

TEST(HttpRequest, PasswordInUrlIsSecretAsWrittenDecodedAndInBasicCredentials) {
  auto r =
      request({{"url", "http://us%20er:hun%40ter2@127.0.0.1:" + fact("NGINX_PORT") + "/echo"}});
  ASSERT_TRUE(r.ok) << r.error;
  std::set<std::string> secrets(r.secrets.begin(), r.secrets.end());
  EXPECT_TRUE(secrets.count("hun%40ter2")) << "the form the URL (and `url` output) shows";
  EXPECT_TRUE(secrets.count("hun@ter2"));
  // libcurl sends the decoded pair as Basic credentials; /echo returns them.
  EXPECT_EQ(r.output["json"]["authorization"], "Basic dXMgZXI6aHVuQHRlcjI=");
  EXPECT_TRUE(secrets.count("dXMgZXI6aHVuQHRlcjI=")); // base64("us er:hun@ter2")
}

TEST(HttpRequest, SchemaMarksSecretInputs) {
  // seam masks these even in the report of a step that never ran.
  json schema = json::parse(plugin().find_step("request")->input_schema);
  const json &props = schema["properties"];
  EXPECT_EQ(props["auth"]["properties"]["basic"]["properties"]["password"]["x-seam-secret"], true);
  EXPECT_EQ(props["auth"]["properties"]["bearer"]["x-seam-secret"], true);
  EXPECT_EQ(props["tls"]["properties"]["key_password"]["x-seam-secret"], true);
  EXPECT_FALSE(
      props["auth"]["properties"]["basic"]["properties"]["user"].contains("x-seam-secret"));
}

TEST(HttpRequest, KeepAliveReusesOneConnection) {
  // Warm up so the pooled handle holds a connection to nginx.
  ASSERT_TRUE(request({{"url", url("/json")}}).ok);
  auto from = log_size();
  // Other tests share this nginx (ctest -j): only this test's lines count.
  const std::string mark = "ka=" + std::to_string(::getpid());
  for (int i = 0; i < 100; ++i) {
    auto r =
        request({{"method", i % 2 ? "GET" : "POST"},
                 {"url", url((i % 2 ? "/users/u" + std::to_string(i) : "/users") + "?" + mark)},
                 {"json", {{"i", i}}}});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.output["timing"]["new_connections"], 0) << "request " << i;
  }
  std::vector<std::string> lines = wait_for_log_lines(from, mark + "\"", 100);
  ASSERT_EQ(lines.size(), 100u);
  std::set<std::string> connections;
  for (auto &line : lines)
    connections.insert(line.substr(0, line.find(' ')));
  EXPECT_EQ(connections.size(), 1u) << "requests were spread over several connections";
}

TEST(HttpRequest, TlsVerificationFailsOnSelfSignedUnlessCaFileGiven) {
  auto bad = request({{"url", tls_url("/json")}});
  ASSERT_FALSE(bad.ok);
  EXPECT_NE(bad.error.find("TLS error"), std::string::npos) << bad.error;
  EXPECT_NE(bad.error.find("tls.ca_file"), std::string::npos) << bad.error;
  auto good = request({{"url", tls_url("/json")}, {"tls", {{"ca_file", fact("NGINX_CA_FILE")}}}});
  ASSERT_TRUE(good.ok) << good.error;
  EXPECT_EQ(good.output["json"]["ok"], true);
  EXPECT_GT(good.output["timing"]["tls_ms"].get<double>(), 0.0);
  auto by_name = request({{"url", fact("NGINX_TLS_NAME_URL") + "/json"},
                          {"tls", {{"ca_file", fact("NGINX_CA_FILE")}}}});
  ASSERT_TRUE(by_name.ok) << by_name.error;
  auto unverified = request({{"url", tls_url("/json")}, {"tls", {{"verify", false}}}});
  ASSERT_TRUE(unverified.ok) << unverified.error;
}

TEST(HttpRequest, TlsClientCertificate) {
  json tls = {{"ca_file", fact("NGINX_CA_FILE")}};
  auto without = request({{"url", tls_url("/mtls")}, {"tls", tls}});
  ASSERT_TRUE(without.ok) << without.error;
  EXPECT_EQ(without.output["json"]["verify"], "NONE");
  tls["client_cert"] = fact("NGINX_CLIENT_CERT");
  tls["client_key"] = fact("NGINX_CLIENT_KEY");
  auto with = request({{"url", tls_url("/mtls")}, {"tls", tls}});
  ASSERT_TRUE(with.ok) << with.error;
  EXPECT_EQ(with.output["json"]["verify"], "SUCCESS");
  EXPECT_EQ(with.output["json"]["subject"], "CN=seam-client");
}

TEST(HttpRequest, RedirectsAreNotFollowedByDefault) {
  auto r = request({{"url", url("/redirect/twice")}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["status"], 301);
  EXPECT_EQ(r.output["headers"]["location"], url("/redirect"));
  auto f = request({{"url", url("/redirect/twice")}, {"follow_redirects", true}});
  ASSERT_TRUE(f.ok) << f.error;
  EXPECT_EQ(f.output["status"], 200);
  EXPECT_EQ(f.output["redirects"], 2);
  EXPECT_EQ(f.output["url"], url("/json"));
  EXPECT_EQ(f.output["json"]["ok"], true);
  EXPECT_FALSE(f.output["headers"].contains("location")); // the last response's headers
  auto loop = request({{"url", url("/redirect/loop")}, {"follow_redirects", 3}});
  ASSERT_FALSE(loop.ok);
  EXPECT_NE(loop.error.find("too many redirects"), std::string::npos) << loop.error;
}

TEST(HttpRequest, CookieJarsAreNamedAndSeparate) {
  std::string jar = "jar-" + std::to_string(::getpid());
  auto set = request({{"url", url("/cookies/set")}, {"cookies", jar}});
  ASSERT_TRUE(set.ok) << set.error;
  EXPECT_EQ(set.output["cookies"]["session"], "s3cr3t-session");
  auto same = request({{"url", url("/cookies/get")}, {"cookies", jar}});
  EXPECT_EQ(same.output["json"]["session"], "s3cr3t-session");
  auto other = request({{"url", url("/cookies/get")}, {"cookies", jar + "-other"}});
  EXPECT_EQ(other.output["json"]["session"], "");
  auto none = request({{"url", url("/cookies/get")}, {"cookies", false}});
  EXPECT_EQ(none.output["json"]["cookie"], "");
  EXPECT_FALSE(none.output.contains("cookies"));
  // A jar is shared across threads, as parallel tests of one jar would be.
  std::thread t([&] {
    auto r = request({{"url", url("/cookies/get")}, {"cookies", jar}});
    EXPECT_EQ(r.output["json"]["session"], "s3cr3t-session");
  });
  t.join();
}

TEST(HttpRequest, EachTestHasItsOwnCookieJarByDefault) {
  const std::string test = "cookies-" + std::to_string(::getpid());
  auto set = request_in_test(test + "-a", {{"url", url("/cookies/set")}});
  ASSERT_TRUE(set.ok) << set.error;
  EXPECT_EQ(set.output["cookies"]["session"], "s3cr3t-session");
  // A later step of the same test sends it back, from another thread too.
  auto same = request_in_test(test + "-a", {{"url", url("/cookies/get")}});
  EXPECT_EQ(same.output["json"]["session"], "s3cr3t-session");
  std::thread t([&] {
    auto r = request_in_test(test + "-a", {{"url", url("/cookies/get")}, {"cookies", true}});
    EXPECT_EQ(r.output["json"]["session"], "s3cr3t-session");
  });
  t.join();
  // Another test does not get it, nor does setup/teardown (no test id).
  auto other = request_in_test(test + "-b", {{"url", url("/cookies/get")}});
  EXPECT_EQ(other.output["json"]["cookie"], "");
  EXPECT_EQ(request({{"url", url("/cookies/get")}}).output["json"]["cookie"], "");
  // cookies = false: nothing sent, nothing kept.
  auto off = request_in_test(test + "-a", {{"url", url("/cookies/get")}, {"cookies", false}});
  EXPECT_EQ(off.output["json"]["cookie"], "");
  EXPECT_FALSE(off.output.contains("cookies"));
}

TEST(HttpRequest, OldTestJarsAreDroppedOnceManyLaterTestsRan) {
  const std::string test = "lru-" + std::to_string(::getpid());
  ASSERT_TRUE(request_in_test(test + "-first", {{"url", url("/cookies/set")}}).ok);
  // With one test at a time, 64 + 16 jars are kept: a few dozen later tests
  // leave the first test's jar alone...
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(request_in_test(test + "-" + std::to_string(i), {{"url", url("/json")}}).ok);
  auto kept = request_in_test(test + "-first", {{"url", url("/cookies/get")}});
  EXPECT_EQ(kept.output["json"]["session"], "s3cr3t-session");
  // ...but a hundred more drop it: memory stays bounded in long runs.
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(request_in_test(test + "-more-" + std::to_string(i), {{"url", url("/json")}}).ok);
  auto dropped = request_in_test(test + "-first", {{"url", url("/cookies/get")}});
  EXPECT_EQ(dropped.output["json"]["cookie"], "");
  // With more tests at once, more jars are kept.
  ASSERT_TRUE(request_in_test(test + "-wide", {{"url", url("/cookies/set")}}, 8).ok);
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(
        request_in_test(test + "-wide-" + std::to_string(i), {{"url", url("/json")}}, 8).ok);
  auto wide = request_in_test(test + "-wide", {{"url", url("/cookies/get")}}, 8);
  EXPECT_EQ(wide.output["json"]["session"], "s3cr3t-session");
}

TEST(HttpRequest, RepeatedSetCookieHeadersStayApart) {
  auto r = request({{"url", url("/cookies/set-two")}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["set_cookies"],
            json::array(
                {"theme=dark; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT", "lang=en; Path=/"}));
  // `headers` joins repeats, as HTTP allows for other headers.
  EXPECT_EQ(r.output["headers"]["set-cookie"],
            "theme=dark; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT, lang=en; Path=/");
  EXPECT_EQ(r.output["cookies"]["theme"], "dark");
  EXPECT_EQ(r.output["cookies"]["lang"], "en");
  EXPECT_EQ(request({{"url", url("/json")}}).output["set_cookies"], json::array());
}

TEST(HttpRequest, TimeoutIsAStepErrorThatSaysSo) {
  mock m(json::parse(R"([{"path": "/slow", "delay": "2s", "json": {"late": true}}])"));
  auto start = std::chrono::steady_clock::now();
  auto r = request({{"url", m.url("/slow")}, {"timeout", "200ms"}});
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.find("timed out after 200 ms"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("timeout = \"200ms\""), std::string::npos) << r.error;
  EXPECT_LT(took, std::chrono::milliseconds(1500));
  // The host's deadline wins when it is nearer than the step's timeout.
  auto d = request({{"url", m.url("/slow")}, {"timeout", "5s"}}, 300);
  ASSERT_FALSE(d.ok);
  EXPECT_NE(d.error.find("timed out"), std::string::npos) << d.error;
  EXPECT_NE(d.error.find("deadline"), std::string::npos) << d.error;
}

TEST(HttpRequest, ConnectionRefusedAndDnsErrorsSayWhich) {
  // A port that was just free: nothing listens there.
  mock closed(json::array());
  std::string dead = closed.url("/x");
  plugin().close(closed.handle);
  closed.handle = nullptr;
  auto refused = request({{"url", dead}});
  ASSERT_FALSE(refused.ok);
  EXPECT_NE(refused.error.find("connection refused"), std::string::npos) << refused.error;
  EXPECT_EQ(refused.error.rfind("GET " + dead + ": ", 0), 0u) << refused.error;
  auto dns = request({{"url", "http://no-such-host.invalid/"}});
  ASSERT_FALSE(dns.ok);
  EXPECT_NE(dns.error.find("DNS error"), std::string::npos) << dns.error;
  EXPECT_NE(dns.error.find("no-such-host.invalid"), std::string::npos) << dns.error;
}

// Sets an environment variable for one test (each test runs in a process of
// its own under ctest; restored anyway).
struct scoped_env {
  std::string name;
  std::optional<std::string> old;
  scoped_env(std::string n, const std::string &value) : name(std::move(n)) {
    if (const char *v = std::getenv(name.c_str()))
      old = v;
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~scoped_env() {
    if (old)
      ::setenv(name.c_str(), old->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

// A loopback URL where nothing listens (a mock's port, closed again).
std::string dead_url() {
  mock closed(json::array());
  std::string url = closed.url("");
  plugin().close(closed.handle);
  closed.handle = nullptr;
  return url;
}

TEST(HttpRequest, ProxyVariablesNeverRerouteLoopback) {
  scoped_env proxy("http_proxy", dead_url());
  scoped_env all("all_proxy", dead_url());
  auto direct = request({{"url", url("/json")}});
  ASSERT_TRUE(direct.ok) << direct.error;
  EXPECT_EQ(direct.output["json"]["ok"], true);
  auto by_name = request({{"url", "http://localhost:" + fact("NGINX_PORT") + "/json"}});
  ASSERT_TRUE(by_name.ok) << by_name.error;
}

TEST(HttpRequest, FailuresThroughAProxyNameTheProxy) {
  std::string dead = dead_url();
  scoped_env proxy("http_proxy", dead);
  auto r = request({{"url", "http://api.example.invalid/v1"}});
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.find("connection refused by the proxy " + dead), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("the environment variable http_proxy"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("DNS error"), std::string::npos) << r.error;
  // The step's own proxy, also for loopback.
  auto own = request({{"url", url("/json")}, {"proxy", dead}});
  ASSERT_FALSE(own.ok);
  EXPECT_NE(own.error.find("refused by the proxy " + dead), std::string::npos) << own.error;
  EXPECT_NE(own.error.find("the step's proxy input"), std::string::npos) << own.error;
}

TEST(HttpRequest, NoProxyAndProxyFalseConnectDirectly) {
  scoped_env proxy("http_proxy", dead_url());
  {
    scoped_env no_proxy("no_proxy", "example.invalid");
    auto r = request({{"url", "http://api.example.invalid/v1"}});
    ASSERT_FALSE(r.ok);
    EXPECT_NE(r.error.find("DNS error"), std::string::npos) << "not through the proxy: " << r.error;
  }
  auto off = request({{"url", "http://api.example.invalid/v1"}, {"proxy", false}});
  ASSERT_FALSE(off.ok);
  EXPECT_NE(off.error.find("DNS error"), std::string::npos) << off.error;
}

TEST(HttpRequest, RequestsGoThroughTheProxyTheyName) {
  // nginx answers absolute-form requests ("GET http://host/json") from its
  // own locations: it stands in for a forward proxy here. The step's proxy
  // applies whatever no_proxy says.
  scoped_env no_proxy("no_proxy", "example.invalid,127.0.0.1");
  auto from = log_size();
  auto r =
      request({{"url", "http://api.example.invalid/json?via=proxy-" + std::to_string(::getpid())},
               {"proxy", "http://user:proxy-pw@127.0.0.1:" + fact("NGINX_PORT")}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["json"]["ok"], true);
  std::set<std::string> secrets(r.secrets.begin(), r.secrets.end());
  EXPECT_TRUE(secrets.count("proxy-pw"));
  bool logged = !wait_for_log_lines(from, "via=proxy-" + std::to_string(::getpid()), 1).empty();
  EXPECT_TRUE(logged) << "nginx did not see the request";
}

// Inputs the schema refuses (unknown keys, wrong types, two bodies) never
// reach the plugin: seam checks them first (tests/plugins/http/check_bad.sh).
// What only the plugin can tell is a step error with a clear message.
TEST(HttpRequest, BadUrlsGetClearStepErrors) {
  auto bad_url = request({{"url", "http//missing-colon"}});
  EXPECT_FALSE(bad_url.ok);
  EXPECT_NE(bad_url.error.find("invalid URL"), std::string::npos) << bad_url.error;
  auto ftp = request({{"url", "ftp://127.0.0.1/x"}});
  EXPECT_NE(ftp.error.find("is not http or https"), std::string::npos) << ftp.error;
}

TEST(HttpRequest, SchemaIsValidJsonAndStrict) {
  const seam_step *s = plugin().find_step("request");
  ASSERT_NE(s, nullptr);
  json schema = json::parse(s->input_schema);
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], json::array({"url"}));
  EXPECT_EQ(schema["properties"]["method"]["enum"].size(), 7u);
  EXPECT_EQ(schema["not"]["anyOf"].size(), 6u);
  EXPECT_NO_THROW(json::parse(s->output_schema));
}
