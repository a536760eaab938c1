// One test, start to end, on the calling thread: its resources' per-test
// hooks, its steps under the test's deadline, and its cleanup (always, in
// reverse order). Plugins may keep per-thread state, so all of it runs here.
#include "run_state.hpp"

namespace seam {

TestRecord Runner::run_test(SuiteState &st, const TestDef &t, TestRecord tr,
                            const SuiteOutcome &setup) {
  const Suite &s = *st.suite;
  if (!setup.problem.empty() || t.skip || stop_all_.load() || interrupts_.stop.load()) {
    tr.status = Status::Skipped;
    // A skipped suite's reason (a long resource error) is said once, by the
    // suite; its tests only say they went with it.
    tr.message = !setup.problem.empty()
                     ? (setup.skipped ? "skipped with its suite" : "not run: " + setup.problem)
                 : t.skip           ? (t.skip_reason.empty() ? "skipped" : t.skip_reason)
                 : stop_all_.load() ? "not run: an earlier test failed (--fail-fast)"
                                    : "not run: interrupted";
    return tr;
  }
  TestState ts;
  ts.def = &t;
  ts.id = run_id_ + "-" + std::to_string(&t - s.tests.data() + 1);
  tr.id = ts.id;
  emit_test_started(s, t);
  auto t0 = Clock::now();
  tr.start_ms = ms_between(run_start_, t0);
  std::optional<Clock::time_point> deadline;
  if (t.timeout)
    deadline = t0 + *t.timeout;
  tr.status = Status::Passed;
  if (std::string problem = begin_test(st, ts); !problem.empty()) {
    tr.status = Status::Failed;
    tr.message = problem;
  }
  for (size_t i = 0; i < t.steps.size(); ++i) {
    if (tr.status != Status::Passed)
      break;
    std::string msg;
    if (interrupts_.stop.load()) {
      tr.status = Status::Failed;
      tr.message = "interrupted";
      break;
    }
    if (run_step(st, &ts, t.steps[i], st.plan->step_in(t.steps, i), Phase::Test, deadline, &msg) !=
        Status::Passed) {
      tr.status = Status::Failed;
      tr.message = msg;
      break;
    }
  }
  for (size_t i = t.cleanup.size(); i-- > 0;) {
    std::string msg;
    if (run_step(st, &ts, t.cleanup[i], st.plan->step_in(t.cleanup, i), Phase::Cleanup,
                 std::nullopt, &msg) == Status::Failed &&
        tr.status == Status::Passed) {
      tr.status = Status::Failed;
      tr.message = "cleanup failed: " + msg;
    }
  }
  end_test(st, ts);
  tr.duration_ms = ms_since(t0);
  if (tr.status == Status::Failed && opt_.fail_fast)
    stop_all_ = true;
  return tr;
}

} // namespace seam
