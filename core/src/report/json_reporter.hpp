// The report document that the JSON and HTML reports share: every suite,
// test and step with its input, output, timing and verdict, built from the
// runner's events.
#pragma once

#include "seam/core/report/reporters.hpp"

namespace seam {

class JsonDocument : public Reporter {
public:
  bool wants_step_io() const override { return true; }
  void run_started(const RunInfo &info) override;
  void suite_started(const Suite &s) override;
  void step_finished(const StepRecord &r) override;
  void test_finished(const TestRecord &t) override;
  void suite_finished(const SuiteRecord &s) override;

protected:
  // Completes the document with the run's summary.
  json &finish(const RunSummary &sum);

private:
  json doc_, cur_, steps_, cleanup_;
};

} // namespace seam
