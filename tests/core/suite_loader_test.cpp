// The TOML suite loader: every field it reads, and every problem it reports
// with the line and column of the offending key or value.
#include "seam/core/load/suite_loader.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <set>

#include <algorithm>

namespace seam {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<LoadedSuite> load(const std::string &text, const std::string &path = "s.toml") {
  return std::make_unique<LoadedSuite>(path, text);
}

std::string all_messages(const std::vector<Diagnostic> &errors) {
  std::string s;
  for (const auto &e : errors)
    s +=
        "\n  " + e.loc.str() + ": " + e.message + (e.hint.empty() ? "" : " [hint: " + e.hint + "]");
  return s;
}

// Loads text that must be free of errors.
std::unique_ptr<LoadedSuite> load_ok(const std::string &text) {
  auto l = load(text);
  EXPECT_TRUE(l->errors.empty()) << all_messages(l->errors);
  return l;
}

// The one error whose message contains `needle` (fails the test otherwise).
Diagnostic error_with(const std::vector<Diagnostic> &errors, const std::string &needle) {
  std::vector<Diagnostic> found;
  for (const auto &e : errors)
    if (e.message.find(needle) != std::string::npos)
      found.push_back(e);
  EXPECT_EQ(found.size(), 1u) << "errors containing '" << needle << "':" << all_messages(errors);
  return found.empty() ? Diagnostic{} : found.front();
}

// An error's message at its location, "line:col: message".
std::string at(const Diagnostic &d) {
  return std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " + d.message;
}

const VarDef *var(const Suite &s, const std::string &name) {
  for (const auto &v : s.vars)
    if (v.name == name)
      return &v;
  ADD_FAILURE() << "no variable " << name;
  return nullptr;
}

const Expectation *expectation(const StepDef &s, const std::string &path) {
  for (const auto &e : s.expect)
    if (e.path_text() == path)
      return &e;
  ADD_FAILURE() << "no expectation on " << path;
  return nullptr;
}

// A suite that uses every field the loader knows.
const char *kFull = R"([suite]
name = "Orders"
tags = ["orders", "smoke"]
description = "order processing"
step_timeout = "5s"

[vars]
base = "${env.ORDER_URL:-http://127.0.0.1:8080}"
count = 3
api_key = { env = "STRIPE_KEY", secret = true }
token = { value = "abc", secret = true }
region = { env = "REGION", default = "eu" }
plain = { a = 1, b = "x" }

[resources.db]
plugin = "probe"
tag = "t-${base}"
log = "/tmp/log"

[resources.other]
plugin = "probe"

[[setup]]
name = "prepare"
use = "probe.noop"
on = "db"
description = "first"

[[test]]
name = "create user"
tags = ["users"]
timeout = "1.5s"
description = "the happy path"

[[test.steps]]
name = "POST /users"
use = "probe.echo"
with = { url = "${base}/users", n = 1, list = [1, "${count}"] }
expect = { status = 201, "json.id" = { matches = "^usr_" } }
save = { user_id = "json.id", first = "json.items[0]" }
timeout = "250ms"
retry = { attempts = 10, interval = "200ms", backoff = 1.5 }

[[test.steps]]
use = "probe.count"
with = { key = "k" }
[test.steps.expect]
json.id = 1
count = { gt = 0, lt = 10 }
error = { matches = "refused" }

[[test.cleanup]]
use = "probe.noop"

[[test.cleanup]]
name = "second cleanup"
use = "probe.echo"

[[test]]
name = "later"
skip = "not ready yet"

[[test.steps]]
use = "probe.noop"
expect = { error = true }

[[test]]
name = "skipped plainly"
skip = true
steps = []

[[teardown]]
use = "probe.noop"
timeout = "2m"
)";

TEST(SuiteLoader, ReadsTheSuiteTable) {
  auto l = load_ok(kFull);
  const Suite &s = l->suite;
  EXPECT_EQ(s.name, "Orders");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"orders", "smoke"}));
  ASSERT_TRUE(s.step_timeout.has_value());
  EXPECT_EQ(*s.step_timeout, 5s);
  EXPECT_EQ(s.file->path, "s.toml");
  EXPECT_EQ(s.loc.str(), "s.toml:1:1");
  EXPECT_EQ(s.step_count(), 1u + 2 + 2 + 1 + 0 + 1);
}

