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

// What a thread's plugin call is doing, for the watchdog and for the parent
// of a worker that dies in it.
enum class CallKind : int32_t { None, Step, Open, Close, TestBegin, TestEnd };

// Each thread that calls plugins has a slot with the deadline of its call in
// progress, so that the watchdog sees a plugin that ignores its deadline. In
// a worker the slots live in memory shared with the parent (WorkerShared),
// which reads them to name the step a dead worker was in.
struct Runner::CallSlot {
  std::atomic<int64_t> deadline_ns{0}; // steady clock; 0: no call in progress
  std::atomic<const StepDef *> step{nullptr};
  std::atomic<int32_t> kind{0};      // CallKind
  std::atomic<int32_t> phase{0};     // Phase of the step
  std::atomic<int32_t> test{-1};     // index in suite.tests; -1: setup or teardown
  std::atomic<int32_t> resource{-1}; // index in suite.resources (Open, Close, Test*)
  // Set on the thread a worker died on: 1 a signal, 2 exit(); 3 by the
  // parent, which killed the worker because this call ignored its deadline.
  std::atomic<int32_t> crashed{0};
  // In a worker, the test this thread runs (index in suite.tests, -1: none)
  // and since when (ms since the run started): the parent shows it running
  // and fails it if the worker dies, without a frame per test start.
  std::atomic<int32_t> running{-1};
  std::atomic<double> running_since{0};

  void enter(CallKind k, int32_t test_index, int32_t resource_index) {
    test.store(test_index, std::memory_order_relaxed);
    resource.store(resource_index, std::memory_order_relaxed);
    kind.store(static_cast<int32_t>(k), std::memory_order_release);
  }
  void leave() { kind.store(0, std::memory_order_release); }
};

// The page a worker shares with its parent.
struct Runner::WorkerShared {
  static constexpr size_t kSlots = 300; // up to 256 --jobs threads and the main one
  static constexpr size_t kTail = 3000;
  std::atomic<int64_t> data_kb{0}; // the worker's data size as it died
  std::atomic<uint32_t> next_slot{0};
  std::atomic<uint32_t> tail_len{0};
  char tail[kTail]; // the plugins' latest stdout/stderr, masked
  CallSlot slots[kSlots];
};

// In the parent: reaps the workers that finished their suites, waiting for
// them to be gone, or only those already gone.
void reap_finished_workers(bool wait = true);

// The crash flag of the calling thread's slot (for the worker's crash handlers).
extern thread_local std::atomic<int32_t> *tl_crash_flag;

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
  const json *find(const Ref &ref) const override;

private:
  const json *stored(const Ref &ref) const;

  const Runner &r_;
  const SuiteState &s_;
  const TestState *t_;
};

} // namespace seam
