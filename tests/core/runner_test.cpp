// The runner driven end to end through the C99 probe plugin: retries,
// deadlines, cleanup and teardown, --fail-fast, saves, expected errors,
// resources and secret masking, observed through a capturing reporter.
#include "seam/core/check/checker.hpp"
#include "seam/core/run/runner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace seam {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string plugin_dir() { return fs::path(SEAM_PROBE_PATH).parent_path().string(); }

// Keeps every event, in order.
class Capture : public Reporter {
public:
  // Off: no reporter wants inputs and outputs, so the runner takes its fast
  // paths (inputs written straight as text).
  bool io = true;
  bool wants_step_io() const override { return io; }
  void run_started(const RunInfo &info) override { run = info; }
  void test_started(const Suite &, const TestDef &t) override {
    events.push_back("test_started " + t.name);
  }
  void step_finished(const StepRecord &r) override {
    steps.push_back(r);
    events.push_back("step " + std::string(phase_name(r.phase)) + " " + r.name + " " +
                     std::string(status_name(r.status)));
  }
  void test_finished(const TestRecord &r) override {
    tests.push_back(r);
    events.push_back("test_finished " + r.name + " " + std::string(status_name(r.status)));
  }
  void suite_finished(const SuiteRecord &r) override { suites.push_back(r); }
  bool run_finished(const RunSummary &, std::string *) override {
    finished = true;
    return true;
  }

  RunInfo run;
  std::vector<StepRecord> steps;
  std::vector<TestRecord> tests;
  std::vector<SuiteRecord> suites;
  std::vector<std::string> events;
  bool finished = false;
};

std::string messages(const std::vector<Diagnostic> &errors) {
  std::string s;
  for (const auto &e : errors)
    s += "\n" + e.render();
  return s;
}

class RunnerTest : public ::testing::Test {
protected:
  void SetUp() override {
    host = std::make_unique<PluginHost>(std::vector<std::string>{plugin_dir()}, secrets);
  }

  // Loads, checks, prepares and runs suites (named t.toml, u.toml, ...) in
  // one run; wall_ms is the run's time.
  void run_all(const std::vector<std::string> &tomls, RunOptions opt = {}) {
    std::set<std::string> cli;
    for (const auto &[k, v] : opt.vars)
      cli.insert(k);
    std::vector<const SuitePlan *> suites;
    for (size_t i = 0; i < tomls.size(); ++i) {
      std::string path = std::string(1, static_cast<char>('t' + i)) + ".toml";
      loaded.push_back(std::make_unique<LoadedSuite>(path, tomls[i]));
      LoadedSuite &ls = *loaded.back();
      ASSERT_TRUE(ls.errors.empty()) << messages(ls.errors);
      std::vector<Diagnostic> errors;
      plans.push_back(std::make_unique<SuitePlan>());
      check_suite(ls, *host, cli, *plans.back(), errors);
      ASSERT_TRUE(errors.empty()) << messages(errors);
      suites.push_back(plans.back().get());
    }
    std::vector<Diagnostic> errors;
    Runner runner(*host, secrets, std::move(opt), {&cap}, interrupts);
    runner.prepare(suites, errors);
    ASSERT_TRUE(errors.empty()) << messages(errors);
    run_id = runner.run_id();
    auto t0 = Clock::now();
    summary = runner.run(nullptr);
    wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  }

  void run(const std::string &toml, RunOptions opt = {}) { run_all({toml}, std::move(opt)); }

  const StepRecord &step(const std::string &name) {
    const StepRecord *found = nullptr;
    for (const auto &s : cap.steps)
      if (s.name == name) {
        EXPECT_EQ(found, nullptr) << "two step records named " << name;
        found = &s;
      }
    if (!found) {
      ADD_FAILURE() << "no step record named " << name << "; events:" << events();
      static const StepRecord none;
      return none;
    }
    return *found;
  }

  const TestRecord &test(const std::string &name) {
    for (const auto &t : cap.tests)
      if (t.name == name)
        return t;
    ADD_FAILURE() << "no test record named " << name << "; events:" << events();
    static const TestRecord none;
    return none;
  }

  std::string events() const {
    std::string s;
    for (const auto &e : cap.events)
      s += "\n  " + e;
    return s;
  }

  Secrets secrets; // before host: the host refers to it
  std::unique_ptr<PluginHost> host;
  Interrupts interrupts;
  Capture cap;
  std::vector<std::unique_ptr<LoadedSuite>> loaded;
  std::vector<std::unique_ptr<SuitePlan>> plans;
  RunSummary summary;
  std::string run_id;
  double wall_ms = 0;
};