TEST(SuiteLoader, ReadsVariables) {
  auto l = load_ok(kFull);
  const Suite &s = l->suite;
  ASSERT_EQ(s.vars.size(), 6u);

  const VarDef *base = var(s, "base");
  ASSERT_NE(base, nullptr);
  EXPECT_FALSE(base->value.is_constant());
  EXPECT_FALSE(base->secret);
  EXPECT_FALSE(base->env.has_value());
  EXPECT_EQ(base->loc.str(), "s.toml:8:1");

  const VarDef *count = var(s, "count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->value.constant_value(), 3);

  const VarDef *api_key = var(s, "api_key");
  ASSERT_NE(api_key, nullptr);
  EXPECT_TRUE(api_key->secret);
  EXPECT_EQ(api_key->env, "STRIPE_KEY");
  // No default: the runner must insist on the environment variable.
  EXPECT_TRUE(api_key->value.is_constant());
  EXPECT_TRUE(api_key->value.constant_value().is_discarded());

  const VarDef *token = var(s, "token");
  ASSERT_NE(token, nullptr);
  EXPECT_TRUE(token->secret);
  EXPECT_FALSE(token->env.has_value());
  EXPECT_EQ(token->value.constant_value(), "abc");

  const VarDef *region = var(s, "region");
  ASSERT_NE(region, nullptr);
  EXPECT_FALSE(region->secret);
  EXPECT_EQ(region->env, "REGION");
  EXPECT_EQ(region->value.constant_value(), "eu");

  // A table that is not an env/secret form is a plain value.
  const VarDef *plain = var(s, "plain");
  ASSERT_NE(plain, nullptr);
  EXPECT_FALSE(plain->env.has_value());
  EXPECT_EQ(plain->value.constant_value(), json({{"a", 1}, {"b", "x"}}));
}

TEST(SuiteLoader, ReadsResources) {
  auto l = load_ok(kFull);
  const Suite &s = l->suite;
  ASSERT_EQ(s.resources.size(), 2u);
  const ResourceDef &db = s.resources[0].name == "db" ? s.resources[0] : s.resources[1];
  EXPECT_EQ(db.name, "db");
  EXPECT_EQ(db.plugin, "probe");
  EXPECT_EQ(db.plugin_loc.str(), "s.toml:16:10");
  EXPECT_FALSE(db.config.is_constant());
  json shape = db.config.shape();
  EXPECT_FALSE(shape.contains("plugin"));
  EXPECT_TRUE(shape["tag"].is_discarded());
  EXPECT_EQ(shape["log"], "/tmp/log");
  const ResourceDef &other = s.resources[0].name == "db" ? s.resources[1] : s.resources[0];
  EXPECT_EQ(other.config.constant_value(), json::object());
}

TEST(SuiteLoader, ReadsSetupAndTeardown) {
  auto l = load_ok(kFull);
  const Suite &s = l->suite;
  ASSERT_EQ(s.setup.size(), 1u);
  const StepDef &prep = s.setup[0];
  EXPECT_EQ(prep.name, "prepare");
  EXPECT_EQ(prep.use, "probe.noop");
  EXPECT_EQ(prep.plugin_name(), "probe");
  EXPECT_EQ(prep.step_name(), "noop");
  EXPECT_EQ(prep.on, "db");
  EXPECT_EQ(prep.use_loc.str(), "s.toml:25:7");
  EXPECT_EQ(prep.on_loc.str(), "s.toml:26:6");
  EXPECT_TRUE(prep.with.is_constant());
  EXPECT_EQ(prep.with.constant_value(), json::object());
  EXPECT_FALSE(prep.timeout.has_value());
  EXPECT_EQ(prep.retry.attempts, 1);

  ASSERT_EQ(s.teardown.size(), 1u);
  EXPECT_EQ(s.teardown[0].name, "probe.noop"); // the `use` when unnamed
  ASSERT_TRUE(s.teardown[0].timeout.has_value());
  EXPECT_EQ(*s.teardown[0].timeout, 2min);
}

TEST(SuiteLoader, ReadsTests) {
  auto l = load_ok(kFull);
  const Suite &s = l->suite;
  ASSERT_EQ(s.tests.size(), 3u);
  const TestDef &t = s.tests[0];
  EXPECT_EQ(t.name, "create user");
  EXPECT_EQ(t.tags, std::vector<std::string>{"users"});
  ASSERT_TRUE(t.timeout.has_value());
  EXPECT_EQ(*t.timeout, 1500ms);
  EXPECT_FALSE(t.skip);
  ASSERT_EQ(t.steps.size(), 2u);
  ASSERT_EQ(t.cleanup.size(), 2u);
  EXPECT_EQ(t.cleanup[0].name, "probe.noop");
  EXPECT_EQ(t.cleanup[1].name, "second cleanup");

  EXPECT_TRUE(s.tests[1].skip);
  EXPECT_EQ(s.tests[1].skip_reason, "not ready yet");
  EXPECT_TRUE(s.tests[2].skip);
  EXPECT_EQ(s.tests[2].skip_reason, "");
  EXPECT_TRUE(s.tests[2].steps.empty());
}

TEST(SuiteLoader, ReadsEveryStepField) {
  auto l = load_ok(kFull);
  const StepDef &st = l->suite.tests[0].steps[0];
  EXPECT_EQ(st.name, "POST /users");
  EXPECT_EQ(st.use, "probe.echo");
  EXPECT_FALSE(st.on.has_value());
  EXPECT_EQ(st.loc.line, 35u);

  EXPECT_FALSE(st.with.is_constant());
  json shape = st.with.shape();
  EXPECT_TRUE(shape["url"].is_discarded());
  EXPECT_EQ(shape["n"], 1);
  EXPECT_EQ(shape["list"][0], 1);
  EXPECT_TRUE(shape["list"][1].is_discarded());
  EXPECT_EQ(st.with_loc.str(), "s.toml:38:8");

  ASSERT_EQ(st.expect.size(), 2u);
  const Expectation *status = expectation(st, "status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->matcher.checks.at(0).op, Op::Eq);
  EXPECT_EQ(status->matcher.checks.at(0).operand.constant_value(), 201);
  const Expectation *id = expectation(st, "json.id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->matcher.checks.at(0).op, Op::Matches);
  EXPECT_EQ(id->path.segments().size(), 2u);
  EXPECT_FALSE(st.expect_error);
  EXPECT_FALSE(st.expect_any_error);

  ASSERT_EQ(st.save.size(), 2u);
  std::map<std::string, std::string> saves;
  for (const auto &sv : st.save)
    saves[sv.var] = sv.path.text();
  EXPECT_EQ(saves, (std::map<std::string, std::string>{{"user_id", "json.id"},
                                                       {"first", "json.items[0]"}}));

  ASSERT_TRUE(st.timeout.has_value());
  EXPECT_EQ(*st.timeout, 250ms);
  EXPECT_EQ(st.retry.attempts, 10);
  EXPECT_EQ(st.retry.interval, 200ms);
  EXPECT_DOUBLE_EQ(st.retry.backoff, 1.5);
}

TEST(SuiteLoader, ExpectTableWithDottedKeys) {
  auto l = load_ok(kFull);
  const StepDef &st = l->suite.tests[0].steps[1];
  EXPECT_EQ(st.name, "probe.count");
  ASSERT_EQ(st.expect.size(), 2u);
  const Expectation *id = expectation(st, "json.id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->matcher.checks.at(0).op, Op::Eq);
  EXPECT_EQ(id->matcher.checks.at(0).operand.constant_value(), 1);
  const Expectation *count = expectation(st, "count");
  ASSERT_NE(count, nullptr);
  ASSERT_EQ(count->matcher.checks.size(), 2u);
  EXPECT_EQ(count->matcher.checks[0].op, Op::Gt);
  EXPECT_EQ(count->matcher.checks[1].op, Op::Lt);
  ASSERT_TRUE(st.expect_error);
  EXPECT_EQ(st.expect_error->checks.at(0).op, Op::Matches);

  EXPECT_TRUE(l->suite.tests[1].steps.at(0).expect_any_error);
}

TEST(SuiteLoader, InlineDottedAndQuotedExpectKeysAreTheSame) {
  auto l = load_ok(R"([[test]]
name = "t"
[[test.steps]]
use = "p.s"
expect = { json.user.id = 1, "json.user.name" = "x", json.tags = { len = 2 } }
)");
  const StepDef &st = l->suite.tests[0].steps[0];
  std::vector<std::string> paths;
  for (const auto &e : st.expect)
    paths.push_back(e.path_text());
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"json.tags", "json.user.id", "json.user.name"}));
}

// Equal expect tables compile once and the steps share the compiled copy;
// a table that differs, holds a reference or has an error gets its own.
TEST(SuiteLoader, EqualExpectTablesAreShared) {
  auto l = load_ok(R"([suite]
name = "s"
[[test]]
name = "t"
[[test.steps]]
use = "p.a"
expect = { status = 200, "json.id" = { matches = "^u" } }
[[test.steps]]
use = "p.b"
expect = {"json.id"={matches="^u"},status=200}
[[test.steps]]
use = "p.c"
expect = { status = "200", "json.id" = { matches = "^u" } }
[[test.steps]]
use = "p.d"
expect = { status = 200.0, "json.id" = { matches = "^u" } }
[[test.steps]]
use = "p.e"
expect = { status = "${run.id}", "json.id" = { matches = "^u" } }
[[test.steps]]
use = "p.f"
expect = { status = "${run.id}", "json.id" = { matches = "^u" } }
)");
  const auto &steps = l->suite.tests[0].steps;
  ASSERT_EQ(steps.size(), 6u);
  for (const auto &st : steps)
    ASSERT_EQ(st.expect.size(), 2u) << st.use;
  EXPECT_EQ(steps[0].expect.begin(), steps[1].expect.begin()); // spacing and order aside
  EXPECT_NE(steps[0].expect.begin(), steps[2].expect.begin()); // "200" is not 200
  EXPECT_NE(steps[0].expect.begin(), steps[3].expect.begin()); // 200.0 is not 200
  EXPECT_NE(steps[2].expect.begin(), steps[3].expect.begin());
  // A reference keeps the location it is written at: never shared.
  EXPECT_NE(steps[4].expect.begin(), steps[5].expect.begin());
  const Expectation *e = expectation(steps[5], "status");
  ASSERT_NE(e, nullptr);
  std::vector<Ref> refs;
  e->matcher.checks.at(0).operand.for_each_ref([&](const Ref &r) { refs.push_back(r); });
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].loc.line, 22u);
}

