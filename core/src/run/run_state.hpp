// What the runner's parts share while a run goes on: the state of a suite and
// of a test, the buffered events of a test run on a worker thread, the slot a
// thread's plugin call is watched through, and the variable scope a step's
// references are evaluated in. Private to core/src/run.
#pragma once

#include "seam/core/run/runner.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace seam {

using Clock = std::chrono::steady_clock;

inline double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}
inline double ms_since(Clock::time_point t) { return ms_between(t, Clock::now()); }

// "5s", "250ms", "1.5s": a duration as messages show it.
std::string duration_text(Micros d);
// n random hex digits; a random UUID (version 4).
std::string random_hex(size_t n);
std::string uuid4();

// A failed open or test_begin as reports show it: an unreachable service says
// "unavailable:" (what --skip-unavailable skips).
std::string failure_text(const CallResult &r);

// The events of one test run on a worker thread (--jobs), held back until
// they can be reported in order.
struct Runner::TestEvents {
  std::mutex mu; // the test's thread adds events; the watchdog may read them
  const TestDef *def = nullptr;
  bool started = false;
  std::vector<StepRecord> steps;
  TestRecord record;
};

// Each thread that calls plugins has a slot with the deadline of its call in
// progress, so that the watchdog sees a plugin that ignores its deadline.
struct Runner::CallSlot {
  std::atomic<int64_t> deadline_ns{0}; // steady clock; 0: no call in progress
  std::atomic<const StepDef *> step{nullptr};
};

struct Runner::TestState {
  const TestDef *def = nullptr;
  std::string id;
  std::unordered_map<std::string, json> saves;
};

struct Runner::SuiteState {
  const Suite *suite = nullptr;
  const SuitePlan *plan = nullptr;
  std::unordered_map<std::string, json> vars; // [vars], --var, and setup saves
  json resources = json::object();            // name -> attributes
  std::vector<void *> handles;                // per resource (by index), nullptr if not open
  std::vector<bool> opened;
};

// How a suite's setup went, which decides whether its tests run.
struct Runner::SuiteOutcome {
  std::string problem;  // empty: resources open and setup passed
  bool skipped = false; // a resource was unavailable under --skip-unavailable
};

// The names a step's references see: built-ins, the test's saved values, the
// suite's variables (scope.cpp).
class Runner::Vars : public Resolver {
public:
  Vars(const Runner &r, const SuiteState &s, const TestState *t) : r_(r), s_(s), t_(t) {}
  std::optional<json> lookup(const Ref &ref) const override;

private:
  const Runner &r_;
  const SuiteState &s_;
  const TestState *t_;
};

} // namespace seam
