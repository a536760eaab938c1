// Which proxy http.request uses: no_proxy matching, loopback, the `proxy`
// input and the environment (unit tests with a stand-in environment).
#include "proxy.hpp"

#include <gtest/gtest.h>

#include <map>

using seam::json;

namespace {

seam::http::getenv_fn env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char *name) -> const char * {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

} // namespace

TEST(Proxy, NoProxyListsHostsDomainsAddressesAndRanges) {
  using seam::http::no_proxy_matches;
  EXPECT_TRUE(no_proxy_matches("example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("example.com", "api.example.com"));
  EXPECT_TRUE(no_proxy_matches(".example.com", "api.example.com"));
  EXPECT_TRUE(no_proxy_matches("a.test, example.com", "EXAMPLE.com"));
  EXPECT_FALSE(no_proxy_matches("example.com", "badexample.com"));
  EXPECT_FALSE(no_proxy_matches("api.example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("*", "anything.test"));
  EXPECT_TRUE(no_proxy_matches("10.0.0.0/8", "10.1.2.3"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/8", "11.1.2.3"));
  EXPECT_TRUE(no_proxy_matches("192.168.1.7", "192.168.1.7"));
  EXPECT_TRUE(no_proxy_matches("fd00::/8", "[fd12::1]"));
  EXPECT_FALSE(no_proxy_matches("", "example.com"));
}

TEST(Proxy, LoopbackIsNeverProxiedFromTheEnvironment) {
  auto e = env({{"http_proxy", "http://proxy.test:3128"}, {"https_proxy", "http://p2:1"}});
  for (const char *host : {"127.0.0.1", "127.9.9.9", "localhost", "api.localhost", "[::1]", "::1"})
    EXPECT_FALSE(seam::http::choose_proxy(nullptr, "http", host, e)) << host;
  auto p = seam::http::choose_proxy(nullptr, "http", "api.test", e);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->url, "http://proxy.test:3128");
  EXPECT_EQ(p->source, "the environment variable http_proxy");
}

TEST(Proxy, EnvironmentAsCurlReadsIt) {
  // HTTP_PROXY (upper-case) is never read: a CGI server sets it from a
  // request's Proxy header ("httpoxy").
  EXPECT_FALSE(
      seam::http::choose_proxy(nullptr, "http", "a.test", env({{"HTTP_PROXY", "http://x:1"}})));
  EXPECT_EQ(
      seam::http::choose_proxy(nullptr, "https", "a.test", env({{"HTTPS_PROXY", "http://s:1"}}))
          ->url,
      "http://s:1");
  EXPECT_EQ(
      seam::http::choose_proxy(nullptr, "https", "a.test", env({{"ALL_PROXY", "socks5://s:1"}}))
          ->url,
      "socks5://s:1");
  auto with_no_proxy = env({{"http_proxy", "http://x:1"}, {"NO_PROXY", "a.test"}});
  EXPECT_FALSE(seam::http::choose_proxy(nullptr, "http", "a.test", with_no_proxy));
  EXPECT_TRUE(seam::http::choose_proxy(nullptr, "http", "b.test", with_no_proxy));
}

TEST(Proxy, TheInputWinsAndHidesCredentialsInMessages) {
  auto e = env({{"http_proxy", "http://env:1"}});
  json off = false, on = true, given = "http://user:pw@proxy.test:3128";
  EXPECT_FALSE(seam::http::choose_proxy(&off, "http", "a.test", e));
  EXPECT_EQ(seam::http::choose_proxy(&on, "http", "a.test", e)->url, "http://env:1");
  auto p = seam::http::choose_proxy(&given, "http", "127.0.0.1", e);
  ASSERT_TRUE(p) << "an explicit proxy applies to loopback too";
  EXPECT_EQ(p->url, "http://user:pw@proxy.test:3128");
  EXPECT_EQ(p->shown, "http://proxy.test:3128/");
  EXPECT_EQ(p->source, "the step's proxy input");
  json bad = 3;
  EXPECT_THROW(seam::http::choose_proxy(&bad, "http", "a.test", e), seam::error);
}
