// Joining the JSON reports of a run's shards: what makes two reports
// joinable, and the order of the joined suites and tests.
#include "seam/core/report/merge.hpp"
#include "seam/core/base/file_text.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace seam {

namespace {

const char *kHint = "merge the files that `seam run --report json:PATH` writes";

// "1:7" in `text` at a byte offset: JSON syntax errors point like suite errors.
SourceLoc where(const SourceFile *file, const std::string &text, size_t byte) {
  byte = std::min(byte, text.size());
  uint32_t line = 1, col = 1;
  for (size_t i = 0; i + 1 < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {file, line, col};
}

struct Report {
  std::string path;
  json doc;
};

// A report as read, or nothing with the reason in `errors`.
std::optional<Report> read_report(const std::string &path, std::vector<Diagnostic> &errors) {
  std::optional<std::string> read = read_file_text(path);
  if (!read) {
    errors.push_back({{}, "cannot read report " + path, "give the JSON reports of the shards"});
    return std::nullopt;
  }
  std::string text = std::move(*read);
  const SourceFile *file = SourceFile::intern(path, text);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '<') {
    errors.push_back({{file, 1, 1},
                      "not a JSON report: this is XML or HTML (a JUnit or HTML report)",
                      std::string(kHint) + "; JUnit, HTML and TAP reports cannot be read back"});
    return std::nullopt;
  }
  Report r{path, json()};
  try {
    r.doc = json::parse(text);
  } catch (const json::parse_error &e) {
    std::string what = e.what();
    if (auto colon = what.find(": "); colon != std::string::npos)
      what = what.substr(what.rfind(": ") + 2);
    errors.push_back({where(file, text, e.byte), "not a JSON report: " + what, kHint});
    return std::nullopt;
  }
  auto shape = [&](const std::string &why) {
    errors.push_back({{file, 1, 1}, "not a seam JSON report: " + why, kHint});
    return std::nullopt;
  };
  if (!r.doc.is_object() || !r.doc.contains("seam_version") || !r.doc["seam_version"].is_string())
    return shape("no \"seam_version\"");
  if (!r.doc.contains("suites") || !r.doc["suites"].is_array())
    return shape("no \"suites\" list");
  size_t i = 0;
  for (const auto &s : r.doc["suites"]) {
    std::string at = "suites[" + std::to_string(i++) + "]";
    if (!s.is_object() || !s.contains("file") || !s["file"].is_string())
      return shape(at + " has no \"file\"");
    for (const char *list : {"setup", "tests", "teardown"})
      if (!s.contains(list) || !s[list].is_array())
        return shape(at + "." + list + " is not a list");
    size_t k = 0;
    for (const auto &t : s["tests"]) {
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string() ||
          !t.contains("status") || !t["status"].is_string())
        return shape(at + ".tests[" + std::to_string(k) + "] has no \"name\" or \"status\"");
      ++k;
    }
  }
  return r;
}

// "path:12:3" -> (12, 3); a location without numbers sorts first.
std::pair<long, long> line_col(const std::string &loc) {
  auto c2 = loc.rfind(':');
  if (c2 == std::string::npos || c2 == 0)
    return {0, 0};
  auto c1 = loc.rfind(':', c2 - 1);
  if (c1 == std::string::npos)
    return {0, 0};
  try {
    return {std::stol(loc.substr(c1 + 1, c2 - c1 - 1)), std::stol(loc.substr(c2 + 1))};
  } catch (...) {
    return {0, 0};
  }
}

// Where a test stands in its suite file when the location does not say:
// the cases of one [[test]] share its location. A test that ran has an id
// ending in its position in the file ("RUNID-7"); one that did not, the k
// of its name "NAME [k]" (a named case: file order is then unknown).
long case_index(const std::string &name);
long position(const json &test) {
  std::string id = test.value("id", "");
  auto dash = id.rfind('-');
  if (dash != std::string::npos && dash + 1 < id.size() &&
      id.find_first_not_of("0123456789", dash + 1) == std::string::npos)
    return std::stol(id.substr(dash + 1));
  return case_index(test["name"].get<std::string>());
}

