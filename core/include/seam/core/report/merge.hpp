// `seam report merge`: the JSON reports of several runs of one suite set (the
// shards of a run spread over CI machines) joined into one run, then replayed
// as events to the ordinary reporters, so that a merged JUnit, HTML, TAP or
// JSON report is written by the same code as a single run's.
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/report/reporter.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace seam {

using json = nlohmann::json;

// Reads JSON reports and joins them: suites by file, in an order that keeps
// every report's own order; tests of a suite in file order. Problems (a file
// that is not a seam JSON report, reports of different seam versions, a test
// present in two reports) are returned as diagnostics and nothing is joined.
json merge_json_reports(const std::vector<std::string> &paths, std::vector<Diagnostic> &errors);

// Feeds a joined report (the shape of a JSON report) to reporters as the
// runner would have. Reporters' file errors are appended to *report_errors.
RunSummary replay_report(const json &doc, const std::vector<Reporter *> &reporters,
                         std::vector<std::string> *report_errors);

} // namespace seam
