// Human output: one line per test, details for failures, a closing summary
// line "N passed, N failed, N skipped". Quiet when all is well. On a
// terminal, a status line below the output (done/total, failures, elapsed
// time, the tests running now) is redrawn in place as tests start and end.
#include "seam/core/report/reporters.hpp"

#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

namespace seam {

namespace {
// A worker starts with fork() (and in-process plugins may fork too): had the
// status line's ticker been drawing at that moment, the child would start
// with a lock its own threads never release (the allocator's, stdio's) and
// could wait on it forever. The ticker draws only while it holds this lock,
// which fork() takes first.
std::mutex ticker_drawing;

void keep_the_ticker_out_of_fork() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    pthread_atfork([] { ticker_drawing.lock(); }, [] { ticker_drawing.unlock(); },
                   [] { ticker_drawing.unlock(); });
  });
}

// Names and messages come from suites and plugins: control characters in
// them (an escape sequence in a test name) are shown, not obeyed.
std::string clean(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}
} // namespace

namespace {

std::string human_ms(double ms) {
  char buf[32];
  if (ms < 1000)
    std::snprintf(buf, sizeof buf, "%.0f ms", ms < 1 && ms > 0 ? 1.0 : ms);
  else
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
  return buf;
}

std::string elapsed_text(double ms) {
  auto secs = static_cast<long>(ms / 1000);
  char buf[32];
  if (secs < 60)
    std::snprintf(buf, sizeof buf, "%lds", secs);
  else
    std::snprintf(buf, sizeof buf, "%ldm%02lds", secs / 60, secs % 60);
  return buf;
}

// Columns of the terminal (80 when it does not say).
size_t columns(std::FILE *f) {
  struct winsize ws {};
  if (::ioctl(::fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

// Cuts UTF-8 text to `width` characters (no character split in half).
std::string fit(const std::string &text, size_t width) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
      continue;
    if (chars++ == width)
      return text.substr(0, i);
  }
  return text;
}

size_t char_count(const std::string &text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

class ConsoleReporter : public Reporter {
public:
  ConsoleReporter(std::FILE *out, ConsoleOptions opt) : out_(out), opt_(opt) {}
  ~ConsoleReporter() override { stop_ticker(); }

  void run_started(const RunInfo &info) override {
    if (!opt_.progress)
      return;
    std::unique_lock lock(mu_);
    total_ = info.tests;
    start_ = std::chrono::steady_clock::now();
    // The elapsed time moves while a long step runs: redraw now and then.
    keep_the_ticker_out_of_fork();
    ticker_ = std::thread([this] {
      std::unique_lock lock(mu_);
      ticking_ = true;
      tick_.notify_all();
      while (!stopping_) {
        tick_.wait_for(lock, std::chrono::milliseconds(500));
        if (!stopping_) {
          std::lock_guard drawing(ticker_drawing);
          redraw();
        }
      }
    });
    // A worker may be forked as soon as this returns, and a thread that is
    // still starting may hold a lock of the C runtime (the sanitizers'
    // allocator sets a new thread up under its own): wait until the ticker
    // is past its start, waiting for its first tick.
    tick_.wait(lock, [this] { return ticking_; });
  }

  void test_running(const Suite &, const TestDef &t) override {
    if (!opt_.progress)
      return;
    std::lock_guard lock(mu_);
    running_.push_back(&t);
    redraw();
  }

  void test_ran(const Suite &, const TestDef &t, Status status) override {
    if (!opt_.progress)
      return;
    std::lock_guard lock(mu_);
    running_.erase(std::remove(running_.begin(), running_.end(), &t), running_.end());
    ++done_;
    failed_ += status == Status::Failed;
    redraw();
  }

  void suite_started(const Suite &s) override {
    Printing p(*this);
    std::fprintf(out_, "%s%s%s  %s%s%s\n", c("1"), clean(s.name).c_str(), c("0"), c("2"),
                 clean(s.file->path).c_str(), c("0"));
    std::fflush(out_);
  }

  // Without --verbose only failures are shown, and a passing step's logs
  // are not.
  bool wants_quiet_steps() const override { return opt_.verbose; }
  bool wants_running_tests() const override { return opt_.progress; }

  void step_finished(const StepRecord &r) override {
    bool shared = r.phase == Phase::Setup || r.phase == Phase::Teardown;
    Printing p(*this, opt_.verbose || (shared && r.status != Status::Passed));
    if (opt_.verbose) {
      const char *mark = r.status == Status::Passed    ? "ok  "
                         : r.status == Status::Skipped ? "skip"
                                                       : "FAIL";
      const char *color = r.status == Status::Passed    ? "32"
                          : r.status == Status::Skipped ? "33"
                                                        : "31";
      std::string phase = r.phase == Phase::Test ? "" : std::string(phase_name(r.phase)) + ": ";
      std::fprintf(out_, "      %s%s%s %s%s [%s] (%s%s)\n", c(color), mark, c("0"),
                   clean(phase).c_str(), clean(r.name).c_str(), clean(r.use).c_str(),
                   human_ms(r.duration_ms).c_str(),
                   r.attempts > 1 ? (", " + std::to_string(r.attempts) + " attempts").c_str() : "");
      for (const auto &l : r.logs)
        std::fprintf(out_, "           %slog:%s %s\n", c("2"), c("0"), clean(l.text).c_str());
    }
    if (r.status == Status::Failed) {
      if (r.phase == Phase::Setup || r.phase == Phase::Teardown) {
        std::fprintf(out_, "  %sERROR%s %s: %s (%s)\n", c("1;31"), c("0"),
                     phase_name(r.phase).data(), clean(r.name).c_str(), clean(r.location).c_str());
        print_detail(r);
      } else if (r.phase == Phase::Cleanup) {
        cleanup_failures_[r.test].push_back(r);
      } else {
        failures_[r.test] = r;
      }
    } else if (r.status == Status::Skipped && r.phase == Phase::Setup) {
      // The one line that says why the suite is skipped: its tests' lines
      // only say "skipped with its suite".
      std::fprintf(out_, "  %sSKIP%s  suite skipped: %s (%s): %s\n", c("33"), c("0"),
                   clean(r.name).c_str(), clean(r.location).c_str(), clean(r.message).c_str());
    }
    std::fflush(out_);
  }

  void test_finished(const TestRecord &t) override {
    Printing p(*this);
    const char *mark = t.status == Status::Passed    ? "PASS"
                       : t.status == Status::Skipped ? "SKIP"
                                                     : "FAIL";
    const char *color = t.status == Status::Passed    ? "32"
                        : t.status == Status::Skipped ? "33"
                                                      : "1;31";
    std::fprintf(out_, "  %s%s%s  %s", c(color), mark, c("0"), clean(t.name).c_str());
    if (t.status == Status::Skipped)
      std::fprintf(out_, " %s(%s)%s\n", c("2"), clean(t.message).c_str(), c("0"));
    else
      std::fprintf(out_, " %s(%s)%s\n", c("2"), human_ms(t.duration_ms).c_str(), c("0"));
    if (t.status == Status::Failed) {
      if (auto it = failures_.find(t.name); it != failures_.end())
        print_detail(it->second);
      else if (!t.message.empty() && !cleanup_failures_.count(t.name))
        std::fprintf(out_, "        %s\n", clean(t.message).c_str());
      for (const auto &r : cleanup_failures_[t.name]) {
        std::fprintf(out_, "        cleanup:\n");
        print_detail(r);
      }
    }
    failures_.erase(t.name);
    cleanup_failures_.erase(t.name);
    std::fflush(out_);
  }

  void suite_finished(const SuiteRecord &s) override {
    Printing p(*this, !s.message.empty() && s.status == Status::Failed);
    if (!s.message.empty() && s.status == Status::Failed)
      std::fprintf(out_, "  %sERROR%s %s\n", c("1;31"), c("0"), clean(s.message).c_str());
    ++suites_;
    std::fflush(out_);
  }

  bool run_finished(const RunSummary &sum, std::string *) override {
    stop_ticker();
    Printing p(*this);
    size_t tests = sum.passed + sum.failed + sum.skipped;
    std::fprintf(out_, "\n%zu test%s in %zu suite%s, %s%s\n", tests, tests == 1 ? "" : "s", suites_,
                 suites_ == 1 ? "" : "s", human_ms(sum.duration_ms).c_str(),
                 sum.interrupted ? " (interrupted)" : "");
    if (sum.suite_errors)
      std::fprintf(out_, "%zu suite error%s (resources, setup or teardown)\n", sum.suite_errors,
                   sum.suite_errors == 1 ? "" : "s");
    const char *color = sum.failed || sum.suite_errors ? "1;31" : "1;32";
    std::fprintf(out_, "%s%zu passed, %zu failed, %zu skipped%s\n", c(color), sum.passed,
                 sum.failed, sum.skipped, c("0"));
    std::fflush(out_);
    return true;
  }

private:
  // Holds the lock while output is printed, with the status line lifted off
  // the screen and put back below the new lines.
  // (`prints` false: the event only updates state, the line stays.)
  struct Printing {
    explicit Printing(ConsoleReporter &c, bool prints = true) : c(c), lock(c.mu_), prints(prints) {
      if (prints)
        c.clear_status();
    }
    ~Printing() {
      if (prints)
        c.draw_status();
      std::fflush(c.out_);
    }
    ConsoleReporter &c;
    std::lock_guard<std::mutex> lock;
    bool prints;
  };

  // Without colour, no escape sequence at all: the line is blanked with
  // spaces.
  void clear_status() {
    if (shown_ == 0)
      return;
    if (opt_.color)
      std::fputs("\r\x1b[K", out_);
    else
      std::fprintf(out_, "\r%*s\r", static_cast<int>(shown_), "");
    shown_ = 0;
  }

  void draw_status() {
    if (!opt_.progress || stopping_)
      return;
    using Ms = std::chrono::duration<double, std::milli>;
    double ms = Ms(std::chrono::steady_clock::now() - start_).count();
    std::string head = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] ";
    std::string failed = std::to_string(failed_) + " failed";
    std::string tail = ", " + elapsed_text(ms);
    if (!running_.empty()) {
      tail += "; running: ";
      for (size_t i = 0; i < running_.size(); ++i) {
        std::string name = clean(running_[i]->name);
        std::replace(name.begin(), name.end(), '\n', ' ');
        std::replace(name.begin(), name.end(), '\t', ' ');
        tail += (i ? ", " : "") + name;
      }
    }
    // One row less than the width: a full row would wrap and \r could no
    // longer reach the line's start.
    size_t width = columns(out_) - 1;
    std::string plain = fit(head + failed + tail, width);
    shown_ = char_count(plain);
    if (!opt_.color) {
      std::fputs(plain.c_str(), out_);
      return;
    }
    // The same text, coloured: the failure count red once there is one.
    std::string text = plain;
    if (plain.size() > head.size()) {
      std::string f =
          plain.substr(head.size(), std::min(failed.size(), plain.size() - head.size()));
      text = std::string(c("2")) + head + c("0") + (failed_ ? c("31") : c("2")) + f + c("0") +
             c("2") + plain.substr(head.size() + f.size()) + c("0");
    }
    std::fputs(text.c_str(), out_);
  }

  void redraw() {
    clear_status();
    draw_status();
    std::fflush(out_);
  }

  void stop_ticker() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    tick_.notify_all();
    if (ticker_.joinable())
      ticker_.join();
  }

  // SGR sequences are literals, so that several in one printf call do not
  // share a buffer.
  const char *c(std::string_view code) const {
    if (!opt_.color)
      return "";
    static constexpr std::pair<std::string_view, const char *> kCodes[] = {
        {"0", "\x1b[0m"},   {"1", "\x1b[1m"},   {"2", "\x1b[2m"},       {"31", "\x1b[31m"},
        {"32", "\x1b[32m"}, {"33", "\x1b[33m"}, {"1;31", "\x1b[1;31m"}, {"1;32", "\x1b[1;32m"}};
    for (const auto &[k, seq] : kCodes)
      if (k == code)
        return seq;
    return "";
  }

  void print_detail(const StepRecord &r) {
    std::fprintf(out_, "        step '%s' [%s] at %s\n", clean(r.name).c_str(),
                 clean(r.use).c_str(), clean(r.location).c_str());
    std::fprintf(out_, "        %s%s%s\n", c("31"), clean(r.message).c_str(), c("0"));
    if (!r.failed_path.empty() && !r.actual.is_discarded() && r.actual.is_structured()) {
      std::string full = r.actual.dump(2);
      if (full.size() > 2000)
        full = full.substr(0, 2000) + "\n...";
      std::fprintf(out_, "        actual value:\n");
      size_t start = 0;
      while (start < full.size()) {
        size_t end = full.find('\n', start);
        if (end == std::string::npos)
          end = full.size();
        std::fprintf(out_, "          %s\n", full.substr(start, end - start).c_str());
        start = end + 1;
      }
    }
    if (!opt_.verbose)
      for (const auto &l : r.logs)
        std::fprintf(out_, "        %slog:%s %s\n", c("2"), c("0"), clean(l.text).c_str());
  }

  std::FILE *out_;
  ConsoleOptions opt_;
  // The status line: state under mu_, which the ticker thread also takes.
  std::mutex mu_;
  std::condition_variable tick_;
  std::thread ticker_;
  bool stopping_ = false;
  bool ticking_ = false; // the ticker thread has started
  size_t total_ = 0, done_ = 0, failed_ = 0;
  size_t shown_ = 0; // characters of the status line on the screen now
  std::vector<const TestDef *> running_;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, StepRecord> failures_;
  std::map<std::string, std::vector<StepRecord>> cleanup_failures_;
  size_t suites_ = 0;
};

} // namespace

std::unique_ptr<Reporter> make_console_reporter(std::FILE *out, ConsoleOptions opt) {
  return std::make_unique<ConsoleReporter>(out, opt);
}

} // namespace seam
