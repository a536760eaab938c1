// Runs checked suites: variables, resources, setup, tests with their steps
// and cleanup, teardown; retries, deadlines and Ctrl-C; events to reporters.
#pragma once

#include "seam/core/regex.hpp"
#include "seam/core/plugin_host.hpp"
#include "seam/core/reporter.hpp"
#include "seam/core/secrets.hpp"
#include "seam/core/suite.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace seam {

struct RunOptions {
  std::map<std::string, std::string> vars; // --var k=v
  std::vector<std::string> tags;           // --tag: run tests with any of these
  std::optional<Regex> filter;             // --filter: test names
  bool fail_fast = false;
  unsigned jobs = 1; // --jobs: tests of a suite run at once
  bool skip_unavailable = false; // a resource that says "unavailable:" skips its suite
  Micros default_step_timeout = std::chrono::seconds(30);
};

// The run's interrupt flags: the first Ctrl-C stops new work, the second
// also cancels cleanup and teardown.
struct Interrupts {
  std::atomic<bool> stop{false};
  std::atomic<bool> abort{false};
};

class Runner {
public:
  Runner(PluginHost &host, Secrets &secrets, RunOptions options, std::vector<Reporter *> reporters,
         Interrupts &interrupts);
  ~Runner();

  // Evaluates each suite's [vars] (environment, --var, secrets) before anything
  // runs; problems are appended as diagnostics.
  void prepare(std::vector<Suite *> suites, std::vector<Diagnostic> &errors);

  // Runs prepared suites in order. Returns the summary; reporters' file
  // errors are appended to *report_errors.
  RunSummary run(std::vector<std::string> *report_errors);

  const std::string &run_id() const { return run_id_; }

private:
  struct SuiteState;
  struct TestState;
  struct TestEvents;
  class Vars;
  // Set on a worker thread while it runs a test: events go to its buffer.
  static thread_local TestEvents *tl_events;

  bool selected(const Suite &s, const TestDef &t, std::string *why) const;
  void run_suite(SuiteState &st, RunSummary &sum);
  Status run_step(SuiteState &st, TestState *test, const StepDef &step, Phase phase,
                  std::optional<std::chrono::steady_clock::time_point> test_deadline,
                  std::string *message);
  void emit_step(StepRecord &rec);
  void emit_test_started(const Suite &s, const TestDef &t);
  void add_secrets(const json &schema, const json &value); // x-seam-secret values

  PluginHost &host_;
  Secrets &secrets_;
  RunOptions opt_;
  std::vector<Reporter *> reporters_;
  Interrupts &interrupts_;
  bool want_io_ = false;
  std::string run_id_;
  std::string started_at_;
  std::vector<std::unique_ptr<SuiteState>> suites_;
  std::atomic<bool> stop_all_{false}; // --fail-fast tripped
  std::mutex report_mu_;               // one event at a time reaches the reporters
};

std::string iso_now();

} // namespace seam
