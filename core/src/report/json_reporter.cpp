// The JSON report: every suite, test and step with its input, output,
// duration and verdict. Meant for tools (and `seam report merge` later).
#include "json_reporter.hpp"

#include <cmath>

namespace seam {

namespace {

// Milliseconds to the microsecond: more digits are noise, and bytes in a
// report of ten thousand tests.
double ms3(double ms) { return std::round(ms * 1000) / 1000; }

json step_json(const StepRecord &r) {
  json j = {{"name", r.name},
            {"use", r.use},
            {"phase", phase_name(r.phase)},
            {"location", r.location},
            {"status", status_name(r.status)},
            {"start_ms", ms3(r.start_ms)},
            {"duration_ms", ms3(r.duration_ms)},
            {"attempts", r.attempts},
            {"input", r.input},
            {"output", r.output}};
  if (!r.message.empty())
    j["error"] = r.message;
  if (!r.failed_path.empty()) {
    j["failed_path"] = r.failed_path;
    if (!r.expected.is_discarded())
      j["expected"] = r.expected;
    if (!r.actual.is_discarded())
      j["actual"] = r.actual;
  }
  if (!r.logs.empty()) {
    json logs = json::array();
    for (const auto &l : r.logs) {
      static const char *levels[] = {"debug", "info", "warn", "error"};
      logs.push_back({{"level", levels[l.level & 3]}, {"message", l.text}});
    }
    j["logs"] = std::move(logs);
  }
  return j;
}

class JsonReporter : public JsonDocument {
public:
  explicit JsonReporter(std::string path) : path_(std::move(path)) {}

  bool run_finished(const RunSummary &sum, std::string *error) override {
    return write_file_atomic(
        path_, finish(sum).dump(2, ' ', false, json::error_handler_t::replace) + "\n", error);
  }

private:
  std::string path_;
};

} // namespace

void JsonDocument::run_started(const RunInfo &info) {
  doc_ = {{"seam_version", SEAM_VERSION},
          {"run_id", info.run_id},
          {"started_at", info.started_at},
          {"suites", json::array()}};
}

void JsonDocument::suite_started(const Suite &s) {
  // The resources too, so that `seam report merge` can give a merged HTML
  // report the list the HTML report shows.
  json resources = json::array();
  for (const auto &r : s.resources)
    resources.push_back({{"name", r.name}, {"plugin", r.plugin}, {"location", r.loc.str()}});
  cur_ = {{"file", s.file->path},     {"name", s.name},
          {"tags", s.tags},           {"resources", std::move(resources)},
          {"setup", json::array()},   {"tests", json::array()},
          {"teardown", json::array()}};
  steps_ = json::array();
  cleanup_ = json::array();
}

void JsonDocument::step_finished(const StepRecord &r) {
  json j = step_json(r);
  switch (r.phase) {
  case Phase::Setup:
    cur_["setup"].push_back(std::move(j));
    break;
  case Phase::Teardown:
    cur_["teardown"].push_back(std::move(j));
    break;
  case Phase::Test:
    steps_.push_back(std::move(j));
    break;
  case Phase::Cleanup:
    cleanup_.push_back(std::move(j));
    break;
  }
}

void JsonDocument::test_finished(const TestRecord &t) {
  json j = {{"name", t.name},
            {"id", t.id},
            {"location", t.location},
            {"tags", t.tags},
            {"status", status_name(t.status)},
            {"start_ms", ms3(t.start_ms)},
            {"duration_ms", ms3(t.duration_ms)},
            {"steps", std::move(steps_)},
            {"cleanup", std::move(cleanup_)}};
  if (!t.message.empty())
    j["message"] = t.message;
  cur_["tests"].push_back(std::move(j));
  steps_ = json::array();
  cleanup_ = json::array();
}

void JsonDocument::suite_finished(const SuiteRecord &s) {
  cur_["status"] = status_name(s.status);
  cur_["start_ms"] = ms3(s.start_ms);
  cur_["duration_ms"] = ms3(s.duration_ms);
  cur_["started_at"] = s.started_at;
  cur_["summary"] = {{"passed", s.passed}, {"failed", s.failed}, {"skipped", s.skipped}};
  if (!s.message.empty())
    cur_["message"] = s.message;
  doc_["suites"].push_back(std::move(cur_));
}

json &JsonDocument::finish(const RunSummary &sum) {
  doc_["duration_ms"] = ms3(sum.duration_ms);
  doc_["interrupted"] = sum.interrupted;
  doc_["summary"] = {{"passed", sum.passed},
                     {"failed", sum.failed},
                     {"skipped", sum.skipped},
                     {"suite_errors", sum.suite_errors}};
  return doc_;
}

std::unique_ptr<Reporter> make_json_reporter(std::string path) {
  return std::make_unique<JsonReporter>(std::move(path));
}

} // namespace seam
