// A worker reports each test whole as it ends, so that a crash loses no test
// that ended; the parent puts them back in the suite's order here (as an
// in-process run under --jobs does), with the verdicts it gives itself to
// tests a worker died in. Private to core/src/run.
#pragma once

#include "seam/core/report/reporter.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace seam {

class InOrder {
public:
  // `chosen[i]`: test i of the suite is part of the run. `finish` counts and
  // reports a test's record.
  InOrder(const Suite &s, std::vector<char> chosen, const std::vector<Reporter *> &reporters,
          std::function<void(TestRecord &)> finish);

  void test_started(size_t i);
  // A step of the test started last (setup and teardown steps: none).
  void step(StepRecord rec);
  void test_finished(size_t i, TestRecord rec);
  // The worker that ran the current test is gone.
  void worker_ended() { current_ = -1; }
  // A verdict the parent gives: with the step it ends on, or none.
  void verdict(size_t i, std::optional<StepRecord> step, TestRecord rec);
  // Whether test i's test_started was seen (sent or held).
  bool started(size_t i) const { return held_[i].started_sent || held_[i].has_started; }
  // Forgets what is held of a test that will run again.
  void forget(size_t i);

private:
  void advance();
  struct Held {
    bool started_sent = false, has_started = false;
    std::vector<StepRecord> steps;
    std::optional<TestRecord> record;
  };
  const Suite &suite_;
  std::vector<char> chosen_;
  const std::vector<Reporter *> &reporters_;
  std::function<void(TestRecord &)> finish_;
  std::vector<Held> held_;
  size_t next_ = 0;   // the first chosen test not reported whole
  long current_ = -1; // the test whose steps come now
};

} // namespace seam