TEST(SuiteLoader, AnErrorInARepeatedExpectTableIsReportedAtEachStep) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "p.a"
expect = { body = { matchs = "x" } }
[[test.steps]]
use = "p.b"
expect = { body = { matchs = "x" } }
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  EXPECT_EQ(got, (std::vector<std::string>{"5:19: unknown matcher 'matchs'",
                                           "8:19: unknown matcher 'matchs'"}))
      << all_messages(l->errors);
}

TEST(SuiteLoader, StepIdsAreUnique) {
  auto l = load_ok(kFull);
  const Suite &s = l->suite;
  std::vector<size_t> ids;
  for (const auto &st : s.setup)
    ids.push_back(st.id);
  for (const auto &t : s.tests) {
    for (const auto &st : t.steps)
      ids.push_back(st.id);
    for (const auto &st : t.cleanup)
      ids.push_back(st.id);
  }
  for (const auto &st : s.teardown)
    ids.push_back(st.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(SuiteLoader, NameDefaultsToTheFileName) {
  auto l = std::make_unique<LoadedSuite>("dir/sub/checkout.toml", "");
  EXPECT_TRUE(l->errors.empty()) << all_messages(l->errors);
  EXPECT_EQ(l->suite.name, "checkout.toml");
  EXPECT_TRUE(l->suite.tests.empty());
}

TEST(SuiteLoader, Durations) {
  auto l = load_ok(R"([[test]]
name = "t"
timeout = "2m"
[[test.steps]]
use = "p.a"
timeout = "250ms"
[[test.steps]]
use = "p.b"
timeout = "1.5s"
[[test.steps]]
use = "p.c"
timeout = "750us"
[[test.steps]]
use = "p.d"
timeout = "1h"
retry = { attempts = 2, interval = "0.25s", backoff = 2 }
)");
  const TestDef &t = l->suite.tests[0];
  EXPECT_EQ(t.timeout, Micros(2min));
  EXPECT_EQ(t.steps[0].timeout, Micros(250ms));
  EXPECT_EQ(t.steps[1].timeout, Micros(1500ms));
  EXPECT_EQ(t.steps[2].timeout, Micros(750us));
  EXPECT_EQ(t.steps[3].timeout, Micros(1h));
  EXPECT_EQ(t.steps[3].retry.interval, 250ms);
  EXPECT_DOUBLE_EQ(t.steps[3].retry.backoff, 2.0);
}

TEST(SuiteLoader, BadDurationsAreRejectedWithTheirLocation) {
  auto l = load(R"([suite]
step_timeout = 5
[[test]]
name = "t"
timeout = "fast"
[[test.steps]]
use = "p.a"
timeout = "10"
retry = { interval = "1.5.5s" }
[[test.steps]]
use = "p.b"
timeout = "-1s"
)");
  ASSERT_EQ(l->errors.size(), 5u) << all_messages(l->errors);
  EXPECT_EQ(at(error_with(l->errors, "'step_timeout'")),
            "2:16: bad duration for 'step_timeout' in [suite]: an integer has no unit");
  EXPECT_EQ(at(error_with(l->errors, "'fast'")),
            "5:11: bad duration 'fast' for 'timeout' in a test");
  EXPECT_EQ(at(error_with(l->errors, "'10'")), "8:11: bad duration '10' for 'timeout' in a step");
  EXPECT_EQ(at(error_with(l->errors, "'1.5.5s'")),
            "9:22: bad duration '1.5.5s' for 'interval' in retry");
  EXPECT_EQ(at(error_with(l->errors, "'-1s'")),
            "12:11: bad duration '-1s' for 'timeout' in a step");
  EXPECT_EQ(error_with(l->errors, "'fast'").hint,
            "write a duration with a unit: \"500ms\", \"2s\", \"1.5s\", \"1m\"");
}

TEST(SuiteLoader, DurationWithASpaceIsRejected) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "p.c"
timeout = "2 s"
)");
  ASSERT_EQ(l->errors.size(), 1u) << all_messages(l->errors);
  EXPECT_EQ(at(l->errors[0]), "5:11: bad duration '2 s' for 'timeout' in a step");
}

