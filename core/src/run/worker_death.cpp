// A worker that ended without finishing its suite: the test it died in
// fails, named through the call slots it shared with the parent, with how it
// ended and the last lines the plugins printed (docs/workers.md).
#include "output_capture.hpp"
#include "worker_run.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cstring>

namespace seam {

namespace {

std::string signal_text(int sig) {
  const char *abbrev = ::sigabbrev_np(sig);
  const char *desc = ::sigdescr_np(sig);
  return "signal " + std::to_string(sig) + (abbrev ? " (SIG" + std::string(abbrev) : " (") +
         (desc ? std::string(abbrev ? ": " : "") + desc : "") + ")";
}

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

} // namespace

// A worker ended without finishing its suite: fail the test it died in (or
// say which part of the suite it died in, in w.suite_message).
void Runner::end_worker(WorkerRun &w, int status) {
  const Suite &s = *w.suite;
  const SuitePlan &plan = *w.plan;
  std::string cause;
  if (w.killed == WorkerRun::Interrupted)
    cause = "interrupted: its worker did not stop within " +
            duration_text(std::chrono::duration_cast<Micros>(opt_.worker_stop_grace)) +
            " and was killed";
  else if (w.killed == WorkerRun::Stuck)
    cause = "did not return " +
            duration_text(std::chrono::duration_cast<Micros>(opt_.stuck_grace)) +
            " after its deadline (its plugin ignores cancellation): its worker was killed";
  else if (WIFSIGNALED(status))
    cause = "its worker was killed by " + signal_text(WTERMSIG(status));
  else if (WIFEXITED(status))
    cause = "its worker exited with status " + std::to_string(WEXITSTATUS(status)) +
            " (a plugin called exit() or _exit())";
  else
    cause = "its worker was lost";
  uint64_t data = static_cast<uint64_t>(shared_->data_kb.load()) * 1024;
  if (opt_.max_memory > 0 && data >= opt_.max_memory / 2 && w.killed == WorkerRun::None)
    cause += ", with " + mib(data) + " of its " + mib(opt_.max_memory) +
             " memory limit in use: memory limit (--max-memory)";
  std::vector<std::string> output = last_output_lines(
      shared_->tail, std::min<uint32_t>(shared_->tail_len.load(), WorkerShared::kTail), w.out,
      w.err, secrets_, 10);
  std::string last;
  for (size_t i = output.size() > 3 ? output.size() - 3 : 0; i < output.size(); ++i)
    last += (last.empty() ? "; its last output: " : " | ") + output[i];

  // The calls in progress when it died; those marked as the one it died in
  // first.
  std::vector<CallSlot *> in_call, marked;
  uint32_t used = std::min<uint32_t>(shared_->next_slot.load(), WorkerShared::kSlots);
  for (uint32_t i = 0; i < used; ++i) {
    CallSlot &slot = shared_->slots[i];
    if (slot.kind.load() != 0)
      in_call.push_back(&slot);
    if (slot.crashed.load() != 0 && slot.kind.load() != 0)
      marked.push_back(&slot);
  }
  const std::vector<CallSlot *> &culprits = marked.empty() ? in_call : marked;

  auto where = [&](CallSlot &slot, std::string *plugin, std::string *name, std::string *use,
                   std::string *loc) {
    auto kind = static_cast<CallKind>(slot.kind.load());
    int32_t ri = slot.resource.load();
    const ResourceDef *rd =
        ri >= 0 && static_cast<size_t>(ri) < s.resources.size() ? &s.resources[ri] : nullptr;
    if (kind == CallKind::Step && slot.step.load()) {
      const StepDef &step = *slot.step.load();
      const StepPlan &sp = plan.step(step);
      *plugin = sp.target && sp.target->plugin ? sp.target->plugin->name : "";
      *name = step.name;
      *use = step.use;
      *loc = step.loc.str();
      return "step '" + step.name + "' [" + step.use + "] at " + *loc + " (plugin '" + *plugin +
             "')";
    }
    std::string r = rd ? rd->name : "?";
    *plugin = rd ? rd->plugin : "";
    *use = *plugin;
    *loc = rd ? rd->loc.str() : "";
    const char *what = kind == CallKind::Open        ? "open resource "
                       : kind == CallKind::Close     ? "close resource "
                       : kind == CallKind::TestBegin ? "start the test on resource "
                                                     : "end the test on resource ";
    *name = what + r;
    return std::string(what) + "'" + r + "' at " + *loc + " (plugin '" + *plugin + "')";
  };

  bool any_test = false;
  for (CallSlot *slot : culprits) {
    std::string plugin, name, use, loc;
    std::string place = where(*slot, &plugin, &name, &use, &loc);
    int32_t ti = slot->test.load();
    std::string said = "plugin '" + plugin + "': " + cause + last;
    std::string message = secrets_.mask("step '" + name + "' (" + loc + "): " + said);
    if (ti < 0 || static_cast<size_t>(ti) >= s.tests.size()) {
      // Setup, teardown or a resource of the suite.
      auto phase = static_cast<Phase>(slot->phase.load());
      auto kind = static_cast<CallKind>(slot->kind.load());
      bool setup = kind == CallKind::Open || (kind == CallKind::Step && phase == Phase::Setup);
      if (w.suite_message.empty())
        w.suite_message = secrets_.mask(std::string(setup ? "setup" : "teardown") +
                                        " crashed: " + place + ": " + cause + last);
      StepRecord rec;
      rec.suite_file = s.file->path;
      rec.phase = setup ? Phase::Setup : Phase::Teardown;
      rec.name = name;
      rec.use = use;
      rec.location = loc;
      rec.status = Status::Failed;
      rec.message = said;
      rec.expected = rec.actual = json(json::value_t::discarded);
      rec.start_ms = ms_since(run_start_);
      for (const auto &l : output)
        rec.logs.push_back({SEAM_LOG_INFO, l});
      secrets_.mask_in_place(rec.message);
      for (auto *r : reporters_)
        r->step_finished(rec);
      continue;
    }
    auto i = static_cast<size_t>(ti);
    if ((*w.done)[i])
      continue;
    any_test = true;
    const TestDef &t = s.tests[i];
    StepRecord rec;
    rec.suite_file = s.file->path;
    rec.test = t.name;
    rec.phase = static_cast<Phase>(slot->phase.load());
    rec.name = name;
    rec.use = use;
    rec.location = loc;
    rec.status = Status::Failed;
    rec.message = secrets_.mask(said);
    rec.expected = rec.actual = json(json::value_t::discarded);
    rec.start_ms = ms_since(run_start_);
    for (const auto &l : output)
      rec.logs.push_back({SEAM_LOG_INFO, l});
    TestRecord tr;
    tr.suite_file = s.file->path;
    tr.suite_name = s.name;
    tr.name = t.name;
    tr.location = t.loc.str();
    tr.tags = t.tags;
    tr.id = run_id_ + "-" + std::to_string(i + 1);
    tr.status = Status::Failed;
    tr.message = message;
    double began = (*w.running)[i];
    tr.start_ms = began >= 0 ? began : ms_since(run_start_);
    tr.duration_ms = ms_since(run_start_) - tr.start_ms;
    (*w.done)[i] = 1;
    (*w.running)[i] = -1;
    ++w.verdicts;
    if (opt_.fail_fast)
      stop_all_ = true;
    for (auto *r : reporters_)
      r->test_ran(s, t, Status::Failed);
    w.order->verdict(i, std::move(rec), std::move(tr));
  }
  if (!any_test && w.suite_message.empty()) {
    // Not in a plugin call: the tests that were running fail with the cause
    // (run again they could end the same way); the suite says so if none was.
    bool running = false;
    for (size_t i = 0; i < s.tests.size(); ++i) {
      if ((*w.done)[i] || (*w.running)[i] < 0)
        continue;
      running = true;
      TestRecord tr;
      tr.suite_file = s.file->path;
      tr.suite_name = s.name;
      tr.name = s.tests[i].name;
      tr.location = s.tests[i].loc.str();
      tr.tags = s.tests[i].tags;
      tr.id = run_id_ + "-" + std::to_string(i + 1);
      tr.status = Status::Failed;
      tr.message = secrets_.mask(cause + last);
      tr.start_ms = (*w.running)[i];
      tr.duration_ms = ms_since(run_start_) - tr.start_ms;
      (*w.done)[i] = 1;
      (*w.running)[i] = -1;
      ++w.verdicts;
      for (auto *r : reporters_)
        r->test_ran(s, s.tests[i], Status::Failed);
      w.order->verdict(i, std::nullopt, std::move(tr));
    }
    if (!running)
      w.suite_message = secrets_.mask(cause + last);
  }
}

} // namespace seam