// Each test uses its own counter keys: the probe's counters live as long as
// the process.
std::string unique_key(const char *base) {
  static int n = 0;
  return std::string(base) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

std::string read_text(const fs::path &p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- passing, saving, interpolation ------------------------------------------

TEST_F(RunnerTest, PassingStepsRecordInputAndOutput) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "echo"
[[test.steps]]
name = "say"
use = "probe.echo"
with = { n = 1, s = "x" }
expect = { "input.n" = 1, input = { s = { matches = "^x$" } } }
)"));
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(summary.failed, 0u);
  EXPECT_TRUE(cap.finished);
  const StepRecord &r = step("say");
  EXPECT_EQ(r.status, Status::Passed);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.use, "probe.echo");
  EXPECT_EQ(r.phase, Phase::Test);
  EXPECT_EQ(r.test, "echo");
  EXPECT_EQ(r.location, "t.toml:3:1");
  EXPECT_EQ(r.input, json::parse(R"({"n": 1, "s": "x"})"));
  EXPECT_EQ(r.output, json::parse(R"({"input": {"n": 1, "s": "x"}})"));
  EXPECT_EQ(r.message, "");
  const TestRecord &t = test("echo");
  EXPECT_EQ(t.status, Status::Passed);
  EXPECT_EQ(t.id, run_id + "-1");
  EXPECT_EQ(t.location, "t.toml:1:1");
}

TEST_F(RunnerTest, SavedValuesKeepTheirTypeInLaterSteps) {
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
base = "http://h"

[[test]]
name = "save"
[[test.steps]]
name = "first"
use = "probe.echo"
with = { id = 42, obj = { k = [1, 2] } }
save = { id = "input.id", obj = "input.obj", last = "input.obj.k[-1]" }
[[test.steps]]
name = "second"
use = "probe.echo"
expect = { "input.id" = { type = "integer" }, "input.url" = "http://h/items/42" }
[test.steps.with]
id = "${id}"
url = "${base}/items/${id}"
k = "${obj.k}"
last = "${last}"
tid = "${test.id}"
rid = "${run.id}"
suite = "${suite.name}"
file = "${suite.file}"
tname = "${test.name}"
uuid = "${uuid}"
now = "${now}"
)"));
  EXPECT_EQ(summary.passed, 1u) << events();
  const StepRecord &r = step("second");
  EXPECT_EQ(r.input["id"], 42);
  EXPECT_TRUE(r.input["id"].is_number_integer());
  EXPECT_EQ(r.input["url"], "http://h/items/42");
  EXPECT_EQ(r.input["k"], json::array({1, 2}));
  EXPECT_EQ(r.input["last"], 2);
  EXPECT_EQ(r.input["tid"], test("save").id);
  EXPECT_EQ(r.input["rid"], run_id);
  EXPECT_EQ(r.input["suite"], "t.toml");
  EXPECT_EQ(r.input["file"], "t.toml");
  EXPECT_EQ(r.input["tname"], "save");
  auto uuid4 = Regex::compile(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", nullptr);
  EXPECT_TRUE(uuid4->search(r.input["uuid"].get<std::string>())) << r.input["uuid"];
  EXPECT_TRUE(Regex::compile(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)", nullptr)
                  ->search(r.input["now"].get<std::string>()))
      << r.input["now"];
}

TEST_F(RunnerTest, UndefinedEnvironmentReferenceIsRefusedBeforeTheRun) {
  // The environment is the run's: an unset ${env.X} without a default is
  // known before any step runs.
  ::unsetenv("SEAM_CORE_TEST_NOPE");
  LoadedSuite ls("t.toml", R"([[test]]
name = "t"
[[test.steps]]
name = "s"
use = "probe.echo"
with = { u = "${env.SEAM_CORE_TEST_NOPE}", d = "${env.SEAM_CORE_TEST_NOPE:-fine}" }
)");
  std::vector<Diagnostic> errors;
  SuitePlan plan;
  check_suite(ls, *host, {}, plan, errors);
  ASSERT_TRUE(errors.empty()) << messages(errors);
  Runner runner(*host, secrets, {}, {&cap}, interrupts);
  runner.prepare({&plan}, errors);
  ASSERT_EQ(errors.size(), 1u) << messages(errors);
  EXPECT_EQ(errors[0].loc.str(), "t.toml:6:15");
  EXPECT_EQ(errors[0].message, "environment variable SEAM_CORE_TEST_NOPE is not set");
  EXPECT_TRUE(cap.steps.empty());
}