long case_index(const std::string &name) {
  if (name.size() < 3 || name.back() != ']')
    return -1;
  auto open = name.rfind(" [");
  if (open == std::string::npos)
    return -1;
  std::string digits = name.substr(open + 2, name.size() - open - 3);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stol(digits);
}

// Orders keys so that each report's own order holds (a suite that came
// before another in one shard comes before it in the whole); where no report
// orders two suites, by path, as a directory's suites run. Cycles (reports
// in conflicting orders) fall back to first appearance.
std::vector<std::string> merged_order(const std::vector<std::vector<std::string>> &orders) {
  std::map<std::string, size_t> first;
  std::vector<std::string> keys;
  std::map<std::string, std::set<std::string>> after;
  std::map<std::string, size_t> before_count;
  for (const auto &order : orders)
    for (size_t i = 0; i < order.size(); ++i) {
      if (first.emplace(order[i], keys.size()).second) {
        keys.push_back(order[i]);
        before_count[order[i]];
      }
      if (i > 0 && order[i - 1] != order[i] && after[order[i - 1]].insert(order[i]).second)
        ++before_count[order[i]];
    }
  std::set<std::string> ready;
  for (const auto &k : keys)
    if (before_count[k] == 0)
      ready.insert(k);
  std::vector<std::string> out;
  std::set<std::string> placed;
  while (out.size() < keys.size()) {
    if (ready.empty()) { // a cycle: the earliest unplaced key goes next
      for (const auto &k : keys)
        if (!placed.count(k)) {
          ready.insert(k);
          break;
        }
    }
    std::string k = *ready.begin();
    ready.erase(ready.begin());
    if (!placed.insert(k).second)
      continue;
    out.push_back(k);
    for (const auto &n : after[k])
      if (!placed.count(n) && --before_count[n] == 0)
        ready.insert(n);
  }
  return out;
}