TEST(SuiteLoader, RetryErrors) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "p.a"
retry = { attempts = 0 }
[[test.steps]]
use = "p.b"
retry = { attempts = "3", backoff = 0.5 }
[[test.steps]]
use = "p.c"
retry = { atempts = 3 }
[[test.steps]]
use = "p.d"
retry = 3
)");
  EXPECT_EQ(l->errors.size(), 5u) << all_messages(l->errors);
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  std::vector<std::string> want{
      "11:11: unknown key 'atempts' in retry", "14:9: 'retry' must be a table",
      "5:22: retry.attempts must be a whole number from 1 to 1000000",
      "8:22: retry.attempts must be a whole number from 1 to 1000000",
      "8:37: retry.backoff must be a number from 1 to 100 (the factor the interval grows by)"};
  EXPECT_EQ(got, want);
  EXPECT_EQ(error_with(l->errors, "atempts").hint, "did you mean 'attempts'?");
}

TEST(SuiteLoader, UnknownKeysWithDidYouMean) {
  auto l = load(R"([suite]
nmae = "x"
[vars]
anything_goes = 1
[[tset]]
name = "t"
[[test]]
name = "t"
tgas = ["a"]
[[test.steps]]
use = "p.a"
expcet = { status = 200 }
)");
  ASSERT_EQ(l->errors.size(), 4u) << all_messages(l->errors);
  Diagnostic d = error_with(l->errors, "'nmae'");
  EXPECT_EQ(at(d), "2:1: unknown key 'nmae' in [suite]");
  EXPECT_EQ(d.hint, "did you mean 'name'?");
  d = error_with(l->errors, "'tset'");
  EXPECT_EQ(at(d), "5:3: unknown key 'tset' in the suite file");
  EXPECT_EQ(d.hint, "did you mean 'test'?");
  d = error_with(l->errors, "'tgas'");
  EXPECT_EQ(at(d), "9:1: unknown key 'tgas' in a test");
  EXPECT_EQ(d.hint, "did you mean 'tags'?");
  d = error_with(l->errors, "'expcet'");
  EXPECT_EQ(at(d), "12:1: unknown key 'expcet' in a step");
  EXPECT_EQ(d.hint, "did you mean 'expect'?");
}

