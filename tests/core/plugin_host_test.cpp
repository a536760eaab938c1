// The plugin host's parts that need no running suite: the matcher it offers
// plugins (seam_host_api.match), the search path, and loading the probe.
#include "seam/core/host/plugin_host.hpp"

#include <seam/json_read.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace seam {
namespace {

int match(const std::string &expect, const std::string &doc, std::string *why = nullptr) {
  return PluginHost::match(expect, doc, why);
}

TEST(HostMatch, Holds) {
  EXPECT_EQ(match(R"({"id": 1})", R"({"id": 1, "other": 2})"), 1);
  EXPECT_EQ(match(R"({"json": {"id": {"gt": 0}}, "status": 200})",
                  R"({"status": 200, "json": {"id": 5}})"),
            1);
  EXPECT_EQ(match(R"({"body": {"matches": "^order-\\d+$"}})", R"({"body": "order-12"})"), 1);
  EXPECT_EQ(match(R"({"headers.x-kind": {"in": ["a", "b"]}})", R"({"headers": {"x-kind": "b"}})"),
            1);
  EXPECT_EQ(match(R"({"gone": {"exists": false}})", R"({})"), 1);
  EXPECT_EQ(match(R"({"n": 1})", R"({"n": 1.0})"), 1);
}

TEST(HostMatch, EmptyExpectationHoldsForAnyDocument) {
  EXPECT_EQ(match("{}", R"({"a": 1})"), 1);
  EXPECT_EQ(match("{}", "[1, 2]"), 1);
}

TEST(HostMatch, DoesNotHold) {
  std::string why = "untouched";
  EXPECT_EQ(match(R"({"id": 1})", R"({"id": 2})", &why), 0);
  EXPECT_EQ(why, "untouched"); // a plain mismatch is not an error
  EXPECT_EQ(match(R"({"id": 1})", R"({})"), 0);
  EXPECT_EQ(match(R"({"json": {"id": {"gt": 5}}})", R"({"json": {"id": 5}})"), 0);
  // Every expectation must hold, not just one.
  EXPECT_EQ(match(R"({"a": 1, "b": 2})", R"({"a": 1, "b": 3})"), 0);
  EXPECT_EQ(match(R"({"a": 1, "b": 2})", R"({"a": 0, "b": 2})"), 0);
}

TEST(HostMatch, ReferencesAreNotInterpolated) {
  // Documents come from plugins, not suites: "${x}" is plain text here.
  EXPECT_EQ(match(R"({"a": "${x}"})", R"({"a": "${x}"})"), 1);
  EXPECT_EQ(match(R"({"a": "${x}"})", R"({"a": "value"})"), 0);
}

TEST(HostMatch, MalformedInputs) {
  std::string why;
  EXPECT_EQ(match("{not json", "{}", &why), -1);
  EXPECT_EQ(why.rfind("match: invalid JSON: ", 0), 0u) << why;

  why.clear();
  EXPECT_EQ(match("{}", "[1,", &why), -1);
  EXPECT_EQ(why.rfind("match: invalid JSON: ", 0), 0u) << why;

  why.clear();
  EXPECT_EQ(match("[1]", "{}", &why), -1);
  EXPECT_EQ(why, "match: the expectation must be a table of PATH = value-or-matcher");

  why.clear();
  EXPECT_EQ(match(R"({"a": {"matchs": "x"}})", "{}", &why), -1);
  EXPECT_EQ(why, "match: unknown matcher 'matchs'");

  why.clear();
  EXPECT_EQ(match(R"({"a": {"matches": "("}})", R"({"a": "x"})", &why), -1);
  EXPECT_EQ(why.rfind("match: bad regular expression", 0), 0u) << why;

  why.clear();
  EXPECT_EQ(match(R"({"a..b": 1})", "{}", &why), -1);
  EXPECT_EQ(why, "match: bad path 'a..b': empty segment in path");

  // The reason is optional.
  EXPECT_EQ(match("nope", "{}", nullptr), -1);
}

TEST(DefaultSearchPath, Order) {
  ::setenv("SEAM_PLUGIN_PATH", "/env/one::/env/two:", 1);
  auto p = default_search_path({"/cli/a", "/cli/b"}, "/opt/seam/bin");
  ::unsetenv("SEAM_PLUGIN_PATH");
  EXPECT_EQ(p, (std::vector<std::string>{"/cli/a", "/cli/b", "/env/one", "/env/two",
                                         "/opt/seam/lib/seam/plugins"}));
  EXPECT_EQ(default_search_path({}, ""), std::vector<std::string>{});
}

std::string probe_dir() { return std::filesystem::path(SEAM_PROBE_PATH).parent_path().string(); }

TEST(PluginHostLoad, FindsTheProbeOnItsSearchPath) {
  Secrets secrets;
  PluginHost host({"/nonexistent-dir", probe_dir()}, secrets);
  EXPECT_EQ(host.find("no_such_plugin"), nullptr);
  const LoadedPlugin *p = host.find("probe");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "probe");
  EXPECT_EQ(p->version, "1.0.0");
  EXPECT_EQ(p->file, SEAM_PROBE_PATH);
  EXPECT_TRUE(p->has_resources());
  EXPECT_EQ(host.find("probe"), p); // loaded once
  ASSERT_TRUE(p->steps.count("sleep"));
  const StepInfo &sleep = p->steps.at("sleep");
  EXPECT_EQ(sleep.full_name, "probe.sleep");
  EXPECT_EQ(sleep.input_schema["required"], json::array({"ms"}));
  EXPECT_EQ(p->steps.at("resource_tag").resource, SEAM_RESOURCE_REQUIRED);

  auto names = host.available();
  EXPECT_NE(std::find(names.begin(), names.end(), "probe"), names.end());
}

TEST(PluginHostLoad, CallsAStep) {
  Secrets secrets;
  PluginHost host({probe_dir()}, secrets);
  const LoadedPlugin *p = host.find("probe");
  ASSERT_NE(p, nullptr);
  CallResult ok = host.call(p->steps.at("echo"), nullptr, R"({"a":1})", CallLimits{});
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(json::parse(ok.output), json::parse(R"({"input": {"a": 1}})"));

  CallResult bad = host.call(p->steps.at("fail"), nullptr, R"({"message":"boom"})", CallLimits{});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error, "boom");

