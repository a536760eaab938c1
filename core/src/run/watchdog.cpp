// The watchdog: a plugin call that ignores its deadline, or a run that does
// not stop after the second Ctrl-C, ends the run here with complete reports.
#include "run_state.hpp"

#include <cstdio>
#include <cstdlib>

namespace seam {

Runner::CallSlot &Runner::call_slot() {
  // Keyed by the runner's serial, not its address: a runner made after this
  // one is destroyed may get the same address, and must not get its slots.
  thread_local std::pair<uint64_t, CallSlot *> mine{0, nullptr};
  if (mine.first != serial_) {
    if (shared_) {
      // In a worker: a slot of the page the parent reads (one per thread).
      uint32_t i = shared_->next_slot.fetch_add(1);
      if (i >= WorkerShared::kSlots)
        std::abort(); // more threads than --jobs allows: a bug
      mine = {serial_, &shared_->slots[i]};
    } else {
      std::lock_guard lock(slots_mu_);
      slots_.push_back(std::make_unique<CallSlot>());
      mine = {serial_, slots_.back().get()};
    }
  }
  tl_crash_flag = &mine.second->crashed;
  return *mine.second;
}

void Runner::watch() {
  using namespace std::chrono;
  std::optional<Clock::time_point> abort_seen;
  std::unique_lock lock(watch_mu_);
  while (!watch_done_) {
    watch_cv_.wait_for(lock, milliseconds(50));
    if (watch_done_)
      break;
    auto now = Clock::now();
    if (interrupts_.abort.load()) {
      // The second Ctrl-C or a SIGTERM: cooperative plugins stop at once and
      // the run ends normally; if it has not after the grace, end it here.
      if (!abort_seen)
        abort_seen = now;
      else if (now - *abort_seen >= opt_.abort_grace)
        emergency_finish("interrupted: the run did not stop within " +
                             duration_text(duration_cast<Micros>(opt_.abort_grace)) +
                             " of the interrupt (a plugin ignores cancellation)",
                         130);
    }
    std::lock_guard slots_lock(slots_mu_);
    for (const auto &slot : slots_) {
      int64_t d = slot->deadline_ns.load(std::memory_order_relaxed);
      if (d == 0 || now.time_since_epoch() < nanoseconds(d) + opt_.stuck_grace)
        continue;
      const StepDef *step = slot->step.load();
      std::string what = step
                             ? "step '" + step->name + "' [" + step->use + "] at " + step->loc.str()
                             : "a plugin call";
      emergency_finish(what + " did not return " +
                           duration_text(duration_cast<Micros>(opt_.stuck_grace)) +
                           " after its deadline: its plugin ignores cancellation, so the run "
                           "ends here (cleanup and teardown did not run)",
                       1);
    }
  }
}

void Runner::emergency_finish(const std::string &reason, int exit_code) {
  std::lock_guard lock(report_mu_);
  if (finishing_)
    return; // the run is writing its reports already
  finishing_ = true;
  std::string why = secrets_.mask(reason);
  std::fprintf(stderr, "error: %s\n", why.c_str());
  auto &p = progress_;
  if (p.suite) {
    // Every test of the suite is reported, in order: finished ones as they
    // ended, running ones as failed with the reason, the rest as not run.
    for (size_t i = p.next_report; i < p.chosen.size(); ++i) {
      if (p.done[i]) {
        deliver_locked(*p.done[i]);
        continue;
      }
      auto running = p.running.find(i);
      if (running != p.running.end() && running->second) {
        TestEvents &ev = *running->second;
        {
          std::lock_guard events_lock(ev.mu);
          ev.record = p.base[i];
          ev.record.status = Status::Failed;
          ev.record.message = why;
        }
        deliver_locked(ev);
        continue;
      }
      TestRecord tr = p.base[i];
      tr.status = running != p.running.end() ? Status::Failed : Status::Skipped;
      tr.message = running != p.running.end() ? why : "not run: " + why;
      finish_test_locked(*p.srec, tr);
    }
    p.srec->status = Status::Failed;
    p.srec->message = why;
    p.sum->passed += p.srec->passed;
    p.sum->failed += p.srec->failed;
    p.sum->skipped += p.srec->skipped;
    ++p.sum->suite_errors;
    for (auto *r : reporters_)
      r->suite_finished(*p.srec);
  }
  RunSummary sum = p.sum ? *p.sum : RunSummary{};
  sum.interrupted = exit_code == 130;
  sum.duration_ms = ms_since(run_start_);
  bool reports_ok = true;
  for (auto *r : reporters_) {
    std::string err;
    if (!r->run_finished(sum, &err)) {
      std::fprintf(stderr, "error: %s\n", secrets_.mask(err).c_str());
      reports_ok = false;
    }
  }
  std::fflush(stdout);
  std::fflush(stderr);
  // Threads stuck in plugin code cannot be joined: leave without them.
  std::_Exit(reports_ok ? exit_code : 4);
}

} // namespace seam
