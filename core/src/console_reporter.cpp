// Human output: one line per test, details for failures, a closing summary
// line "N passed, N failed, N skipped". Quiet when all is well.
#include "seam/core/reporters.hpp"

#include <map>
#include <string_view>
#include <utility>

namespace seam {

namespace {
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

class ConsoleReporter : public Reporter {
public:
  ConsoleReporter(std::FILE *out, ConsoleOptions opt) : out_(out), opt_(opt) {}

  void suite_started(const Suite &s) override {
    std::fprintf(out_, "%s%s%s  %s%s%s\n", c("1"), clean(s.name).c_str(), c("0"), c("2"), clean(s.file->path).c_str(), c("0"));
    std::fflush(out_);
  }

  void step_finished(const StepRecord &r) override {
    if (opt_.verbose) {
      const char *mark = r.status == Status::Passed ? "ok  " : r.status == Status::Skipped ? "skip" : "FAIL";
      const char *color = r.status == Status::Passed ? "32" : r.status == Status::Skipped ? "33" : "31";
      std::string phase = r.phase == Phase::Test ? "" : std::string(phase_name(r.phase)) + ": ";
      std::fprintf(out_, "      %s%s%s %s%s [%s] (%s%s)\n", c(color), mark, c("0"), clean(phase).c_str(), clean(r.name).c_str(),
                   clean(r.use).c_str(), human_ms(r.duration_ms).c_str(),
                   r.attempts > 1 ? (", " + std::to_string(r.attempts) + " attempts").c_str() : "");
      for (const auto &l : r.logs)
        std::fprintf(out_, "           %slog:%s %s\n", c("2"), c("0"), clean(l.text).c_str());
    }
    if (r.status == Status::Failed) {
      if (r.phase == Phase::Setup || r.phase == Phase::Teardown) {
        std::fprintf(out_, "  %sERROR%s %s: %s (%s)\n", c("1;31"), c("0"), phase_name(r.phase).data(),
                     clean(r.name).c_str(), clean(r.location).c_str());
        print_detail(r);
      } else if (r.phase == Phase::Cleanup) {
        cleanup_failures_[r.test].push_back(r);
      } else {
        failures_[r.test] = r;
      }
    } else if (r.status == Status::Skipped && r.phase == Phase::Setup) {
      std::fprintf(out_, "  %sSKIP%s  %s\n", c("33"), c("0"), clean(r.message).c_str());
    }
    std::fflush(out_);
  }

  void test_finished(const TestRecord &t) override {
    const char *mark = t.status == Status::Passed ? "PASS" : t.status == Status::Skipped ? "SKIP" : "FAIL";
    const char *color = t.status == Status::Passed ? "32" : t.status == Status::Skipped ? "33" : "1;31";
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
    if (!s.message.empty() && s.status == Status::Failed)
      std::fprintf(out_, "  %sERROR%s %s\n", c("1;31"), c("0"), clean(s.message).c_str());
    ++suites_;
    std::fflush(out_);
  }

  bool run_finished(const RunSummary &sum, std::string *) override {
    size_t tests = sum.passed + sum.failed + sum.skipped;
    std::fprintf(out_, "\n%zu test%s in %zu suite%s, %s%s\n", tests, tests == 1 ? "" : "s", suites_,
                 suites_ == 1 ? "" : "s", human_ms(sum.duration_ms).c_str(),
                 sum.interrupted ? " (interrupted)" : "");
    if (sum.suite_errors)
      std::fprintf(out_, "%zu suite error%s (resources, setup or teardown)\n", sum.suite_errors,
                   sum.suite_errors == 1 ? "" : "s");
    const char *color = sum.failed || sum.suite_errors ? "1;31" : "1;32";
    std::fprintf(out_, "%s%zu passed, %zu failed, %zu skipped%s\n", c(color), sum.passed, sum.failed,
                 sum.skipped, c("0"));
    std::fflush(out_);
    return true;
  }

private:
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
    std::fprintf(out_, "        step '%s' [%s] at %s\n", clean(r.name).c_str(), clean(r.use).c_str(), clean(r.location).c_str());
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
  std::map<std::string, StepRecord> failures_;
  std::map<std::string, std::vector<StepRecord>> cleanup_failures_;
  size_t suites_ = 0;
};

} // namespace

std::unique_ptr<Reporter> make_console_reporter(std::FILE *out, ConsoleOptions opt) {
  return std::make_unique<ConsoleReporter>(out, opt);
}

} // namespace seam