TEST(SuiteLoader, UnknownKeyFarFromAnyListsTheAllowedKeys) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "p.a"
completely_unrelated = 1
)");
  ASSERT_EQ(l->errors.size(), 1u) << all_messages(l->errors);
  EXPECT_EQ(at(l->errors[0]), "5:1: unknown key 'completely_unrelated' in a step");
  EXPECT_EQ(l->errors[0].hint,
            "allowed keys: name, use, on, with, expect, save, timeout, retry, description");
}

TEST(SuiteLoader, WrongTypes) {
  auto l = load(R"([[test]]
name = "t"
tags = "smoke"
skip = 5
[[test.steps]]
use = 5
[[test.steps]]
use = "p.a"
name = ["x"]
on = 1
with = "url"
expect = 200
save = ["id"]
[[test.steps]]
use = "p.b"
save = { id = 5, other = "json..x" }
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  std::vector<std::string> want{
      "10:6: 'on' in a step must be a string, not an integer",
      "11:8: 'with' must be a table of inputs, not a string",
      "12:10: 'expect' must be a table of PATH = value-or-matcher, not an integer",
      "13:8: 'save' must be a table of NAME = \"PATH\"",
      "16:15: save 'id' must be a path string into the step's output, not an integer",
      "16:26: bad path 'json..x' in save: empty segment in path",
      "3:8: 'tags' in a test must be an array of strings",
      "4:8: 'skip' must be true or a reason string",
      "6:7: 'use' in a step must be a string, not an integer",
      "9:8: 'name' in a step must be a string, not an array",
  };
  EXPECT_EQ(got, want) << all_messages(l->errors);
}

TEST(SuiteLoader, TagsMustBeStrings) {
  auto l = load(R"([suite]
tags = ["ok", 3]
)");
  ASSERT_EQ(l->errors.size(), 1u) << all_messages(l->errors);
  EXPECT_EQ(at(l->errors[0]), "2:15: tags must be strings, not an integer");
  EXPECT_EQ(l->suite.tags, std::vector<std::string>{"ok"});
}

TEST(SuiteLoader, UseMustNamePluginAndStep) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "noop"
[[test.steps]]
use = ".noop"
[[test.steps]]
use = "probe."
[[test.steps]]
name = "no use"
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "4:7: 'use' must name a step as PLUGIN.STEP, not 'noop'",
                     "6:7: 'use' must name a step as PLUGIN.STEP, not '.noop'",
                     "8:7: 'use' must name a step as PLUGIN.STEP, not 'probe.'",
                     "9:1: step has no 'use'",
                 }));
}

