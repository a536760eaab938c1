// Worker processes (docs/workers.md). The parent has loaded and checked
// everything; for each suite it forks a worker that runs the suite as an
// in-process run would (resources, setup, tests on --jobs threads, teardown)
// and streams its events back (event_stream.hpp). The parent alone feeds the
// reporters, so reports are complete whatever a plugin does to its worker.
// A worker that dies fails the test it died in (named through the call slots
// it shares with the parent); the suite's tests without a verdict then run in
// a fresh worker, with the suite's resources reopened and its setup re-run.
// The parts: event_stream (frames), in_order (tests back in order),
// output_capture (the plugins' stdout/stderr), worker_death.cpp (a dead worker).
#include "event_stream.hpp"
#include "in_order.hpp"
#include "output_capture.hpp"
#include "run_state.hpp"
#include "worker_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

// GCC announces AddressSanitizer with __SANITIZE_ADDRESS__, clang 14 only
// through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define SEAM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SEAM_ASAN 1
#endif
#endif
#ifndef SEAM_ASAN
#define SEAM_ASAN 0
#endif

namespace seam {

thread_local std::atomic<int32_t> *tl_crash_flag = nullptr;

namespace {

// Workers that sent their suite's end and are left to reap (in the parent).
std::vector<pid_t> g_finished;

// A test's entry in WorkerRun::running: the time it started, or one of these.
constexpr double kIdle = -1, kRan = -2;

// The worker's own state for its crash handlers.
std::atomic<int64_t> *g_data_kb = nullptr; // WorkerShared::data_kb
stream::Writer *g_writer = nullptr;
std::mutex *g_report_mu = nullptr;
long g_page_kb = 4;

// The worker's data size (as RLIMIT_DATA counts it), from /proc/self/statm:
// only async-signal-safe calls.
int64_t data_kb() {
  int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char buf[160];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  int64_t field[7] = {0};
  const char *p = buf;
  for (int k = 0; k < 7 && *p; ++k) {
    while (*p >= '0' && *p <= '9')
      field[k] = field[k] * 10 + (*p++ - '0');
    while (*p == ' ' || *p == '\n')
      ++p;
  }
  return field[5] * g_page_kb; // data + stack
}

// Sends the events buffered so far, unless another thread is writing them.
void flush_on_death() {
  if (g_writer && g_report_mu && g_report_mu->try_lock()) {
    g_writer->flush();
    g_report_mu->unlock();
  }
}

extern "C" void on_fatal_signal(int sig) {
  if (tl_crash_flag)
    tl_crash_flag->store(1);
  if (g_data_kb)
    g_data_kb->store(data_kb());
  flush_on_death();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// A plugin called exit(): the worker's own end is _exit, which skips this.
extern "C" void on_plugin_exit(int status, void *) {
  if (tl_crash_flag)
    tl_crash_flag->store(2);
  if (g_data_kb)
    g_data_kb->store(data_kb());
  flush_on_death();
  ::_exit(status); // no destructors of the parent's objects in this copy
}

} // namespace

namespace {

// A secret the worker learned (a plugin's add_secret, an x-seam-secret input
// known after interpolation) goes to the parent at once, before the plugin
// can print it and die: the parent masks what it reads itself (the output a
// dead worker left in its pipes, the crash message) with it.
void tell_parent_secret(std::string_view value) {
  if (!g_writer || !g_report_mu)
    return;
  std::lock_guard lock(*g_report_mu);
  g_writer->begin(stream::Frame::Secret);
  g_writer->str(value);
  g_writer->end();
  g_writer->flush();
}

} // namespace

void Runner::worker_main(SuiteState &st, int events_fd) {
  in_worker_ = true;
  // Terminal signals go to the parent only, which decides what to forward.
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::signal(SIGPIPE, SIG_IGN);
  g_page_kb = ::sysconf(_SC_PAGESIZE) / 1024;
#if !SEAM_ASAN
  // AddressSanitizer maps terabytes of shadow memory: no limit under it.
  if (opt_.max_memory > 0) {
    rlimit rl{opt_.max_memory, opt_.max_memory};
    ::setrlimit(RLIMIT_DATA, &rl);
  }
#endif
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    ::sigaction(sig, &sa, nullptr);
  ::on_exit(on_plugin_exit, nullptr);
  // The wake-ups must never block the worker: a full pipe has one already.
  ::fcntl(events_fd, F_SETFL, ::fcntl(events_fd, F_GETFL) | O_NONBLOCK);
  stream::Writer writer(*events_, events_fd);
  auto reporter = stream::make_stream_reporter(writer, want_io_, want_quiet_steps_,
                                               opt_.jobs > 1 && want_running_tests_);
  reporters_ = {reporter.get()};
  g_data_kb = &shared_->data_kb;
  g_writer = &writer;
  g_report_mu = &report_mu_;
  secrets_.on_add(tell_parent_secret);
  RunSummary sum;
  run_suite(st, sum);
  {
    std::lock_guard lock(report_mu_);
    writer.flush(true);
  }
  ::_exit(0);
}

// Reads what the worker sent and hands it to the reporters. Returns false at
// the end of the stream.
bool Runner::take_worker_frames(WorkerRun &w) {
  bool open = true;
  char buf[256];
  for (;;) { // the wake-ups; the pipe ends when the worker does
    ssize_t n = ::read(w.events, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0)
      open = false;
    if (n <= 0)
      break;
  }
  events_->take(w.reader);
  const Suite &s = *w.suite;
  // A test seen to start (from a frame or a slot), once.
  auto mark_running = [&](size_t t, double since) {
    if ((*w.done)[t] || (*w.running)[t] != kIdle)
      return;
    (*w.running)[t] = since;
    for (auto *r : reporters_)
      r->test_running(s, s.tests[t]);
  };
  stream::Frame kind;
  std::string_view payload;
  while (w.reader.next(&kind, &payload)) {
    stream::Decoder d(payload);
    auto test_at = [&](uint32_t i) -> const TestDef * {
      return i < s.tests.size() ? &s.tests[i] : nullptr;
    };
    switch (kind) {
    case stream::Frame::SuiteStarted: // the parent told the reporters already
      break;
    case stream::Frame::TestRunning:
      if (const TestDef *t = test_at(d.u32()); t && d.ok())
        mark_running(static_cast<size_t>(t - s.tests.data()), ms_since(run_start_));
      break;
    case stream::Frame::TestRan: {
      const TestDef *t = test_at(d.u32());
      auto status = static_cast<Status>(d.u8());
      if (t && d.ok()) {
        // It ended: its record comes next, it is not a test the worker could die in.
        (*w.running)[static_cast<size_t>(t - s.tests.data())] = kRan;
        for (auto *r : reporters_)
          r->test_ran(s, *t, status);
      }
      break;
    }
    case stream::Frame::TestStarted:
      if (const TestDef *t = test_at(d.u32()); t && d.ok())
        w.order->test_started(static_cast<size_t>(t - s.tests.data()));
      break;
    case stream::Frame::Step: {
      StepRecord rec = stream::get_step(d);
      rec.suite_file = s.file->path;
      if (d.ok())
        w.order->step(std::move(rec));
      break;
    }
    case stream::Frame::TestFinished: {
      TestRecord tr = stream::get_test(d);
      if (!d.ok() || tr.index >= s.tests.size())
        break;
      tr.suite_file = s.file->path;
      tr.suite_name = s.name;
      const size_t at = tr.index;
      (*w.done)[at] = 1;
      (*w.running)[at] = -1;
      ++w.verdicts;
      if (tr.status == Status::Failed && opt_.fail_fast)
        stop_all_ = true;
      w.order->test_finished(at, std::move(tr));
      break;
    }
    case stream::Frame::SuiteFinished:
      w.suite_status = static_cast<Status>(d.u8());
      w.suite_message = d.str();
      w.suite_finished = d.ok();
      break;
    case stream::Frame::Secret:
      if (std::string v = d.str(); d.ok())
        secrets_.add(v);
      break;
    }
  }
  // The tests the worker's threads are running, from the slots it shares:
  // shown running, and failed rather than run again if it dies now.
  uint32_t used = std::min<uint32_t>(shared_->next_slot.load(), WorkerShared::kSlots);
  for (uint32_t i = 0; i < used; ++i) {
    CallSlot &slot = shared_->slots[i];
    int32_t t = slot.running.load(std::memory_order_acquire);
    if (t >= 0 && static_cast<size_t>(t) < s.tests.size())
      mark_running(static_cast<size_t>(t), slot.running_since.load(std::memory_order_relaxed));
  }
  return open;
}

void reap_finished_workers(bool wait) {
  std::erase_if(g_finished, [wait](pid_t pid) {
    pid_t got;
    while ((got = ::waitpid(pid, nullptr, wait ? 0 : WNOHANG)) < 0 && errno == EINTR) {
    }
    return got != 0;
  });
}

void Runner::run_suite_in_workers(SuiteState &st, RunSummary &sum) {
  reap_finished_workers(false); // those of earlier suites that are gone
  const Suite &s = *st.suite;
  auto start = Clock::now();
  SuiteRecord srec = begin_suite_record(s, start);

  const size_t n = s.tests.size();
  std::vector<char> chosen(n, 0), done(n, 0);
  std::vector<double> running(n, kIdle);
  for (size_t i = 0; i < n; ++i) {
    std::string why;
    chosen[i] = selected(s, s.tests[i], &why);
  }
  InOrder order(s, chosen, reporters_, [&](TestRecord &tr) { finish_test_locked(srec, tr); });
  auto base_record = [&](size_t i) {
    TestRecord tr;
    tr.suite_file = s.file->path;
    tr.suite_name = s.name;
    tr.name = s.tests[i].name;
    tr.location = s.tests[i].loc.str();
    tr.index = static_cast<uint32_t>(i);
    tr.tags = s.tests[i].tags;
    return tr;
  };
  // Every chosen test without a verdict gets this one.
  auto not_run = [&](const std::string &why) {
    for (size_t i = 0; i < n; ++i) {
      if (!chosen[i] || done[i])
        continue;
      TestRecord tr = base_record(i);
      bool was_running = running[i] >= 0;
      tr.status = was_running ? Status::Failed : Status::Skipped;
      tr.message = was_running ? why : "not run: " + why;
      if (was_running) {
        tr.id = run_id_ + "-" + std::to_string(i + 1);
        tr.start_ms = running[i];
        tr.duration_ms = ms_since(run_start_) - running[i];
      }
      done[i] = 1;
      for (auto *r : reporters_)
        r->test_ran(s, s.tests[i], tr.status);
      order.verdict(i, std::nullopt, std::move(tr));
    }
  };

  std::string problem; // the suite's own: setup, resources, teardown, a lost worker
  bool skipped = false;
  if (!shared_) {
    void *page = ::mmap(nullptr, sizeof(WorkerShared), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
      throw std::runtime_error(std::string("cannot map memory for a worker: ") +
                               std::strerror(errno));
    shared_ = static_cast<WorkerShared *>(page);
    events_ = stream::EventRing::map();
  }
  for (;;) {
    // A worker runs the chosen tests that have no verdict yet.
    skip_tests_.assign(done.begin(), done.end());
    new (shared_) WorkerShared();
    events_->reset();
    int ev[2], out[2], err[2];
    if (::pipe2(ev, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
      throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(ev[0]);
      capture_plugin_output(out, err, secrets_, shared_->tail, WorkerShared::kTail,
                            &shared_->tail_len);
      worker_main(st, ev[1]);
    }
    ::close(ev[1]);
    ::close(out[1]);
    ::close(err[1]);
    if (pid < 0)
      throw std::runtime_error(std::string("cannot start a worker: ") + std::strerror(errno));
    WorkerRun w;
    w.pid = pid;
    w.events = ev[0];
    w.out = out[0];
    w.err = err[0];
    w.suite = &s;
    w.srec = &srec;
    w.done = &done;
    w.order = &order;
    w.running = &running;
    w.plan = st.plan;
    for (int fd : {ev[0], out[0], err[0]})
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

    int status = 0;
    std::optional<Clock::time_point> interrupt_seen;
    int forwarded = 0; // 1: SIGINT sent, 2: SIGTERM sent
    for (;;) {
      pollfd pf{w.events, POLLIN, 0};
      ::poll(&pf, 1, 50);
      bool open;
      {
        std::lock_guard lock(report_mu_);
        open = take_worker_frames(w);
      }
      if (w.suite_finished) {
        // Its last frame: the worker only calls _exit now, whose teardown
        // of a copy of seam's memory takes milliseconds. It is reaped later
        // (reap_finished_workers), while the run goes on.
        g_finished.push_back(pid);
        status = 0; // exited with 0
        break;
      }
      if (::waitpid(pid, &status, open ? WNOHANG : 0) == pid) {
        std::lock_guard lock(report_mu_);
        take_worker_frames(w); // what it sent just before it ended
        break;
      }
      auto now = Clock::now();
      if (interrupts_.stop.load() && w.killed == WorkerRun::None) {
        // The worker stops as an in-process run would (cleanup, teardown),
        // but within the grace whatever its plugins do.
        if (!interrupt_seen)
          interrupt_seen = now;
        int want = interrupts_.abort.load() ? 2 : 1;
        if (forwarded < want) {
          ::kill(pid, want == 2 ? SIGTERM : SIGINT);
          forwarded = want;
        }
        if (now - *interrupt_seen >= opt_.worker_stop_grace) {
          ::kill(pid, SIGKILL);
          w.killed = WorkerRun::Interrupted;
          std::fprintf(
              stderr,
              "error: interrupted: the run did not stop within %s of the interrupt (a "
              "plugin ignores cancellation), so the worker of suite '%s' was killed\n",
              duration_text(std::chrono::duration_cast<Micros>(opt_.worker_stop_grace)).c_str(),
              secrets_.mask(s.name).c_str());
        }
      }
      if (w.killed == WorkerRun::None) {
        // The watchdog: a plugin call that ignores its deadline.
        uint32_t used = std::min<uint32_t>(shared_->next_slot.load(), WorkerShared::kSlots);
        for (uint32_t i = 0; i < used; ++i) {
          CallSlot &slot = shared_->slots[i];
          int64_t d = slot.deadline_ns.load();
          if (d != 0 && now.time_since_epoch() >= std::chrono::nanoseconds(d) + opt_.stuck_grace) {
            slot.crashed.store(3);
            ::kill(pid, SIGKILL);
            w.killed = WorkerRun::Stuck;
            const StepDef *step = slot.step.load();
            std::string what =
                step && slot.kind.load() == static_cast<int32_t>(CallKind::Step)
                    ? "step '" + step->name + "' [" + step->use + "] at " + step->loc.str()
                    : "a plugin call";
            std::fprintf(
                stderr,
                "error: %s did not return %s after its deadline: its plugin ignores "
                "cancellation, so its worker was killed (the suite's tests left run "
                "in a fresh worker)\n",
                secrets_.mask(what).c_str(),
                duration_text(std::chrono::duration_cast<Micros>(opt_.stuck_grace)).c_str());
            break;
          }
        }
      }
    }
    ::close(w.events);
    bool restart = false;
    {
      std::lock_guard lock(report_mu_);
      if (w.suite_finished && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (!w.suite_message.empty() && problem.empty())
          problem = w.suite_message;
        skipped = skipped || w.suite_status == Status::Skipped;
      } else {
        w.order->worker_ended();
        end_worker(w, status);
        if (!w.suite_message.empty() && problem.empty())
          problem = w.suite_message;
        if (interrupts_.stop.load() || w.killed == WorkerRun::Interrupted) {
          not_run("interrupted");
        } else if (!problem.empty()) {
          // Setup or a resource crashed: reopening would crash again.
          not_run(problem);
        } else if (stop_all_) {
          not_run("an earlier test failed (--fail-fast)");
        } else if (w.verdicts == 0) {
          problem = "its worker was lost before any test ended";
          not_run(problem);
        } else {
          // The tests that were running beside the one that crashed run
          // again, in the fresh worker, as do those that never started.
          for (size_t i = 0; i < n; ++i) {
            if (chosen[i] && !done[i]) {
              restart = true;
              running[i] = kIdle;
              order.forget(i);
            }
          }
        }
      }
    }
    ::close(w.out);
    ::close(w.err);
    if (!restart)
      break;
  }
  // Tests a lost worker left without a verdict (none, normally).
  not_run(problem.empty() ? "its worker was lost" : problem);

  srec.duration_ms = ms_since(start);
  srec.message = secrets_.mask(problem);
  if (skipped)
    srec.status = Status::Skipped;
  else if (!problem.empty() || srec.failed > 0)
    srec.status = Status::Failed;
  if (!problem.empty() && !skipped)
    ++sum.suite_errors;
  sum.passed += srec.passed;
  sum.failed += srec.failed;
  sum.skipped += srec.skipped;
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_)
    r->suite_finished(srec);
}

} // namespace seam
