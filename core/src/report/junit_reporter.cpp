// JUnit XML as CI systems read it (Jenkins, GitLab, GitHub Actions test
// reporters): <testsuites> with one <testsuite> per suite file and one
// <testcase> per test; failures carry the message and the failing step.
#include "seam/core/report/reporters.hpp"

#include <unistd.h>

#include <map>
#include <sstream>

namespace seam {

namespace {

// XML 1.0 allows no control characters but tab, LF and CR.
std::string xml_escape(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char ch : s) {
    switch (ch) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
        out += "?";
      else
        out += static_cast<char>(ch);
    }
  }
  return out;
}

std::string secs(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

struct Case {
  TestRecord rec;
  std::string detail; // failing steps, expected vs actual
  std::string logs;
};

struct SuiteOut {
  SuiteRecord rec;
  std::vector<Case> cases;
  std::vector<StepRecord> suite_failures; // resources, setup, teardown
};

class JUnitReporter : public Reporter {
public:
  explicit JUnitReporter(std::string path) : path_(std::move(path)) {}
  bool wants_quiet_steps() const override { return false; } // failures and logs only

  void suite_started(const Suite &) override { suites_.emplace_back(); }

  void step_finished(const StepRecord &r) override {
    if (r.status != Status::Failed && r.logs.empty())
      return;
    if (r.phase == Phase::Setup || r.phase == Phase::Teardown) {
      if (r.status == Status::Failed)
        suites_.back().suite_failures.push_back(r);
      return;
    }
    auto &d = pending_[r.test];
    for (const auto &l : r.logs)
      d.logs += "[" + r.name + "] " + l.text + "\n";
    if (r.status == Status::Failed) {
      d.detail += std::string(r.phase == Phase::Cleanup ? "cleanup " : "") + "step '" + r.name +
                  "' [" + r.use + "] at " + r.location + "\n" + r.message + "\n";
      if (!r.failed_path.empty() && !r.expected.is_discarded())
        d.detail += "expected: " + r.expected.dump() + "\n";
      if (!r.failed_path.empty() && !r.actual.is_discarded())
        d.detail += "actual:   " + r.actual.dump() + "\n";
    }
  }

  void test_finished(const TestRecord &t) override {
    Case c = std::move(pending_[t.name]);
    pending_.erase(t.name);
    c.rec = t;
    suites_.back().cases.push_back(std::move(c));
  }

  void suite_finished(const SuiteRecord &s) override { suites_.back().rec = s; }

  bool run_finished(const RunSummary &sum, std::string *error) override {
    char host[256] = "localhost";
    ::gethostname(host, sizeof host - 1);
    std::ostringstream x;
    size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    for (const auto &s : suites_) {
      tests += s.cases.size() + (s.suite_failures.empty() ? 0 : 1);
      errors += s.suite_failures.empty() ? 0 : 1;
      for (const auto &c : s.cases) {
        failures += c.rec.status == Status::Failed;
        skipped += c.rec.status == Status::Skipped;
      }
    }
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x << "<testsuites name=\"seam\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\""
      << secs(sum.duration_ms) << "\">\n";
    size_t id = 0;
    for (const auto &s : suites_) {
      size_t f = 0, sk = 0;
      for (const auto &c : s.cases) {
        f += c.rec.status == Status::Failed;
        sk += c.rec.status == Status::Skipped;
      }
      size_t e = s.suite_failures.empty() ? 0 : 1;
      x << "  <testsuite name=\"" << xml_escape(s.rec.name) << "\" tests=\"" << s.cases.size() + e
        << "\" failures=\"" << f << "\" errors=\"" << e << "\" skipped=\"" << sk << "\" time=\""
        << secs(s.rec.duration_ms) << "\" timestamp=\""
        << xml_escape(s.rec.started_at.substr(0, 19)) << "\" hostname=\"" << xml_escape(host)
        << "\" id=\"" << id++ << "\" package=\"" << xml_escape(s.rec.file) << "\" file=\""
        << xml_escape(s.rec.file) << "\">\n";
      x << "    <properties>\n      <property name=\"file\" value=\"" << xml_escape(s.rec.file)
        << "\"/>\n";
      // A skipped suite's reason, once (its test cases say "skipped with its suite").
      if (s.rec.status == Status::Skipped && !s.rec.message.empty())
        x << "      <property name=\"skipped\" value=\"" << xml_escape(s.rec.message) << "\"/>\n";
      x << "    </properties>\n";
      if (e) {
        std::string detail;
        for (const auto &r : s.suite_failures)
          detail += std::string(phase_name(r.phase)) + " step '" + r.name + "' [" + r.use +
                    "] at " + r.location + "\n" + r.message + "\n";
        x << "    <testcase name=\"(suite setup and teardown)\" classname=\""
          << xml_escape(s.rec.name) << "\" file=\"" << xml_escape(s.rec.file)
          << "\" time=\"0.000\">\n";
        x << "      <error message=\""
          << xml_escape(s.rec.message.empty() ? s.suite_failures.front().message : s.rec.message)
          << "\" type=\"suite\">" << xml_escape(detail) << "</error>\n    </testcase>\n";
      }
      for (const auto &c : s.cases) {
        x << "    <testcase name=\"" << xml_escape(c.rec.name) << "\" classname=\""
          << xml_escape(s.rec.name) << "\" file=\"" << xml_escape(s.rec.file) << "\" time=\""
          << secs(c.rec.duration_ms) << "\"";
        bool body = c.rec.status != Status::Passed || !c.logs.empty();
        if (!body) {
          x << "/>\n";
          continue;
        }
        x << ">\n";
        if (c.rec.status == Status::Failed)
          x << "      <failure message=\"" << xml_escape(c.rec.message) << "\" type=\"failure\">"
            << xml_escape(c.detail.empty() ? c.rec.message : c.detail) << "</failure>\n";
        else if (c.rec.status == Status::Skipped)
          x << "      <skipped message=\"" << xml_escape(c.rec.message) << "\"/>\n";
        if (!c.logs.empty())
          x << "      <system-out>" << xml_escape(c.logs) << "</system-out>\n";
        x << "    </testcase>\n";
      }
      x << "  </testsuite>\n";
    }
    x << "</testsuites>\n";
    return write_file_atomic(path_, x.str(), error);
  }

private:
  std::string path_;
  std::vector<SuiteOut> suites_;
  std::map<std::string, Case> pending_;
};

} // namespace

std::unique_ptr<Reporter> make_junit_reporter(std::string path) {
  return std::make_unique<JUnitReporter>(std::move(path));
}

} // namespace seam