TEST(SuiteLoader, DuplicateTestNames) {
  auto l = load(R"([[test]]
name = "same"
steps = []
[[test]]
name = "other"
steps = []
[[test]]
  name = "same"
  steps = []
)");
  ASSERT_EQ(l->errors.size(), 1u) << all_messages(l->errors);
  EXPECT_EQ(at(l->errors[0]), "8:10: two tests are named 'same'");
  EXPECT_EQ(l->errors[0].hint, "test names identify tests in reports; make them unique");
}

TEST(SuiteLoader, TestWithoutNameOrSteps) {
  auto l = load(R"([[test]]
tags = []

[[test]]
name = "lonely"
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  EXPECT_EQ(got, (std::vector<std::string>{"1:1: test has no name", "1:1: test '' has no steps",
                                           "4:1: test 'lonely' has no steps"}))
      << all_messages(l->errors);
}

TEST(SuiteLoader, StructureErrors) {
  auto l = load(R"(suite = 1
vars = 2
resources = 3
test = 4
setup = { use = "p.a" }
teardown = [1]
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "1:9: 'suite' must be a table ([suite])",
                     "2:8: 'vars' must be a table ([vars])",
                     "3:13: 'resources' must be a table of [resources.NAME] tables",
                     "4:8: 'test' must be an array of tables ([[test]])",
                     "5:9: 'setup' must be an array of tables ([[setup]])",
                     "6:13: each [[teardown]] must be a table, not an integer",
                 }));
}

TEST(SuiteLoader, ResourceErrors) {
  auto l = load(R"([resources]
db = 5
[resources.api]
url = "http://x"
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"2:6: resource 'db' must be a table ([resources.db])",
                                           "3:1: resource 'api' has no 'plugin'"}))
      << all_messages(l->errors);
}

