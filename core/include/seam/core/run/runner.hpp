// Runs checked suites: variables, resources, setup, tests with their steps
// and cleanup, teardown; retries, deadlines and Ctrl-C; events to reporters.
#pragma once

#include "seam/core/base/regex.hpp"
#include "seam/core/base/secrets.hpp"
#include "seam/core/check/plan.hpp"
#include "seam/core/host/plugin_host.hpp"
#include "seam/core/model/suite.hpp"
#include "seam/core/report/reporter.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace seam {

namespace stream {
class EventRing;
}

struct RunOptions {
  std::map<std::string, std::string> vars; // --var k=v
  std::vector<std::string> tags;           // --tag: run tests with any of these
  std::optional<Regex> filter;             // --filter: test names
  bool fail_fast = false;
  unsigned jobs = 1;             // --jobs: tests of a suite run at once
  bool skip_unavailable = false; // a resource whose open is CallStatus::Unavailable skips its suite
  Micros default_step_timeout = std::chrono::seconds(30);
  // A plugin call still running this long after its deadline ignores
  // cancellation: the run is ended with complete reports (exit code 1).
  std::chrono::milliseconds stuck_grace{5000};
  // After the second Ctrl-C (or SIGTERM), how long the run may take to stop
  // before it is ended with complete reports (exit code 130).
  std::chrono::milliseconds abort_grace{2000};
  bool watchdog = true;
  // Each suite runs in a worker process of its own (docs/workers.md); false:
  // in this process (--in-process), where a crashing plugin ends the run.
  bool workers = true;
  uint64_t max_memory = uint64_t{4} << 30; // --max-memory: a worker's data (RLIMIT_DATA)
  // After an interrupt, how long a worker may take to stop before it is killed.
  std::chrono::milliseconds worker_stop_grace{1500};
  // --shard K/N: the tests this shard runs (run/select.hpp), or all.
  const std::set<const TestDef *> *shard = nullptr;
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
  // The plans must outlive the runner.
  void prepare(std::vector<const SuitePlan *> plans, std::vector<Diagnostic> &errors);

  // Runs prepared suites in order. Returns the summary; reporters' file
  // errors are appended to *report_errors.
  RunSummary run(std::vector<std::string> *report_errors);

  const std::string &run_id() const { return run_id_; }

private:
  struct SuiteState;
  struct TestState;
  struct TestEvents;
  struct SuiteOutcome;
  class Vars;
  // Set on a worker thread while it runs a test: events go to its buffer.
  static thread_local TestEvents *tl_events;

  bool selected(const Suite &s, const TestDef &t, std::string *why) const;
  void run_suite(SuiteState &st, RunSummary &sum);
  // Tells the reporters that suite `s` starts, and opens its record; both
  // run_suite and run_suite_in_workers begin so.
  SuiteRecord begin_suite_record(const Suite &s, std::chrono::steady_clock::time_point start);
  void run_tests(SuiteState &st, SuiteRecord &srec, RunSummary &sum, const SuiteOutcome &setup);
  TestRecord run_test(SuiteState &st, const TestDef &t, TestRecord base, const SuiteOutcome &setup);
  // A step's (and a resource open's) time: [suite] step_timeout, else --timeout.
  Micros suite_step_timeout(const Suite &s) const;
  SuiteOutcome open_resources(SuiteState &st);
  StepRecord resource_record(const Suite &s, const ResourceDef &rd, Phase phase, const char *verb,
                             std::chrono::steady_clock::time_point start,
                             std::vector<LogLine> logs) const;
  bool any_resource_open(const SuiteState &st) const;
  void close_resources(SuiteState &st);
  // The resources' per-test hooks; begin_test returns why one failed, or "".
  std::string begin_test(SuiteState &st, const TestState &test);
  void end_test(SuiteState &st, const TestState &test);
  // A step's input as the plugin reads it, rendered into `text` (as a tree
  // into `tree` too when the whole input is checked, recorded or holds
  // secrets); nullopt, or the first check after interpolation that failed.
  // A constant input (plan.input_text) leaves both alone. Throws
  // UndefinedReference for a ${...} never set.
  std::optional<std::string> render_input(const StepPlan &plan, const StepRun &run, Vars &vars,
                                          std::string &text, json &tree);
  // One step, from its plan; `step` is read only to report it.
  Status run_step(SuiteState &st, TestState *test, const StepDef &step, const StepPlan &plan,
                  Phase phase, std::optional<std::chrono::steady_clock::time_point> test_deadline,
                  std::string *message);
  // Whether a step's record reaches the reporters: not a quiet one (it
  // passed and logged nothing) unless a reporter wants those.
  bool reports_step(const StepRecord &rec) const;
  void emit_step(StepRecord &rec);
  void emit_test_started(const Suite &s, const TestDef &t);
  // With report_mu_ held.
  void finish_test_locked(SuiteRecord &srec, TestRecord &tr);
  void deliver_locked(TestEvents &ev);
  void deliver_in_order_locked();

  struct CallSlot;
  struct WorkerShared;
  struct WorkerRun;
  CallSlot &call_slot();
  // Worker processes (worker.cpp): the parent's side runs a suite in one
  // worker after another until each selected test has a verdict.
  void run_suite_in_workers(SuiteState &st, RunSummary &sum);
  // The child's side: runs the suite's tests that `skip` leaves, then exits.
  [[noreturn]] void worker_main(SuiteState &st, int events_fd);
  bool take_worker_frames(WorkerRun &w);
  void end_worker(WorkerRun &w, int status);
  void watch();
  // Reports everything, then exits the process (unless the run is finishing).
  void emergency_finish(const std::string &reason, int exit_code);
  void add_secrets(const json &schema, const json &value); // x-seam-secret values

  PluginHost &host_;
  Secrets &secrets_;
  RunOptions opt_;
  std::vector<Reporter *> reporters_;
  Interrupts &interrupts_;
  bool want_io_ = false;
  bool want_quiet_steps_ = false;
  bool want_running_tests_ = false;
  std::string run_id_;
  std::string started_at_;
  std::vector<std::unique_ptr<SuiteState>> suites_;
  std::atomic<bool> stop_all_{false}; // --fail-fast tripped
  std::mutex report_mu_;              // one event at a time reaches the reporters
  // The suite being run, for emergency_finish (under report_mu_).
  struct Progress {
    const Suite *suite = nullptr;
    SuiteRecord *srec = nullptr;
    RunSummary *sum = nullptr;
    std::vector<const TestDef *> chosen;
    std::vector<TestRecord> base;                  // per chosen test: its record, before it runs
    std::vector<std::unique_ptr<TestEvents>> done; // finished, waiting for earlier ones
    size_t next_report = 0;                        // chosen[next_report] is reported next
    std::map<size_t, TestEvents *> running;        // running tests (nullptr: not buffered)
  } progress_;
  bool finishing_ = false; // run_finished was called (under report_mu_)
  std::chrono::steady_clock::time_point run_start_;
  std::mutex slots_mu_;
  std::vector<std::unique_ptr<CallSlot>> slots_;
  // In a worker: the call slots live in memory the parent reads (worker.cpp).
  WorkerShared *shared_ = nullptr;
  stream::EventRing *events_ = nullptr; // the workers' events (event_ring.hpp)
  bool in_worker_ = false;
  std::vector<bool> skip_tests_; // by index in suite.tests: not run by this worker
  // Tells this runner from an earlier one that stood at the same address
  // (a thread's cached slot must never outlive the runner that made it).
  const uint64_t serial_;
  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  bool watch_done_ = false;
};

std::string iso_now();

} // namespace seam