// The checker remembers the input shapes that passed a step's schema, keyed
// by the step's target too: a shape that passed one step's schema is still
// checked against another's, and a shape that failed fails at every step.
TEST_F(RunnerTest, RepeatedInputShapesAreCheckedPerTargetAndEveryErrorIsReported) {
  LoadedSuite ls("t.toml", R"([[test]]
name = "t"
[[test.steps]]
use = "probe.echo"
with = { ms = 5, n = "${run.id}" }
[[test.steps]]
use = "probe.sleep"
with = { ms = 5, n = "${run.id}" }
[[test.steps]]
use = "probe.sleep"
with = { ms = 5 }
[[test.steps]]
use = "probe.sleep"
with = { ms = 5.5 }
[[test.steps]]
use = "probe.sleep"
with = { ms = 5, n = "${run.id}" }
)");
  ASSERT_TRUE(ls.errors.empty()) << messages(ls.errors);
  std::vector<Diagnostic> errors;
  SuitePlan plan;
  check_suite(ls, *host, {}, plan, errors);
  ASSERT_EQ(errors.size(), 3u) << messages(errors);
  EXPECT_EQ(errors[0].loc.line, 8u);
  EXPECT_NE(errors[0].message.find("unknown input 'n'"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].loc.line, 14u);
  EXPECT_NE(errors[1].message.find("ms"), std::string::npos) << errors[1].message;
  EXPECT_EQ(errors[2].loc.line, 17u);
  EXPECT_EQ(errors[2].message, errors[0].message);
  EXPECT_TRUE(plan.valid_shapes.empty()); // a memo of the check only
}

TEST_F(RunnerTest, SaveOfAMissingPathFailsTheStep) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "s"
use = "probe.echo"
with = { a = 1 }
save = { x = "input.nope" }
)"));
  const StepRecord &r = step("s");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.message, "save 'x': 'input.nope' is not in the step's output");
}

TEST_F(RunnerTest, ExpectMismatchIsRecorded) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "s"
use = "probe.echo"
with = { email = "c@d" }
expect = { "input.email" = "a@b" }
)"));
  EXPECT_EQ(summary.failed, 1u);
  const StepRecord &r = step("s");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.message, R"(input.email: expected "a@b", got "c@d")");
  EXPECT_EQ(r.failed_path, "input.email");
  EXPECT_EQ(r.expected, "a@b");
  EXPECT_EQ(r.actual, "c@d");
  EXPECT_EQ(test("t").message, R"(step 's' (t.toml:3:1): input.email: expected "a@b", got "c@d")");
}

TEST_F(RunnerTest, InputIsValidatedAfterInterpolation) {
  // From the environment, so only known at run time (a constant would be
  // refused by the check).
  ::unsetenv("SEAM_CORE_TEST_WAIT");
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
wait = { env = "SEAM_CORE_TEST_WAIT", default = "soon" }
[[test]]
name = "t"
[[test.steps]]
name = "s"
use = "probe.sleep"
with = { ms = "${wait}" }
)"));
  const StepRecord &r = step("s");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.message,
            R"(invalid input after interpolation: 'ms' must be an integer, not a string ("soon"))");
}

// Without a reporter that wants inputs, a checked member is rendered on its
// own and the rest written straight as text: the same check, the same
// message, and the values sent are the ones rendered.
TEST_F(RunnerTest, InputIsValidatedAfterInterpolationWithoutTrees) {
  cap.io = false;
  std::string key = unique_key("checked");
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
k = ")" + key + R"("
[[test]]
name = "counted"
[[test.steps]]
name = "one"
use = "probe.count"
with = { key = "${k}" }
expect = { count = 1 }
save = { n = "count" }
[[test.steps]]
name = "two"
use = "probe.count"
with = { key = ")" + key + R"(" }
expect = { count = 2 }
[[test.steps]]
name = "s"
use = "probe.count"
with = { key = "${n}" }
)"));
  EXPECT_EQ(step("two").status, Status::Passed) << events();
  const StepRecord &r = step("s");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.message,
            "invalid input after interpolation: 'key' must be a string, not an integer (1)");
}

// ---- retries -------------------------------------------------------------------

TEST_F(RunnerTest, RetryUntilTheExpectationHolds) {
  std::string key = unique_key("retry");
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "poll"
[[test.steps]]
name = "count"
use = "probe.count"
with = { key = ")" + key + R"(" }
expect = { count = 3 }
retry = { attempts = 5, interval = "10ms" }
)"));
  EXPECT_EQ(summary.passed, 1u) << events();
  const StepRecord &r = step("count");
  EXPECT_EQ(r.status, Status::Passed);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.output, json::parse(R"({"count": 3})"));
  EXPECT_EQ(r.message, "");
  EXPECT_GE(r.duration_ms, 20.0); // two intervals
}

TEST_F(RunnerTest, RetryExhaustion) {
  std::string key = unique_key("exhaust");
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "poll"
[[test.steps]]
name = "count"
use = "probe.count"
with = { key = ")" + key + R"(" }
expect = { count = 10 }
retry = { attempts = 3, interval = "5ms" }
)"));
  EXPECT_EQ(summary.failed, 1u);
  const StepRecord &r = step("count");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.message, "count: expected 10, got 3 (after 3 attempts)");
  EXPECT_EQ(r.failed_path, "count");
  EXPECT_EQ(r.expected, 10);
  EXPECT_EQ(r.actual, 3);
  EXPECT_EQ(test("poll").message,
            "step 'count' (t.toml:3:1): count: expected 10, got 3 (after 3 attempts)");
}