TEST(SuiteLoader, VariableFormErrors) {
  auto l = load(R"([vars]
both = { env = "A", value = "b" }
neither = { secret = true }
lonely_default = { value = "v", default = "d" }
bad_secret = { env = "B", secret = "yes" }
default_only = { default = "d", secret = false }
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "2:29: variable 'both' has both 'env' and 'value'",
                     "3:1: variable 'neither' needs 'env' or 'value'",
                     // `default` is only read with `env`; beside `value` it would be ignored.
                     "4:43: 'default' goes with 'env' in variable 'lonely_default'",
                     "5:36: 'secret' must be true or false",
                     "6:28: 'default' goes with 'env' in variable 'default_only'",
                 }))
      << all_messages(l->errors);
}

TEST(SuiteLoader, ExpectErrors) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "p.a"
expect = { "json..id" = 1, json.name = { matchs = "x" } }
[[test.steps]]
use = "p.b"
expect = { json = { gt = 1, id = 2 }, body = { matches = "(" } }
[[test.steps]]
use = "p.c"
expect = { error = false }
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  ASSERT_EQ(got.size(), 5u) << all_messages(l->errors);
  EXPECT_EQ(got[0], "11:20: expect.error = false is the default; leave it out");
  EXPECT_EQ(got[1], "5:12: bad path 'json..id' in expect: empty segment in path");
  EXPECT_EQ(got[2], "5:40: unknown matcher 'matchs'");
  EXPECT_EQ(got[3], "8:19: matcher table mixes operators with the key 'id'");
  EXPECT_EQ(got[4].rfind("8:46: bad regular expression \"(\"", 0), 0u) << got[4];
}

TEST(SuiteLoader, InterpolationErrorsPointIntoTheString) {
  auto l = load(R"([[test]]
name = "t"
[[test.steps]]
use = "p.a"
with = { url = "x${", id = "${a b}" }
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"5:18: unterminated '${' in string",
                                           "5:29: bad reference '${a b}'"}))
      << all_messages(l->errors);
}

TEST(SuiteLoader, EveryErrorIsCollected) {
  auto l = load(R"([suite]
nmae = "x"
step_timeout = "soon"
[[test]]
name = "t"
[[test.steps]]
use = "x"
)");
  EXPECT_EQ(l->errors.size(), 3u) << all_messages(l->errors);
}

TEST(SuiteLoader, TomlSyntaxErrorThrowsWithLocation) {
  try {
    LoadedSuite l("bad.toml", "[suite]\nname = \"x\nfoo = 1\n");
    FAIL() << "expected SuiteErrors";
  } catch (const SuiteErrors &e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    const Diagnostic &d = e.diagnostics()[0];
    EXPECT_EQ(d.message.rfind("invalid TOML: ", 0), 0u) << d.message;
    EXPECT_EQ(d.loc.file->path, "bad.toml");
    EXPECT_EQ(d.loc.line, 2u);
    EXPECT_GT(d.loc.col, 0u);
    // An unclosed string is named as such, not as toml++'s "control character".
    EXPECT_EQ(d.message,
              "invalid TOML: unterminated string: the line ends before its closing quote");
    EXPECT_NE(d.hint.find("multi-line string"), std::string::npos) << d.hint;
  }
  try {
    LoadedSuite l("bad.toml", "[suite]\nname = = 1\n");
    FAIL() << "expected SuiteErrors";
  } catch (const SuiteErrors &e) {
    EXPECT_EQ(e.diagnostics().at(0).hint, "see https://toml.io for the syntax");
  }
}

TEST(SuiteLoader, LoadSuiteTextThrowsEveryError) {
  try {
    load_suite_text("x.toml", "[suite]\nnmae = 1\ntgas = 2\n");
    FAIL() << "expected SuiteErrors";
  } catch (const SuiteErrors &e) {
    EXPECT_EQ(e.diagnostics().size(), 2u);
    EXPECT_STREQ(e.what(), "x.toml:2:1: unknown key 'nmae' in [suite]");
  }
  Suite s = load_suite_text("ok.toml", "[suite]\nname = \"fine\"\n");
  EXPECT_EQ(s.name, "fine");
}

TEST(SuiteLoader, MissingFile) {
  try {
    load_suite("/nonexistent/dir/suite.toml");
    FAIL() << "expected SuiteErrors";
  } catch (const SuiteErrors &e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].loc.str(), "/nonexistent/dir/suite.toml");
    EXPECT_EQ(e.diagnostics()[0].message, "cannot read suite file: No such file or directory");
  }
}

