// TAP version 14 (testanything.org): one subtest per suite holding one test
// point per test; a failure carries a YAML diagnostic block with the message,
// the failing step, its location, and expected vs actual; a skipped test is
// `ok N - name # SKIP reason`. A suite whose resources, setup or teardown
// failed is a failed point of its own with the reason.
#include "seam/core/report/reporters.hpp"

#include <cctype>
#include <cmath>
#include <string_view>

namespace seam {

namespace {

// A description or directive reason: one line, with `\` and `#` escaped
// (TAP 14), control characters shown as spaces.
std::string tap_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char ch : s) {
    if (ch == '\\' || ch == '#') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20 || ch == 0x7F) {
      out += ' ';
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

// YAML scalars are written as JSON (a JSON string is a YAML double-quoted
// scalar), containers as block collections, so that any value round-trips.
std::string yaml_scalar(const json &v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A key is written bare when it is a plain word that no YAML version reads
// as anything but a string, quoted otherwise.
std::string yaml_key(const std::string &key) {
  static const char *const kSpecial[] = {"y",   "n",    "yes",   "no",  "on",
                                         "off", "true", "false", "null"};
  bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char ch : key)
    plain = plain && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
  std::string lower;
  for (char ch : key)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char *w : kSpecial)
    plain = plain && lower != w;
  return plain ? key : yaml_scalar(json(key));
}

void yaml_node(std::string &out, size_t indent, const json &v);

void yaml_field(std::string &out, size_t indent, const std::string &key, const json &v) {
  out.append(indent, ' ');
  out += yaml_key(key) + ":";
  yaml_node(out, indent, v);
}

void yaml_node(std::string &out, size_t indent, const json &v) {
  if (v.is_object() && !v.empty()) {
    out += "\n";
    for (const auto &[k, x] : v.items())
      yaml_field(out, indent + 2, k, x);
  } else if (v.is_array() && !v.empty()) {
    out += "\n";
    for (const auto &x : v) {
      out.append(indent + 2, ' ');
      out += "-";
      yaml_node(out, indent + 2, x);
    }
  } else {
    out += " " + yaml_scalar(v) + "\n";
  }
}

// A YAML diagnostic block's fields, in the order they are written.
using Diag = std::vector<std::pair<std::string, json>>;

void set(Diag &d, const std::string &key, json value) {
  for (auto &[k, v] : d)
    if (k == key) {
      v = std::move(value);
      return;
    }
  d.emplace_back(key, std::move(value));
}

struct Test {
  TestRecord rec;
  Diag diag; // of a failure
};

struct TapSuite {
  SuiteRecord rec;
  std::vector<Test> tests;
  json suite_steps = json::array(); // failed resource, setup, teardown steps
};

Diag step_diag(const StepRecord &r) {
  Diag d = {{"message", r.message},
            {"severity", "fail"},
            {"location", r.location},
            {"step", r.name},
            {"use", r.use}};
  if (r.phase != Phase::Test)
    set(d, "phase", phase_name(r.phase));
  if (!r.failed_path.empty()) {
    set(d, "failed_path", r.failed_path);
    if (!r.expected.is_discarded())
      set(d, "expected", r.expected);
    if (!r.actual.is_discarded())
      set(d, "actual", r.actual);
  }
  return d;
}

json as_object(const Diag &d) {
  json j = json::object();
  for (const auto &[k, v] : d)
    j[k] = v;
  return j;
}

class TapReporter : public Reporter {
public:
  explicit TapReporter(std::string path) : path_(std::move(path)) {}
  bool wants_quiet_steps() const override { return false; } // failures and logs only

  void suite_started(const Suite &) override {
    suites_.emplace_back();
    pending_.clear();
    logs_ = json::array();
  }