TEST_F(RunnerTest, RetryIntervalGrowsWithBackoff) {
  std::string key = unique_key("backoff");
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "poll"
[[test.steps]]
name = "count"
use = "probe.count"
with = { key = ")" + key + R"(" }
expect = { count = 4 }
retry = { attempts = 4, interval = "20ms", backoff = 2 }
)"));
  const StepRecord &r = step("count");
  EXPECT_EQ(r.status, Status::Passed);
  EXPECT_EQ(r.attempts, 4);
  // 20 + 40 + 80 ms of waiting; without backoff it would be 60 ms.
  EXPECT_GE(r.duration_ms, 140.0);
  EXPECT_LT(r.duration_ms, 2000.0);
}

TEST_F(RunnerTest, FailingStepIsRetriedToo) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "f"
use = "probe.fail"
with = { message = "not yet" }
retry = { attempts = 3, interval = "1ms" }
)"));
  const StepRecord &r = step("f");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.message, "not yet (after 3 attempts)");
}

TEST_F(RunnerTest, TimedOutAttemptIsRetried) {
  // Retrying polls until the step succeeds; an attempt that hit its timeout
  // did not succeed, so it is retried like any other failed attempt.
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "slow"
use = "probe.sleep"
with = { ms = 5000 }
timeout = "30ms"
retry = { attempts = 3, interval = "1ms" }
)"));
  const StepRecord &r = step("slow");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.attempts, 3) << r.message;
  EXPECT_NE(r.message.find("timed out after 30ms"), std::string::npos) << r.message;
  EXPECT_LT(wall_ms, 2000.0);
}

TEST_F(RunnerTest, RetryStopsBeforeTheTestTimeout) {
  // The next attempt would come after the test's deadline: the step fails
  // at once, without waiting for either. The margins are seconds wide, so
  // that a loaded machine cannot make the attempt itself run into the
  // deadline.
  std::string key = unique_key("deadline");
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "poll"
timeout = "5s"
[[test.steps]]
name = "count"
use = "probe.count"
with = { key = ")" + key + R"(" }
expect = { count = 1000 }
retry = { attempts = 1000, interval = "60s" }
)"));
  const StepRecord &r = step("count");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_NE(r.message.find("(no retry left before the test's timeout)"), std::string::npos)
      << r.message;
  EXPECT_LT(wall_ms, 5000.0); // neither the interval nor the deadline waited for
}

// ---- deadlines -------------------------------------------------------------------

TEST_F(RunnerTest, StepTimeout) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "slow"
use = "probe.sleep"
with = { ms = 10000 }
timeout = "100ms"
[[test.cleanup]]
name = "tidy"
use = "probe.noop"
)"));
  EXPECT_LT(wall_ms, 2000.0) << "the step was not cancelled at its deadline";
  const StepRecord &r = step("slow");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.message.rfind("timed out after 100ms", 0), 0u) << r.message;
  EXPECT_GE(r.duration_ms, 100.0);
  EXPECT_EQ(step("tidy").status, Status::Passed); // cleanup has its own deadline
  EXPECT_EQ(test("t").status, Status::Failed);
}

TEST_F(RunnerTest, SuiteStepTimeoutIsTheDefault) {
  ASSERT_NO_FATAL_FAILURE(run(R"([suite]
step_timeout = "80ms"
[[test]]
name = "t"
[[test.steps]]
name = "slow"
use = "probe.sleep"
with = { ms = 10000 }
[[test.steps]]
name = "never"
use = "probe.noop"
)"));
  EXPECT_LT(wall_ms, 2000.0);
  const StepRecord &r = step("slow");
  EXPECT_EQ(r.message.rfind("timed out after 80ms", 0), 0u) << r.message;
  // Steps after a failure do not run.
  for (const auto &s : cap.steps)
    EXPECT_NE(s.name, "never");
}

TEST_F(RunnerTest, RunOptionsStepTimeoutIsTheLastDefault) {
  RunOptions opt;
  opt.default_step_timeout = std::chrono::milliseconds(60);
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "slow"
use = "probe.sleep"
with = { ms = 10000 }
)",
                              opt));
  EXPECT_LT(wall_ms, 2000.0);
  EXPECT_EQ(step("slow").message.rfind("timed out after 60ms", 0), 0u) << step("slow").message;
}

TEST_F(RunnerTest, StepWithinItsTimeoutPasses) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "nap"
use = "probe.sleep"
with = { ms = 20 }
timeout = "2s"
expect = { slept_ms = 20 }
)"));
  EXPECT_EQ(step("nap").status, Status::Passed) << step("nap").message;
}

