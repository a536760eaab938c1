// A run: suites one after another; in each, resources and setup, then the
// selected tests (in order, or on --jobs threads), then teardown. The parts
// live beside this file: prepare.cpp (before the run), resources.cpp,
// test_run.cpp (one test), step_attempt.cpp (one step), scope.cpp (${...}),
// event_sink.cpp (events to reporters, in order) and watchdog.cpp.
#include "run_state.hpp"

#include <thread>

namespace seam {

static uint64_t next_serial() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

Runner::Runner(PluginHost &host, Secrets &secrets, RunOptions options,
               std::vector<Reporter *> reporters, Interrupts &interrupts)
    : host_(host), secrets_(secrets), opt_(std::move(options)), reporters_(std::move(reporters)),
      interrupts_(interrupts), serial_(next_serial()) {
  for (auto *r : reporters_) {
    want_io_ = want_io_ || r->wants_step_io();
    want_quiet_steps_ = want_quiet_steps_ || r->wants_quiet_steps();
    want_running_tests_ = want_running_tests_ || r->wants_running_tests();
  }
  run_id_ = random_hex(10);
  started_at_ = iso_now();
}

Runner::~Runner() = default;

RunSummary Runner::run(std::vector<std::string> *report_errors) {
  run_start_ = Clock::now();
  RunInfo info{run_id_, started_at_, suites_.size(), 0};
  for (const auto &st : suites_)
    for (const auto &t : st->suite->tests) {
      std::string why;
      info.tests += selected(*st->suite, t, &why) ? 1 : 0;
    }
  for (auto *r : reporters_)
    r->run_started(info);
  std::thread watchdog;
  // With workers the parent watches their plugin calls itself (worker.cpp).
  if (opt_.watchdog && !opt_.workers)
    watchdog = std::thread([this] { watch(); });
  RunSummary sum;
  for (auto &st : suites_) {
    if (opt_.workers)
      run_suite_in_workers(*st, sum);
    else
      run_suite(*st, sum);
  }
  sum.duration_ms = ms_since(run_start_);
  sum.interrupted = interrupts_.stop.load();
  {
    std::lock_guard lock(report_mu_);
    finishing_ = true; // from here on the watchdog leaves the reports alone
    for (auto *r : reporters_) {
      std::string err;
      if (!r->run_finished(sum, &err) && report_errors)
        report_errors->push_back(secrets_.mask(err));
    }
  }
  reap_finished_workers();
  if (watchdog.joinable()) {
    {
      std::lock_guard lock(watch_mu_);
      watch_done_ = true;
    }
    watch_cv_.notify_all();
    watchdog.join();
  }
  return sum;
}

SuiteRecord Runner::begin_suite_record(const Suite &s, Clock::time_point start) {
  for (auto *r : reporters_)
    r->suite_started(s);
  SuiteRecord srec;
  srec.start_ms = ms_between(run_start_, start);
  srec.file = s.file->path;
  srec.name = s.name;
  srec.started_at = iso_now();
  return srec;
}

void Runner::run_suite(SuiteState &st, RunSummary &sum) {
  const Suite &s = *st.suite;
  auto start = Clock::now();
  SuiteRecord srec = begin_suite_record(s, start);

  // After --fail-fast tripped or an interrupt, a later suite opens nothing and
  // runs no setup: its tests are reported as not run, one by one.
  const bool halted = stop_all_ || interrupts_.stop.load();
  SuiteOutcome setup;
  st.handles.assign(s.resources.size(), nullptr);
  st.opened.assign(s.resources.size(), false);
  if (!halted)
    setup = open_resources(st);
  if (setup.problem.empty() && !halted) {
    for (const auto &step : s.setup) {
      std::string msg;
      if (interrupts_.stop.load() || run_step(st, nullptr, step, st.plan->step(step), Phase::Setup,
                                              std::nullopt, &msg) != Status::Passed) {
        setup.problem = msg.empty() ? "interrupted" : "setup failed: " + msg;
        break;
      }
    }
  }

  run_tests(st, srec, sum, setup);

  // Teardown always runs once resources are open, even after failures.
  std::string suite_problem = setup.problem;
  if ((s.resources.empty() && !halted) || any_resource_open(st)) {
    for (const auto &step : s.teardown) {
      std::string msg;
      if (run_step(st, nullptr, step, st.plan->step(step), Phase::Teardown, std::nullopt, &msg) ==
              Status::Failed &&
          suite_problem.empty())
        suite_problem = "teardown failed: " + msg;
    }
  }
  close_resources(st);

  srec.duration_ms = ms_since(start);
  srec.message = secrets_.mask(suite_problem);
  if (setup.skipped)
    srec.status = Status::Skipped;
  else if (!suite_problem.empty() || srec.failed > 0)
    srec.status = Status::Failed;
  if (!suite_problem.empty() && !setup.skipped)
    ++sum.suite_errors;
  sum.passed += srec.passed;
  sum.failed += srec.failed;
  sum.skipped += srec.skipped;
  std::lock_guard lock(report_mu_);
  progress_ = Progress{};
  for (auto *r : reporters_)
    r->suite_finished(srec);
}

void Runner::run_tests(SuiteState &st, SuiteRecord &srec, RunSummary &sum,
                       const SuiteOutcome &setup) {
  const Suite &s = *st.suite;
  // The tests this run selects; the others are not part of it at all.
  std::vector<const TestDef *> chosen;
  for (const auto &t : s.tests) {
    std::string why;
    // A worker after one that crashed runs only the tests still to run.
    size_t i = static_cast<size_t>(&t - s.tests.data());
    if (selected(s, t, &why) && !(i < skip_tests_.size() && skip_tests_[i]))
      chosen.push_back(&t);
  }
  {
    std::lock_guard lock(report_mu_);
    progress_ = Progress{};
    progress_.suite = &s;
    progress_.srec = &srec;
    progress_.sum = &sum;
    progress_.chosen = chosen;
    progress_.done.resize(chosen.size());
    progress_.base.reserve(chosen.size()); // in a worker, each page grown into is a copy
    for (const TestDef *t : chosen) {
      TestRecord tr;
      tr.suite_file = s.file->path;
      tr.suite_name = s.name;
      tr.name = t->name;
      tr.location = t->loc.str();
      tr.index = static_cast<uint32_t>(t - s.tests.data());
      tr.tags = t->tags;
      progress_.base.push_back(std::move(tr));
    }
  }
  // progress_.base is written before any test runs and read-only after.
  auto run_one = [&](size_t i) { return run_test(st, *chosen[i], progress_.base[i], setup); };

  const size_t workers = std::min<size_t>(std::max(opt_.jobs, 1u), chosen.size());
  if (workers <= 1) {
    for (size_t i = 0; i < chosen.size(); ++i) {
      {
        std::lock_guard lock(report_mu_);
        progress_.running[i] = nullptr; // its events go straight out
      }
      TestRecord tr = run_one(i);
      std::lock_guard lock(report_mu_);
      for (auto *r : reporters_)
        r->test_ran(s, *chosen[i], tr.status);
      progress_.running.erase(i);
      progress_.next_report = i + 1;
      finish_test_locked(srec, tr);
    }
    return;
  }
  // Tests run on `workers` threads. Each test's events are held until the
  // tests before it have been reported, so reporters see every test whole
  // and in the suite's order, as in a sequential run.
  std::atomic<size_t> next_test{0};
  auto worker = [&] {
    for (size_t i; (i = next_test.fetch_add(1)) < chosen.size();) {
      auto events = std::make_unique<TestEvents>();
      events->def = chosen[i];
      {
        std::lock_guard lock(report_mu_);
        progress_.running[i] = events.get();
      }
      tl_events = events.get();
      TestRecord record = run_one(i);
      tl_events = nullptr;
      std::lock_guard lock(report_mu_);
      for (auto *r : reporters_)
        r->test_ran(s, *chosen[i], record.status);
      events->record = std::move(record);
      progress_.running.erase(i);
      if (in_worker_) {
        // The parent puts tests in order: a worker sends each as it ends, so
        // that dying loses none that ended (in_order.hpp).
        deliver_locked(*events);
        continue;
      }
      progress_.done[i] = std::move(events);
      deliver_in_order_locked();
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w)
    pool.emplace_back(worker);
  for (auto &th : pool)
    th.join();
}

} // namespace seam