  // A test's events arrive whole and in order (also under --jobs): the
  // steps since the last test_finished are this test's.
  void step_finished(const StepRecord &r) override {
    if (r.phase == Phase::Setup || r.phase == Phase::Teardown) {
      if (r.status == Status::Failed)
        suites_.back().suite_steps.push_back(as_object(step_diag(r)));
      return;
    }
    for (const auto &l : r.logs)
      logs_.push_back("[" + r.name + "] " + l.text);
    if (r.status == Status::Failed && pending_.empty())
      pending_ = step_diag(r);
  }

  void test_finished(const TestRecord &t) override {
    Test out{t, {}};
    if (t.status == Status::Failed) {
      // The test's message names the step and says why; the step's own
      // fields follow (a test that failed outside a step has none).
      out.diag = pending_.empty() ? Diag{{"message", t.message}, {"severity", "fail"}} : pending_;
      set(out.diag, "message", t.message);
      if (pending_.empty())
        set(out.diag, "location", t.location);
      set(out.diag, "test_location", t.location);
      set(out.diag, "duration_ms", std::round(t.duration_ms * 1000) / 1000);
      if (!logs_.empty())
        set(out.diag, "logs", logs_);
    }
    suites_.back().tests.push_back(std::move(out));
    pending_.clear();
    logs_ = json::array();
  }

  void suite_finished(const SuiteRecord &s) override { suites_.back().rec = s; }

  bool run_finished(const RunSummary &sum, std::string *error) override {
    std::string x = "TAP version 14\n1.." + std::to_string(suites_.size()) + "\n";
    size_t n = 0;
    for (const auto &s : suites_) {
      x += "# Subtest: " + tap_text(s.rec.name) + "\n";
      x += "    1.." + std::to_string(s.tests.size()) + "\n";
      size_t i = 0;
      for (const auto &t : s.tests) {
        x += "    " + std::string(t.rec.status == Status::Failed ? "not ok " : "ok ") +
             std::to_string(++i) + " - " + tap_text(t.rec.name);
        if (t.rec.status == Status::Skipped)
          x += " # SKIP " + tap_text(t.rec.message.empty() ? "skipped" : t.rec.message);
        x += "\n";
        if (!t.diag.empty())
          block(x, 6, t.diag);
      }
      x += std::string(s.rec.status == Status::Failed ? "not ok " : "ok ") + std::to_string(++n) +
           " - " + tap_text(s.rec.name);
      if (s.rec.status == Status::Skipped)
        x += " # SKIP " + tap_text(s.rec.message.empty() ? "skipped" : s.rec.message);
      x += "\n";
      if (s.rec.status == Status::Failed) {
        Diag d = {{"message", s.rec.message.empty()
                                  ? std::to_string(s.rec.failed) + " of " +
                                        std::to_string(s.tests.size()) + " tests failed"
                                  : s.rec.message},
                  {"severity", "fail"},
                  {"file", s.rec.file},
                  {"passed", s.rec.passed},
                  {"failed", s.rec.failed},
                  {"skipped", s.rec.skipped}};
        if (!s.suite_steps.empty())
          d.emplace_back("steps", s.suite_steps);
        block(x, 2, d);
      }
    }
    if (sum.interrupted)
      x += "# interrupted: tests after the interrupt were not run\n";
    x += "# " + std::to_string(sum.passed) + " passed, " + std::to_string(sum.failed) +
         " failed, " + std::to_string(sum.skipped) + " skipped\n";
    return write_file_atomic(path_, x, error);
  }

private:
  static void block(std::string &x, size_t indent, const Diag &d) {
    x.append(indent, ' ');
    x += "---\n";
    for (const auto &[k, v] : d)
      yaml_field(x, indent, k, v);
    x.append(indent, ' ');
    x += "...\n";
  }

  std::string path_;
  std::vector<TapSuite> suites_;
  Diag pending_; // the first failed step of the test being reported
  json logs_ = json::array();
};

} // namespace

std::unique_ptr<Reporter> make_tap_reporter(std::string path) {
  return std::make_unique<TapReporter>(std::move(path));
}

} // namespace seam