TEST_F(RunnerTest, TestTimeout) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
timeout = "1s"
[[test.steps]]
name = "short"
use = "probe.sleep"
with = { ms = 30 }
[[test.steps]]
name = "long"
use = "probe.sleep"
with = { ms = 10000 }
timeout = "9s"
[[test.cleanup]]
name = "tidy"
use = "probe.noop"
)"));
  // The short step has most of the second even on a loaded machine; the
  // long one would sleep ten.
  EXPECT_LT(wall_ms, 5000.0) << "the test's timeout did not stop the step";
  EXPECT_EQ(step("short").status, Status::Passed);
  const StepRecord &r = step("long");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.message.rfind("timed out: the test's timeout passed during this step", 0), 0u)
      << r.message;
  EXPECT_EQ(step("tidy").status, Status::Passed);
  EXPECT_EQ(test("t").status, Status::Failed);
  EXPECT_NE(test("t").message.find("timed out"), std::string::npos);
}

TEST_F(RunnerTest, ExpectedErrorAcceptsATimeout) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "hang"
use = "probe.sleep"
with = { ms = 10000 }
timeout = "50ms"
expect = { error = { matches = "timed out" } }
)"));
  EXPECT_EQ(step("hang").status, Status::Passed) << step("hang").message;
  EXPECT_LT(wall_ms, 2000.0);
}

// ---- expected errors -----------------------------------------------------------

TEST_F(RunnerTest, ExpectedErrors) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "matches"
[[test.steps]]
name = "refused"
use = "probe.fail"
with = { message = "connection refused" }
expect = { error = { matches = "refused" } }

[[test]]
name = "wrong error"
[[test.steps]]
name = "other"
use = "probe.fail"
with = { message = "connection refused" }
expect = { error = { matches = "timeout" } }

[[test]]
name = "no error"
[[test.steps]]
name = "fine"
use = "probe.noop"
expect = { error = true }

[[test]]
name = "any error"
[[test.steps]]
name = "any"
use = "probe.fail"
expect = { error = true }
)"));
  EXPECT_EQ(step("refused").status, Status::Passed);
  EXPECT_EQ(step("refused").output, json::parse(R"({"error": "connection refused"})"));

  const StepRecord &other = step("other");
  EXPECT_EQ(other.status, Status::Failed);
  EXPECT_EQ(other.message, R"(error: expected matches "timeout", got "connection refused")");
  EXPECT_EQ(other.failed_path, "error");

  EXPECT_EQ(step("fine").status, Status::Failed);
  EXPECT_EQ(step("fine").message, "expected the step to fail, but it succeeded");

  EXPECT_EQ(step("any").status, Status::Passed);
  EXPECT_EQ(summary.passed, 2u);
  EXPECT_EQ(summary.failed, 2u);
}

// ---- cleanup, teardown, setup ---------------------------------------------------

TEST_F(RunnerTest, CleanupRunsInReverseOrderAfterAFailure) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "ok"
use = "probe.noop"
[[test.steps]]
name = "boom"
use = "probe.fail"
with = { message = "boom" }
[[test.steps]]
name = "never"
use = "probe.noop"
[[test.cleanup]]
name = "c1"
use = "probe.noop"
[[test.cleanup]]
name = "c2"
use = "probe.noop"
[[test.cleanup]]
name = "c3"
use = "probe.noop"
)"));
  EXPECT_EQ(cap.events, (std::vector<std::string>{
                            "test_started t",
                            "step test ok passed",
                            "step test boom failed",
                            "step cleanup c3 passed",
                            "step cleanup c2 passed",
                            "step cleanup c1 passed",
                            "test_finished t failed",
                        }));
  EXPECT_EQ(test("t").message, "step 'boom' (t.toml:6:1): boom");
}

TEST_F(RunnerTest, CleanupWithAnUnsetVariableIsSkipped) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "made"
use = "probe.echo"
with = { id = 7 }
save = { made_id = "input.id" }
[[test.steps]]
name = "boom"
use = "probe.fail"
[[test.steps]]
name = "create"
use = "probe.echo"
with = { id = 8 }
save = { created_id = "input.id" }
[[test.cleanup]]
name = "delete created"
use = "probe.echo"
with = { id = "${created_id}" }
[[test.cleanup]]
name = "delete made"
use = "probe.echo"
with = { id = "${made_id}" }
)"));
  const StepRecord &skipped = step("delete created");
  EXPECT_EQ(skipped.status, Status::Skipped);
  EXPECT_EQ(skipped.phase, Phase::Cleanup);
  EXPECT_EQ(skipped.message,
            "skipped: 'created_id' was never set (the step that saves it did not run)");
  const StepRecord &ran = step("delete made");
  EXPECT_EQ(ran.status, Status::Passed);
  EXPECT_EQ(ran.input, json::parse(R"({"id": 7})"));
  // The test fails for its step, not for the skipped cleanup.
  EXPECT_EQ(test("t").status, Status::Failed);
  EXPECT_EQ(test("t").message, "step 'boom' (t.toml:8:1): probe failure");
}

