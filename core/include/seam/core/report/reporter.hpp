// Results flow from the runner to reporters as events, so that parallel and
// out-of-process runs can feed the same reporters later. Every string in an
// event is already masked: reporters never see a secret.
#pragma once

#include "seam/core/host/plugin_host.hpp"
#include "seam/core/model/suite.hpp"

#include <string>
#include <vector>

namespace seam {

enum class Status { Passed, Failed, Skipped };
std::string_view status_name(Status s);

struct RunInfo {
  std::string run_id;
  std::string started_at; // ISO 8601
  size_t suites = 0;
  size_t tests = 0; // the tests the run selected (for progress displays)
};

struct StepRecord {
  std::string suite_file;
  std::string test; // empty in setup/teardown
  Phase phase = Phase::Test;
  std::string name;
  std::string use;
  std::string location; // file:line:col of the step
  Status status = Status::Passed;
  std::string message;     // why it failed or was skipped
  std::string failed_path; // the expect path that did not hold, if any
  json expected, actual;   // of that path (discarded json when not applicable)
  json input, output;      // only filled when a reporter wants_step_io()
  double start_ms = 0;     // since the run started
  double duration_ms = 0;
  int attempts = 1;
  std::vector<LogLine> logs;
};

struct TestRecord {
  std::string suite_file;
  std::string suite_name;
  std::string name;
  std::string id;
  std::string location;
  uint32_t index = 0; // its place in Suite::tests (cases share a location, not this)
  std::vector<std::string> tags;
  Status status = Status::Passed;
  std::string message; // the first failure (or the skip reason)
  double start_ms = 0; // since the run started (0 for a test that did not run)
  double duration_ms = 0;
};

struct SuiteRecord {
  std::string file;
  std::string name;
  std::string started_at;
  Status status = Status::Passed;
  std::string message; // why setup/resources/teardown failed, or the skip reason
  size_t passed = 0, failed = 0, skipped = 0;
  double start_ms = 0; // since the run started
  double duration_ms = 0;
};

struct RunSummary {
  size_t passed = 0, failed = 0, skipped = 0;
  size_t suite_errors = 0; // setup / resource / teardown failures
  double duration_ms = 0;
  bool interrupted = false;
};

class Reporter {
public:
  virtual ~Reporter() = default;
  // Whether step events should carry inputs and outputs (costs a copy).
  virtual bool wants_step_io() const { return false; }
  // Whether step_finished is called for quiet steps too: those that passed
  // and logged nothing. A reporter that shows only failures and logs says
  // no, and then no record is built or sent for most steps of a run.
  virtual bool wants_quiet_steps() const { return true; }
  // Whether test_running should come as each test starts under --jobs, so
  // that the tests running side by side can be shown together. Each start
  // then wakes the parent once. A reporter that shows no live display says
  // no: under --jobs, test_running then comes only for the tests found
  // running when the parent wakes for another reason.
  virtual bool wants_running_tests() const { return false; }
  virtual void run_started(const RunInfo &) {}
  virtual void suite_started(const Suite &) {}
  virtual void test_started(const Suite &, const TestDef &) {}
  virtual void step_finished(const StepRecord &) {}
  virtual void test_finished(const TestRecord &) {}
  virtual void suite_finished(const SuiteRecord &) {}
  // Live notices for progress displays, as a test starts running and as it
  // ends (also a test that is skipped without running), from the thread that
  // runs it, one call at a time. The events above come in the suite's order:
  // under --jobs a test's are held until the tests before it are reported.
  virtual void test_running(const Suite &, const TestDef &) {}
  virtual void test_ran(const Suite &, const TestDef &, Status) {}
  // Reporters that write files do it here; returns false on failure (with
  // the reason in *error).
  virtual bool run_finished(const RunSummary &, std::string *error) {
    (void)error;
    return true;
  }
};

} // namespace seam
