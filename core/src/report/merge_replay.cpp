// A joined report replayed as the runner's events: the reporters cannot tell
// a merged run from one that ran here. Every string was masked when the
// shard wrote it.
#include "seam/core/report/merge.hpp"

#include "seam/core/model/suite.hpp"

#include <deque>

namespace seam {

namespace {

Status status_of(const json &j) {
  std::string s = j.is_string() ? j.get<std::string>() : "";
  return s == "failed" ? Status::Failed : s == "skipped" ? Status::Skipped : Status::Passed;
}

Phase phase_of(const json &j, Phase fallback) {
  std::string s = j.is_string() ? j.get<std::string>() : "";
  return s == "setup"      ? Phase::Setup
         : s == "cleanup"  ? Phase::Cleanup
         : s == "teardown" ? Phase::Teardown
         : s == "test"     ? Phase::Test
                           : fallback;
}

// "path:line:col" back into a location in `file`.
SourceLoc loc_of(const SourceFile *file, const std::string &text) {
  SourceLoc loc{file, 0, 0};
  auto c2 = text.rfind(':');
  if (c2 == std::string::npos || c2 == 0)
    return loc;
  auto c1 = text.rfind(':', c2 - 1);
  if (c1 == std::string::npos)
    return loc;
  try {
    loc.line = static_cast<uint32_t>(std::stoul(text.substr(c1 + 1, c2 - c1 - 1)));
    loc.col = static_cast<uint32_t>(std::stoul(text.substr(c2 + 1)));
  } catch (...) {
    loc.line = loc.col = 0;
  }
  return loc;
}

std::vector<std::string> strings(const json &j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto &v : j)
      if (v.is_string())
        out.push_back(v.get<std::string>());
  return out;
}

StepRecord step_of(const json &j, const std::string &file, const std::string &test, Phase phase) {
  StepRecord r;
  r.suite_file = file;
  r.test = test;
  r.phase = phase_of(j.value("phase", json()), phase);
  r.name = j.value("name", "");
  r.use = j.value("use", "");
  r.location = j.value("location", "");
  r.status = status_of(j.value("status", json()));
  r.message = j.value("error", "");
  r.failed_path = j.value("failed_path", "");
  r.expected = j.contains("expected") ? j["expected"] : json(json::value_t::discarded);
  r.actual = j.contains("actual") ? j["actual"] : json(json::value_t::discarded);
  r.input = j.value("input", json());
  r.output = j.value("output", json());
  r.start_ms = j.value("start_ms", 0.0);
  r.duration_ms = j.value("duration_ms", 0.0);
  r.attempts = j.value("attempts", 1);
  if (j.contains("logs") && j["logs"].is_array())
    for (const auto &l : j["logs"]) {
      std::string level = l.value("level", "info");
      seam_log_level lv = level == "debug"   ? SEAM_LOG_DEBUG
                          : level == "warn"  ? SEAM_LOG_WARN
                          : level == "error" ? SEAM_LOG_ERROR
                                             : SEAM_LOG_INFO;
      r.logs.push_back({lv, l.value("message", "")});
    }
  return r;
}

} // namespace

RunSummary replay_report(const json &doc, const std::vector<Reporter *> &reporters,
                         std::vector<std::string> *report_errors) {
  RunInfo info{doc.value("run_id", ""), doc.value("started_at", ""), doc["suites"].size(), 0};
  for (const auto &s : doc["suites"])
    info.tests += s["tests"].size();
  for (auto *r : reporters)
    r->run_started(info);
  auto each = [&](auto &&event) {
    for (auto *r : reporters)
      event(*r);
  };
  for (const auto &sj : doc["suites"]) {
    std::string path = sj["file"].get<std::string>();
    const SourceFile *file = SourceFile::intern(path, "");
    Suite suite;
    suite.file = file;
    suite.name = sj.value("name", path);
    suite.tags = strings(sj.value("tags", json()));
    // An HTML report lists each suite's resources; a JSON report that has
    // them (a merged HTML's own document) passes them on.
    if (sj.contains("resources") && sj["resources"].is_array())
      for (const auto &rj : sj["resources"]) {
        ResourceDef rd;
        rd.name = rj.value("name", "");
        rd.plugin = rj.value("plugin", "");
        rd.loc = loc_of(file, rj.value("location", ""));
        suite.resources.push_back(std::move(rd));
      }
    each([&](Reporter &r) { r.suite_started(suite); });
    for (const auto &st : sj["setup"]) {
      StepRecord rec = step_of(st, path, "", Phase::Setup);
      each([&](Reporter &r) { r.step_finished(rec); });
    }
    std::deque<TestDef> defs; // stable addresses while reporters hold them
    for (const auto &tj : sj["tests"]) {
      TestDef &def = defs.emplace_back();
      def.name = tj["name"].get<std::string>();
      def.loc = loc_of(file, tj.value("location", ""));
      def.tags = strings(tj.value("tags", json()));
      TestRecord tr;
      tr.suite_file = path;
      tr.suite_name = suite.name;
      tr.name = def.name;
      tr.id = tj.value("id", "");
      tr.location = tj.value("location", "");
      tr.tags = def.tags;
      tr.status = status_of(tj["status"]);
      tr.message = tj.value("message", "");
      tr.start_ms = tj.value("start_ms", 0.0);
      tr.duration_ms = tj.value("duration_ms", 0.0);
      const json &steps = tj.value("steps", json::array());
      const json &cleanup = tj.value("cleanup", json::array());
      // The runner announces only the tests that start; a skipped test is
      // reported without running.
      if (tr.status != Status::Skipped || !steps.empty())
        each([&](Reporter &r) { r.test_started(suite, def); });
      for (const auto &st : steps) {
        StepRecord rec = step_of(st, path, def.name, Phase::Test);
        each([&](Reporter &r) { r.step_finished(rec); });
      }
      for (const auto &st : cleanup) {
        StepRecord rec = step_of(st, path, def.name, Phase::Cleanup);
        each([&](Reporter &r) { r.step_finished(rec); });
      }
      each([&](Reporter &r) { r.test_finished(tr); });
    }
    for (const auto &st : sj["teardown"]) {
      StepRecord rec = step_of(st, path, "", Phase::Teardown);
      each([&](Reporter &r) { r.step_finished(rec); });
    }
    SuiteRecord srec;
    srec.file = path;
    srec.name = suite.name;
    srec.started_at = sj.value("started_at", "");
    srec.status = status_of(sj.value("status", json()));
    srec.message = sj.value("message", "");
    const json &sum = sj.value("summary", json::object());
    srec.passed = sum.value("passed", size_t{0});
    srec.failed = sum.value("failed", size_t{0});
    srec.skipped = sum.value("skipped", size_t{0});
    srec.start_ms = sj.value("start_ms", 0.0);
    srec.duration_ms = sj.value("duration_ms", 0.0);
    each([&](Reporter &r) { r.suite_finished(srec); });
  }
  RunSummary sum;
  const json &s = doc.value("summary", json::object());
  sum.passed = s.value("passed", size_t{0});
  sum.failed = s.value("failed", size_t{0});
  sum.skipped = s.value("skipped", size_t{0});
  sum.suite_errors = s.value("suite_errors", size_t{0});
  sum.duration_ms = doc.value("duration_ms", 0.0);
  sum.interrupted = doc.value("interrupted", false);
  for (auto *r : reporters) {
    std::string err;
    if (!r->run_finished(sum, &err) && report_errors)
      report_errors->push_back(err);
  }
  return sum;
}

} // namespace seam