// The runner finds a step's plan by its place in its list (a test's steps
// or cleanup, the setup, the teardown): each list's steps are numbered one
// after another, also when the TOML interleaves the lists and when a test
// is copied for each of its cases.
TEST(SuiteLoader, EachListOfStepsIsNumberedInOrder) {
  auto l = load_ok(R"([[setup]]
use = "probe.noop"

[[setup]]
use = "probe.noop"

[[test]]
name = "mixed"

[[test.steps]]
use = "probe.noop"

[[test.cleanup]]
use = "probe.noop"

[[test.steps]]
use = "probe.noop"

[[test.cleanup]]
use = "probe.noop"

[[test.steps]]
use = "probe.noop"

[[test]]
name = "square"
cases = [ { n = 2 }, { n = 3 }, { n = 4 } ]

[[test.steps]]
use = "probe.noop"
with = { n = "${case.n}" }

[[test.steps]]
use = "probe.noop"

[[test.cleanup]]
use = "probe.noop"

[[test.cleanup]]
use = "probe.noop"

[[teardown]]
use = "probe.noop"

[[teardown]]
use = "probe.noop"
)");
  const Suite &s = l->suite;
  std::set<size_t> ids;
  auto in_order = [&](const std::vector<StepDef> &steps, const std::string &what) {
    for (size_t i = 0; i < steps.size(); ++i) {
      EXPECT_EQ(steps[i].id, steps.front().id + i) << what << " step " << i;
      EXPECT_TRUE(ids.insert(steps[i].id).second) << what << ": id " << steps[i].id << " twice";
    }
  };
  in_order(s.setup, "setup");
  ASSERT_EQ(s.tests.size(), 4u); // "mixed" and three cases
  for (const auto &t : s.tests) {
    in_order(t.steps, t.name + " steps");
    in_order(t.cleanup, t.name + " cleanup");
  }
  EXPECT_EQ(s.tests[0].steps.size(), 3u);
  EXPECT_EQ(s.tests[0].cleanup.size(), 2u);
  in_order(s.teardown, "teardown");
}

TEST(SuiteLoader, ADirectoryIsNoSuiteFile) {
  try {
    load_suite("/tmp");
    FAIL() << "expected SuiteErrors";
  } catch (const SuiteErrors &e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].loc.str(), "/tmp");
    EXPECT_EQ(e.diagnostics()[0].message, "cannot read suite file: Is a directory");
  }
}

TEST(SuiteLoader, LocateWith) {
  auto l = load_ok(R"([[test]]
name = "t"
[[test.steps]]
use = "p.a"
with = { headers = { accept = 5 }, list = [1, 2, "three"], top = "x" }
)");
  const StepDef &st = l->suite.tests[0].steps[0];
  using P = std::vector<std::variant<std::string, size_t>>;
  EXPECT_EQ(l->locate_with(st, P{std::string("headers"), std::string("accept")}).str(),
            "s.toml:5:31");
  EXPECT_EQ(l->locate_with(st, P{std::string("list"), size_t{2}}).str(), "s.toml:5:50");
  EXPECT_EQ(l->locate_with(st, P{std::string("top")}).str(), "s.toml:5:66");
  // A table points at its key; a missing member at the closest known node.
  EXPECT_EQ(l->locate_with(st, P{std::string("headers")}).str(), "s.toml:5:10");
  EXPECT_EQ(l->locate_with(st, P{std::string("headers"), std::string("nope")}).str(),
            "s.toml:5:10");
  EXPECT_EQ(l->locate_with(st, P{}).str(), "s.toml:5:8");

  l->release_source_tree();
  EXPECT_EQ(l->locate_with(st, P{std::string("top")}).str(), st.loc.str());
}

TEST(SuiteLoader, UnknownKeyInAVariableSpecIsAnError) {
  // Read as a plain table, these would silently lose `secret = true`.
  auto l = load(R"([vars]
pw = { value = "hunter2", secret = true, bogus = 1 }
typo = { value = "hunter2", secert = true }
plain = { value = 3, unit = "kg" }
)");
  std::vector<std::string> got;
  for (const auto &e : l->errors)
    got.push_back(at(e) + " | " + e.hint);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "2:42: unknown key 'bogus' in variable 'pw' | a variable table has env, value, "
                "default and secret",
                "3:29: unknown key 'secert' in variable 'typo' | did you mean 'secret'?",
            }))
      << all_messages(l->errors);
}

} // namespace
} // namespace seam