  CallResult logged =
      host.call(p->steps.at("log"), nullptr, R"({"message":"hello"})", CallLimits{});
  ASSERT_EQ(logged.logs.size(), 1u);
  EXPECT_EQ(logged.logs[0].text, "hello");
  EXPECT_EQ(logged.logs[0].level, SEAM_LOG_INFO);

  host.call(p->steps.at("secret"), nullptr, R"({"value":"pw-123"})", CallLimits{});
  EXPECT_EQ(secrets.mask("x pw-123 y"), "x *** y");
}

// A large output comes with room past its text, zeroed, so that the core's
// reader reads it in place (seam::json_source); a small one is copied as it
// is.
TEST(PluginHostLoad, ALargeOutputHasRoomToBeReadInPlace) {
  Secrets secrets;
  PluginHost host({probe_dir()}, secrets);
  const LoadedPlugin *p = host.find("probe");
  ASSERT_NE(p, nullptr);
  std::string big = json{{"text", std::string(10000, 'x')}}.dump();
  CallResult large = host.call(p->steps.at("echo"), nullptr, big, CallLimits{});
  ASSERT_TRUE(large.ok());
  json want = {{"input", json::parse(big)}};
  EXPECT_EQ(json::parse(large.output), want);
  ASSERT_GE(large.output.capacity() - large.output.size(), json_read_padding);
  EXPECT_TRUE(json_source(large.output).in_place());
  EXPECT_EQ(std::string(large.output.data() + large.output.size(), json_read_padding),
            std::string(json_read_padding, '\0'));

  CallResult small = host.call(p->steps.at("echo"), nullptr, R"({"a":1})", CallLimits{});
  ASSERT_TRUE(small.ok());
  EXPECT_FALSE(json_source(small.output).in_place());
}

TEST(PluginHostLoad, MissingFileIsRefused) {
  Secrets secrets;
  PluginHost host({}, secrets);
  try {
    host.load_file("/nonexistent/seam-x.so");
    FAIL() << "expected PluginError";
  } catch (const PluginError &e) {
    EXPECT_STREQ(e.what(), "cannot load plugin /nonexistent/seam-x.so: no such file");
  }
}

} // namespace
} // namespace seam

namespace seam {
namespace {

TEST(PluginHostKinds, KindsOfAPluginAndTheirDefault) {
  Secrets secrets;
  PluginHost host({std::filesystem::path(SEAM_PROBE_PATH).parent_path().string()}, secrets);
  const LoadedPlugin *p = host.find("kinds");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->kinds.size(), 3u);
  EXPECT_EQ(p->kind_list(), "(default), mock, webhook");
  EXPECT_EQ(p->default_kind(), &p->kinds[0]);
  ASSERT_NE(p->kind("mock"), nullptr);
  EXPECT_NE(p->kind("mock")->type.test_begin, nullptr);
  EXPECT_EQ(p->kind("webhook")->type.test_begin, nullptr);
  EXPECT_EQ(p->kind("nope"), nullptr);
  EXPECT_EQ(p->steps.at("call").kind, &p->kinds[0]); // resource_kind NULL: the first kind
  EXPECT_EQ(p->steps.at("mocked").kind, p->kind("mock"));
  EXPECT_EQ(p->steps.at("down").kind, nullptr); // works on no resource
  // One kind with a name is also the default.
  const LoadedPlugin *solo = host.find("solo");
  ASSERT_NE(solo, nullptr);
  ASSERT_EQ(solo->kinds.size(), 1u);
  EXPECT_EQ(solo->default_kind(), &solo->kinds[0]);
  EXPECT_EQ(solo->kinds[0].name, "only");
}

TEST(PluginHostKinds, UnavailableIsAStatus) {
  Secrets secrets;
  PluginHost host({std::filesystem::path(SEAM_PROBE_PATH).parent_path().string()}, secrets);
  const LoadedPlugin *kinds = host.find("kinds");
  ASSERT_NE(kinds, nullptr);
  CallResult down = host.call(kinds->steps.at("down"), nullptr, "{}", CallLimits{});
  EXPECT_EQ(down.status, CallStatus::Unavailable);
  EXPECT_EQ(down.error, "kinds: the service is down");
  // From a 1.2 plugin the old "unavailable:" prefix is only text (plugins
  // built for 1.0 and 1.1 keep their meaning: tests/abi/old_abi.sh).
  const LoadedPlugin *probe = host.find("probe");
  ASSERT_NE(probe, nullptr);
  CallResult old = host.call(probe->steps.at("fail"), nullptr,
                             R"({"message":"unavailable:  gone"})", CallLimits{});
  EXPECT_EQ(old.status, CallStatus::Error);
  EXPECT_EQ(old.error, "unavailable:  gone");
  CallResult plain = host.call(probe->steps.at("fail"), nullptr,
                               R"({"message":"the service said unavailable: no"})", CallLimits{});
  EXPECT_EQ(plain.status, CallStatus::Error);
  // The output built with output_* is the call's output.
  CallResult built =
      host.call(probe->steps.at("count"), nullptr, R"({"key":"built"})", CallLimits{});
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(json::parse(built.output), json({{"count", 1}}));
}

} // namespace
} // namespace seam