TEST_F(RunnerTest, FailingCleanupFailsAPassingTest) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
name = "ok"
use = "probe.noop"
[[test.cleanup]]
name = "bad cleanup"
use = "probe.fail"
with = { message = "cannot delete" }
)"));
  EXPECT_EQ(test("t").status, Status::Failed);
  EXPECT_EQ(test("t").message, "cleanup failed: step 'bad cleanup' (t.toml:6:1): cannot delete");
}

TEST_F(RunnerTest, TeardownRunsAfterAFailedTest) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[setup]]
name = "prepare"
use = "probe.noop"

[[test]]
name = "fails"
[[test.steps]]
name = "boom"
use = "probe.fail"

[[test]]
name = "passes"
[[test.steps]]
name = "fine"
use = "probe.noop"

[[teardown]]
name = "drop"
use = "probe.noop"
)"));
  EXPECT_EQ(cap.events, (std::vector<std::string>{
                            "step setup prepare passed",
                            "test_started fails",
                            "step test boom failed",
                            "test_finished fails failed",
                            "test_started passes",
                            "step test fine passed",
                            "test_finished passes passed",
                            "step teardown drop passed",
                        }));
  ASSERT_EQ(cap.suites.size(), 1u);
  EXPECT_EQ(cap.suites[0].status, Status::Failed);
  EXPECT_EQ(cap.suites[0].passed, 1u);
  EXPECT_EQ(cap.suites[0].failed, 1u);
  EXPECT_EQ(summary.suite_errors, 0u);
}

TEST_F(RunnerTest, SetupFailureSkipsTestsButRunsTeardown) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[setup]]
name = "prepare"
use = "probe.fail"
with = { message = "no schema" }

[[test]]
name = "t"
[[test.steps]]
name = "never"
use = "probe.noop"

[[teardown]]
name = "drop"
use = "probe.noop"
)"));
  EXPECT_EQ(cap.events, (std::vector<std::string>{
                            "step setup prepare failed",
                            "test_finished t skipped",
                            "step teardown drop passed",
                        }));
  EXPECT_EQ(test("t").message, "not run: setup failed: step 'prepare' (t.toml:1:1): no schema");
  EXPECT_EQ(summary.suite_errors, 1u);
  EXPECT_EQ(summary.skipped, 1u);
  EXPECT_EQ(cap.suites.at(0).status, Status::Failed);
}

TEST_F(RunnerTest, FailingTeardownFailsTheSuite) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "t"
[[test.steps]]
use = "probe.noop"
[[teardown]]
name = "drop"
use = "probe.fail"
with = { message = "cannot drop" }
)"));
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(summary.suite_errors, 1u);
  EXPECT_EQ(cap.suites.at(0).status, Status::Failed);
  EXPECT_EQ(cap.suites.at(0).message, "teardown failed: step 'drop' (t.toml:5:1): cannot drop");
}

TEST_F(RunnerTest, SetupSavesAreVisibleToTests) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[setup]]
use = "probe.echo"
with = { token = "abc" }
save = { token = "input.token" }
[[test]]
name = "t"
[[test.steps]]
name = "use it"
use = "probe.echo"
with = { t = "${token}" }
expect = { "input.t" = "abc" }
)"));
  EXPECT_EQ(step("use it").status, Status::Passed) << step("use it").message;
}

// ---- selection ----------------------------------------------------------------------

const char *kTwoTests = R"([[test]]
name = "first fails"
tags = ["a"]
[[test.steps]]
name = "boom"
use = "probe.fail"

[[test]]
name = "second"
tags = ["b"]
[[test.steps]]
name = "fine"
use = "probe.noop"
)";

TEST_F(RunnerTest, FailFastSkipsTheRest) {
  RunOptions opt;
  opt.fail_fast = true;
  ASSERT_NO_FATAL_FAILURE(run(kTwoTests, opt));
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(summary.skipped, 1u);
  EXPECT_EQ(test("second").status, Status::Skipped);
  EXPECT_EQ(test("second").message, "not run: an earlier test failed (--fail-fast)");
  for (const auto &s : cap.steps)
    EXPECT_NE(s.name, "fine");
}

TEST_F(RunnerTest, FailFastStopsLaterSuitesToo) {
  RunOptions opt;
  opt.fail_fast = true;
  ASSERT_NO_FATAL_FAILURE(run_all({kTwoTests, R"([[setup]]
name = "second suite setup"
use = "probe.noop"
[[test]]
name = "in second suite"
[[test.steps]]
name = "second suite step"
use = "probe.noop"
)"},
                                  opt));
  EXPECT_EQ(test("in second suite").status, Status::Skipped);
  EXPECT_EQ(test("in second suite").message, "not run: an earlier test failed (--fail-fast)");
  // Nothing of a later suite runs once --fail-fast has tripped.
  for (const auto &s : cap.steps)
    EXPECT_NE(s.name, "second suite setup") << "setup of a later suite ran after --fail-fast";
}

TEST_F(RunnerTest, WithoutFailFastEveryTestRuns) {
  ASSERT_NO_FATAL_FAILURE(run(kTwoTests));
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(step("fine").status, Status::Passed);
}

