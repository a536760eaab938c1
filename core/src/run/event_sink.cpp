// The events a run sends to its reporters. A test run on a worker thread
// (--jobs) has its events held back and delivered whole, in the suite's order,
// so every reporter sees what a sequential run would show.
#include "run_state.hpp"

namespace seam {

thread_local Runner::TestEvents *Runner::tl_events = nullptr;

bool Runner::reports_step(const StepRecord &rec) const {
  return want_quiet_steps_ || rec.status != Status::Passed || !rec.logs.empty();
}

void Runner::emit_step(StepRecord &rec) {
  if (!reports_step(rec))
    return;
  if (!secrets_.empty()) {
    secrets_.mask_in_place(rec.message);
    rec.expected = secrets_.mask_json(rec.expected);
    rec.actual = secrets_.mask_json(rec.actual);
    rec.input = secrets_.mask_json(rec.input);
    rec.output = secrets_.mask_json(rec.output);
    for (auto &l : rec.logs)
      secrets_.mask_in_place(l.text);
  }
  if (tl_events) {
    // A copy: the caller still reads the record (run_step makes its test's
    // message from it), so it must not be left moved from.
    std::lock_guard lock(tl_events->mu);
    tl_events->steps.push_back(rec);
    return;
  }
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_)
    r->step_finished(rec);
}

void Runner::emit_test_started(const Suite &s, const TestDef &t) {
  if (in_worker_) {
    CallSlot &slot = call_slot();
    slot.running_since.store(ms_since(run_start_), std::memory_order_relaxed);
    slot.running.store(static_cast<int32_t>(&t - s.tests.data()), std::memory_order_release);
  }
  if (tl_events) {
    {
      std::lock_guard lock(tl_events->mu);
      tl_events->started = true;
    }
    std::lock_guard lock(report_mu_);
    for (auto *r : reporters_)
      r->test_running(s, t);
    return;
  }
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_) {
    r->test_running(s, t);
    r->test_started(s, t);
  }
}

void Runner::finish_test_locked(SuiteRecord &srec, TestRecord &tr) {
  secrets_.mask_in_place(tr.message);
  switch (tr.status) {
  case Status::Passed:
    ++srec.passed;
    break;
  case Status::Failed:
    ++srec.failed;
    break;
  case Status::Skipped:
    ++srec.skipped;
    break;
  }
  for (auto *r : reporters_)
    r->test_finished(tr);
  if (in_worker_) {
    // The parent has its verdict now (the frame is flushed): no longer running.
    CallSlot &slot = call_slot();
    if (slot.running.load(std::memory_order_relaxed) == static_cast<int32_t>(tr.index))
      slot.running.store(-1, std::memory_order_release);
  }
}

void Runner::deliver_locked(TestEvents &ev) {
  std::lock_guard events_lock(ev.mu);
  if (ev.started)
    for (auto *r : reporters_)
      r->test_started(*progress_.suite, *ev.def);
  for (const StepRecord &rec : ev.steps)
    for (auto *r : reporters_)
      r->step_finished(rec);
  ev.steps.clear();
  finish_test_locked(*progress_.srec, ev.record);
}

void Runner::deliver_in_order_locked() {
  auto &p = progress_;
  for (; p.next_report < p.done.size() && p.done[p.next_report]; ++p.next_report) {
    deliver_locked(*p.done[p.next_report]);
    p.done[p.next_report].reset();
  }
}

} // namespace seam
