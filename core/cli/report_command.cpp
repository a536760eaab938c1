// `seam report merge`: joins the JSON reports of a run's shards into one run
// and writes it as JUnit, JSON, TAP or HTML, with the exit code the whole run
// would have had (0 passed, 1 a test or suite failed).
#include "commands.hpp"

#include "seam/core/report/merge.hpp"
#include "seam/core/report/reporters.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace po = boost::program_options;

namespace seam::cli {

namespace {

const char *kReportUsage = R"(Usage:
  seam report merge REPORT.json... --report KIND:PATH...

Joins the JSON reports of the shards of one run (seam run --shard K/N
--report json:PATH) into one run, written as junit:PATH, json:PATH, tap:PATH
or html:PATH. Exit code 0 when every test passed, 1 when a test or a suite
failed, 2 when a report cannot be read or the reports do not belong together,
4 when a report cannot be written.
)";

int usage_error(const std::string &message, const std::string &hint) {
  std::fprintf(stderr, "error: %s\n  hint: %s\n", message.c_str(), hint.c_str());
  return kUsage;
}

} // namespace

int report_command(const std::vector<std::string> &args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kReportUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kUsage : kPassed;
  }
  if (args[0] != "merge")
    return usage_error("unknown command 'report " + args[0] + "'",
                       "seam report merge A.json B.json --report junit:PATH");
  po::options_description opts("Merge options");
  opts.add_options()("report,r", po::value<std::vector<std::string>>()->composing(),
                     "write the merged run: junit:PATH, json:PATH, tap:PATH or html:PATH")(
      "help,h", "this help");
  po::options_description hidden;
  hidden.add_options()("inputs", po::value<std::vector<std::string>>()->composing());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("inputs", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end()))
                  .options(all)
                  .positional(pos)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage_error(e.what(), "see seam report merge --help");
  }
  if (vm.count("help")) {
    std::fputs(kReportUsage, stdout);
    std::cout << "\n" << opts;
    return kPassed;
  }
  auto list = [&](const char *k) {
    return vm.count(k) ? vm[k].as<std::vector<std::string>>() : std::vector<std::string>{};
  };
  std::vector<std::string> inputs = list("inputs"), reports = list("report");
  if (inputs.empty())
    return usage_error("seam report merge needs the JSON reports to join",
                       "seam report merge shard-1.json shard-2.json --report junit:all.xml");
  if (reports.empty())
    return usage_error("seam report merge writes nothing without --report",
                       "add --report junit:PATH, json:PATH, tap:PATH or html:PATH");
  static const std::map<std::string, std::unique_ptr<Reporter> (*)(std::string)> kReports = {
      {"junit", make_junit_reporter},
      {"json", make_json_reporter},
      {"tap", make_tap_reporter},
      {"html", make_html_reporter}};
  std::vector<std::unique_ptr<Reporter>> owned;
  for (const auto &r : reports) {
    auto colon = r.find(':');
    std::string kind = r.substr(0, colon),
                path = colon == std::string::npos ? "" : r.substr(colon + 1);
    auto make = kReports.find(kind);
    if (path.empty() || make == kReports.end())
      return usage_error("bad --report '" + r + "'",
                         "write --report KIND:PATH, KIND one of junit, json, tap, html");
    owned.push_back(make->second(path));
  }

  std::vector<Diagnostic> errors;
  json doc = merge_json_reports(inputs, errors);
  if (!errors.empty()) {
    for (const auto &d : errors)
      std::fputs(d.render(false).c_str(), stderr);
    std::fprintf(stderr, "%zu error%s; nothing was written\n", errors.size(),
                 errors.size() == 1 ? "" : "s");
    return kUsage;
  }
  std::vector<Reporter *> reporters;
  for (auto &r : owned)
    reporters.push_back(r.get());
  std::vector<std::string> report_errors;
  RunSummary sum = replay_report(doc, reporters, &report_errors);
  for (const auto &e : report_errors)
    std::fprintf(stderr, "error: %s\n", e.c_str());
  std::printf("merged %zu report%s: %zu passed, %zu failed, %zu skipped", inputs.size(),
              inputs.size() == 1 ? "" : "s", sum.passed, sum.failed, sum.skipped);
  if (sum.suite_errors > 0)
    std::printf(", %zu suite error%s", sum.suite_errors, sum.suite_errors == 1 ? "" : "s");
  std::printf("\n");
  if (!report_errors.empty())
    return kReport;
  return sum.failed > 0 || sum.suite_errors > 0 || sum.interrupted ? kFailed : kPassed;
}

} // namespace seam::cli