TEST_F(RunnerTest, TagsAndFilterSelectTests) {
  RunOptions by_tag;
  by_tag.tags = {"b"};
  ASSERT_NO_FATAL_FAILURE(run(kTwoTests, by_tag));
  ASSERT_EQ(cap.tests.size(), 1u);
  EXPECT_EQ(cap.tests[0].name, "second");
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(summary.failed, 0u);

  cap = Capture();
  RunOptions by_name;
  by_name.filter = Regex::compile("^first", nullptr);
  ASSERT_NO_FATAL_FAILURE(run(kTwoTests, by_name));
  ASSERT_EQ(cap.tests.size(), 1u);
  EXPECT_EQ(cap.tests[0].name, "first fails");
}

TEST_F(RunnerTest, SkippedTestKeepsItsReason) {
  ASSERT_NO_FATAL_FAILURE(run(R"([[test]]
name = "later"
skip = "waiting for the API"
[[test.steps]]
name = "never"
use = "probe.noop"
)"));
  EXPECT_EQ(test("later").status, Status::Skipped);
  EXPECT_EQ(test("later").message, "waiting for the API");
  EXPECT_TRUE(cap.steps.empty());
}

TEST_F(RunnerTest, InterruptStopsNewTests) {
  interrupts.stop = true;
  ASSERT_NO_FATAL_FAILURE(run(kTwoTests));
  EXPECT_TRUE(summary.interrupted);
  EXPECT_EQ(summary.skipped, 2u);
  EXPECT_EQ(test("second").message, "not run: interrupted");
}

// ---- variables --------------------------------------------------------------------

TEST_F(RunnerTest, CommandLineVarsOverrideTheSuite) {
  RunOptions opt;
  opt.vars = {{"base", "http://cli"}, {"extra", "e"}};
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
base = "http://suite"
[[test]]
name = "t"
[[test.steps]]
name = "s"
use = "probe.echo"
with = { base = "${base}", extra = "${extra}" }
)",
                              opt));
  EXPECT_EQ(step("s").input, json::parse(R"({"base": "http://cli", "extra": "e"})"));
}

TEST_F(RunnerTest, EnvironmentVariables) {
  ::setenv("SEAM_CORE_TEST_REGION", "eu-west", 1);
  ::unsetenv("SEAM_CORE_TEST_UNSET");
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
region = { env = "SEAM_CORE_TEST_REGION", default = "us" }
zone = { env = "SEAM_CORE_TEST_UNSET", default = "z1" }
url = "${env.SEAM_CORE_TEST_UNSET:-http://fallback}"
[[test]]
name = "t"
[[test.steps]]
name = "s"
use = "probe.echo"
with = { region = "${region}", zone = "${zone}", url = "${url}" }
)"));
  ::unsetenv("SEAM_CORE_TEST_REGION");
  EXPECT_EQ(step("s").input,
            json::parse(R"({"region": "eu-west", "zone": "z1", "url": "http://fallback"})"));
}

TEST_F(RunnerTest, MissingEnvironmentVariableIsReportedBeforeRunning) {
  ::unsetenv("SEAM_CORE_TEST_NOT_SET");
  LoadedSuite ls("t.toml", R"([vars]
key = { env = "SEAM_CORE_TEST_NOT_SET", secret = true }
[[test]]
name = "t"
[[test.steps]]
use = "probe.echo"
with = { k = "${key}" }
)");
  ASSERT_TRUE(ls.errors.empty()) << messages(ls.errors);
  std::vector<Diagnostic> errors;
  SuitePlan plan;
  check_suite(ls, *host, {}, plan, errors);
  ASSERT_TRUE(errors.empty()) << messages(errors);
  Runner runner(*host, secrets, {}, {&cap}, interrupts);
  runner.prepare({&plan}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message,
            "environment variable SEAM_CORE_TEST_NOT_SET is not set (variable 'key')");
  EXPECT_EQ(errors[0].loc.str(), "t.toml:2:1");
  EXPECT_NE(errors[0].hint.find("--var key="), std::string::npos);
}

// ---- secrets ----------------------------------------------------------------------

TEST_F(RunnerTest, SecretsAreMaskedInEveryRecord) {
  ::setenv("SEAM_CORE_TEST_KEY", "env-key-5678", 1);
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
token = { value = "tok-SECRET-1234", secret = true }
api = { env = "SEAM_CORE_TEST_KEY", secret = true }

[[test]]
name = "masked"
[[test.steps]]
name = "echo"
use = "probe.echo"
with = { auth = "Bearer ${token}", key = "${api}" }
[[test.steps]]
name = "plugin secret"
use = "probe.secret"
with = { value = "plugin-pw-9" }
[[test.steps]]
name = "later echo"
use = "probe.echo"
with = { again = "plugin-pw-9" }
[[test.steps]]
name = "log"
use = "probe.log"
with = { message = "using ${token}" }
[[test.steps]]
name = "mismatch"
use = "probe.echo"
with = { auth = "${token}" }
expect = { "input.auth" = "something else" }
)"));
  ::unsetenv("SEAM_CORE_TEST_KEY");

  const StepRecord &echo = step("echo");
  EXPECT_EQ(echo.input, json::parse(R"({"auth": "Bearer ***", "key": "***"})"));
  EXPECT_EQ(echo.output, json::parse(R"({"input": {"auth": "Bearer ***", "key": "***"}})"));

  EXPECT_EQ(step("plugin secret").output, json::parse(R"({"value": "***"})"));
  EXPECT_EQ(step("plugin secret").input, json::parse(R"({"value": "***"})"));
  EXPECT_EQ(step("later echo").input, json::parse(R"({"again": "***"})"));

  ASSERT_EQ(step("log").logs.size(), 1u);
  EXPECT_EQ(step("log").logs[0].text, "using ***");

  const StepRecord &mm = step("mismatch");
  EXPECT_EQ(mm.status, Status::Failed);
  EXPECT_EQ(mm.actual, "***");
  EXPECT_EQ(mm.message, R"(input.auth: expected "something else", got "***")");
  EXPECT_EQ(test("masked").message.find("tok-SECRET"), std::string::npos);

  for (const auto &r : cap.steps) {
    std::string all =
        r.message + r.input.dump() + r.output.dump() + r.actual.dump() + r.expected.dump();
    for (const auto &l : r.logs)
      all += l.text;
    for (const char *secret : {"tok-SECRET-1234", "env-key-5678", "plugin-pw-9"})
      EXPECT_EQ(all.find(secret), std::string::npos) << r.name << " shows " << secret;
  }
}

TEST_F(RunnerTest, SecretsAreMaskedInFailureMessages) {
  ASSERT_NO_FATAL_FAILURE(run(R"([vars]
pw = { value = "hunter2", secret = true }
[[test]]
name = "t"
[[test.steps]]
name = "login"
use = "probe.fail"
with = { message = "login failed for password ${pw}" }
)"));
  EXPECT_EQ(step("login").message, "login failed for password ***");
  EXPECT_EQ(step("login").input, json::parse(R"({"message": "login failed for password ***"})"));
  EXPECT_EQ(test("t").message, "step 'login' (t.toml:5:1): login failed for password ***");
}

// ---- resources ----------------------------------------------------------------------

class RunnerResourceTest : public RunnerTest {
protected:
  void SetUp() override {
    RunnerTest::SetUp();
    dir = fs::temp_directory_path() /
          ("seam-core-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    log = (dir / "resources.log").string();
  }
  void TearDown() override { fs::remove_all(dir); }

  fs::path dir;
  std::string log;
};

TEST_F(RunnerResourceTest, OpenInDependencyOrderCloseInReverse) {
  ASSERT_NO_FATAL_FAILURE(run(R"([resources.a]
plugin = "probe"
tag = "after ${resources.b.name}:${resources.b.port}"
log = ")" + log + R"("

[resources.b]
plugin = "probe"
tag = "first"
log = ")" + log + R"("

[[test]]
name = "t"
[[test.steps]]
name = "tag of a"
use = "probe.resource_tag"
on = "a"
expect = { tag = "after b:1234", name = "a" }
[[test.steps]]
name = "attrs"
use = "probe.echo"
with = { t = "${resources.b.tag}" }
expect = { "input.t" = "first" }
)"));
  EXPECT_EQ(step("tag of a").status, Status::Passed) << step("tag of a").message;
  EXPECT_EQ(step("attrs").status, Status::Passed) << step("attrs").message;
  EXPECT_EQ(read_text(log), "open b\nopen a\nclose a\nclose b\n");
}

TEST_F(RunnerResourceTest, ResourceThatFailsToOpenSkipsTheSuite) {
  ASSERT_NO_FATAL_FAILURE(run(R"([resources.first]
plugin = "probe"
log = ")" + log + R"("

[resources.second]
plugin = "probe"
fail = "database is down"
tag = "${resources.first.name}"

[[test]]
name = "t"
[[test.steps]]
use = "probe.noop"

[[teardown]]
name = "drop"
use = "probe.noop"
)"));
  EXPECT_EQ(test("t").status, Status::Skipped);
  EXPECT_EQ(test("t").message,
            "not run: resource 'second' (t.toml:5:12) could not be opened: database is down");
  EXPECT_EQ(summary.suite_errors, 1u);
  const StepRecord &open = step("open resource second");
  EXPECT_EQ(open.status, Status::Failed);
  EXPECT_EQ(open.message, "database is down");
  // What was opened is closed, and teardown still runs for it.
  EXPECT_EQ(read_text(log), "open first\nclose first\n");
  EXPECT_EQ(step("drop").status, Status::Passed);
}

} // namespace
} // namespace seam