std::string worst(const std::string &a, const std::string &b) {
  auto rank = [](const std::string &s) { return s == "failed" ? 2 : s == "passed" ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

} // namespace

json merge_json_reports(const std::vector<std::string> &paths, std::vector<Diagnostic> &errors) {
  std::vector<Report> reports;
  for (const auto &p : paths)
    if (auto r = read_report(p, errors))
      reports.push_back(std::move(*r));
  if (!errors.empty())
    return json();
  for (const auto &r : reports) {
    const auto &v = r.doc["seam_version"], &v0 = reports.front().doc["seam_version"];
    if (v != v0)
      errors.push_back({{SourceFile::intern(r.path, ""), 0, 0},
                        "written by seam " + v.get<std::string>() + ", but " +
                            reports.front().path + " by seam " + v0.get<std::string>(),
                        "merge reports of one seam version: run every shard with the same seam"});
  }
  if (!errors.empty())
    return json();

  // A test in two reports ran twice: the reports are not shards of one run
  // (or one report was given twice). One error per pair of reports.
  std::map<std::pair<std::string, std::string>, std::string> seen;
  for (const auto &r : reports) {
    std::set<std::pair<std::string, std::string>> mine;
    std::map<std::string, std::pair<size_t, std::string>> twice; // other report -> count, first
    for (const auto &s : r.doc["suites"])
      for (const auto &t : s["tests"]) {
        std::pair key{s["file"].get<std::string>(), t["name"].get<std::string>()};
        auto [it, fresh] = seen.emplace(key, r.path);
        if (!fresh && !mine.count(key)) {
          auto &[count, example] = twice[it->second];
          if (count++ == 0)
            example = "'" + key.second + "' of " + key.first;
        }
        mine.insert(key);
      }
    for (const auto &[other, found] : twice)
      errors.push_back({{SourceFile::intern(r.path, ""), 0, 0},
                        std::to_string(found.first) + " test" +
                            (found.first == 1 ? " is" : "s are") + " also in " + other + " (" +
                            found.second + (found.first > 1 ? " and more" : "") +
                            "): a test ran twice",
                        "merge the reports of one sharded run, each report once"});
  }
  if (!errors.empty())
    return json();

  std::vector<std::vector<std::string>> orders;
  std::map<std::string, std::vector<const json *>> parts; // per suite file, per report
  for (const auto &r : reports) {
    orders.emplace_back();
    for (const auto &s : r.doc["suites"]) {
      std::string file = s["file"].get<std::string>();
      orders.back().push_back(file);
      parts[file].push_back(&s);
    }
  }

  const json &first = reports.front().doc;
  json out = {{"seam_version", first["seam_version"]},
              {"run_id", ""},
              {"started_at", first.value("started_at", "")},
              {"suites", json::array()}};
  std::string run_ids;
  double duration = 0;
  bool interrupted = false;
  size_t suite_errors = 0;
  for (const auto &r : reports) {
    run_ids += (run_ids.empty() ? "" : "+") + r.doc.value("run_id", std::string("?"));
    std::string at = r.doc.value("started_at", "");
    if (!at.empty() &&
        (out["started_at"].get<std::string>().empty() || at < out["started_at"].get<std::string>()))
      out["started_at"] = at;
    duration = std::max(duration, r.doc.value("duration_ms", 0.0));
    interrupted = interrupted || r.doc.value("interrupted", false);
  }
  out["run_id"] = run_ids;

  size_t passed = 0, failed = 0, skipped = 0;
  for (const auto &file : merged_order(orders)) {
    const auto &ps = parts[file];
    json s = *ps.front();
    s["setup"] = json::array();
    s["teardown"] = json::array();
    s["tests"] = json::array();
    std::string status, message;
    bool suite_error = false; // setup, a resource or teardown failed in a shard
    double start = -1, duration_ms = 0;
    // Each shard set its suite up and tore it down: all of them are shown.
    struct Entry {
      long line, col, index;
      size_t seq;
      const json *test;
    };
    std::vector<Entry> tests;
    for (const json *p : ps) {
      for (const auto &st : (*p)["setup"])
        s["setup"].push_back(st);
      for (const auto &st : (*p)["teardown"])
        s["teardown"].push_back(st);
      for (const auto &t : (*p)["tests"]) {
        auto [line, col] = line_col(t.value("location", ""));
        tests.push_back({line, col, position(t), tests.size(), &t});
      }
      std::string st = p->value("status", "passed");
      // As the runner counts them: a failed suite with a reason of its own.
      suite_error = suite_error || (st == "failed" && !p->value("message", "").empty());
      status = status.empty() ? st : worst(status, st);
      if (message.empty())
        message = p->value("message", "");
      double ps0 = p->value("start_ms", 0.0);
      start = start < 0 ? ps0 : std::min(start, ps0);
      duration_ms = std::max(duration_ms, p->value("duration_ms", 0.0));
    }
    std::stable_sort(tests.begin(), tests.end(), [](const Entry &a, const Entry &b) {
      return std::tie(a.line, a.col, a.index, a.seq) < std::tie(b.line, b.col, b.index, b.seq);
    });
    size_t sp = 0, sf = 0, ss = 0;
    for (const auto &e : tests) {
      std::string st = e.test->value("status", "");
      (st == "failed" ? sf : st == "skipped" ? ss : sp)++;
      s["tests"].push_back(*e.test);
    }
    suite_errors += suite_error ? 1 : 0;
    passed += sp;
    failed += sf;
    skipped += ss;
    s["status"] = status;
    if (message.empty())
      s.erase("message");
    else
      s["message"] = message;
    s["start_ms"] = start < 0 ? 0.0 : start;
    s["duration_ms"] = duration_ms;
    s["summary"] = {{"passed", sp}, {"failed", sf}, {"skipped", ss}};
    out["suites"].push_back(std::move(s));
  }
  out["duration_ms"] = duration;
  out["interrupted"] = interrupted;
  out["summary"] = {
      {"passed", passed}, {"failed", failed}, {"skipped", skipped}, {"suite_errors", suite_errors}};
  return out;
}

} // namespace seam
