// A worker as its parent sees it while it runs a suite (worker.cpp), and
// what the parent makes of one that died (worker_death.cpp). Private to
// core/src/run.
#pragma once

#include "event_stream.hpp"
#include "in_order.hpp"
#include "run_state.hpp"

#include <sys/types.h>

#include <map>

namespace seam {

// A worker as the parent sees it.
struct Runner::WorkerRun {
  pid_t pid = -1;
  int events = -1;
  int out = -1, err = -1; // read ends of the worker's stdout and stderr
  stream::Reader reader;
  bool suite_finished = false;
  Status suite_status = Status::Passed;
  std::string suite_message;
  enum { None, Stuck, Interrupted } killed = None;
  // Filled in by the parent from the frames, by index in suite.tests.
  const Suite *suite = nullptr;
  SuiteRecord *srec = nullptr;
  std::vector<char> *done = nullptr; // has its verdict
  InOrder *order = nullptr;
  std::vector<double> *running = nullptr; // start (ms) of a running test; -1 idle, -2 ran
  const SuitePlan *plan = nullptr;
  size_t verdicts = 0; // in this worker
};

} // namespace seam
