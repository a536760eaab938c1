// `seam run` and `seam check`; see run_command.hpp.
#include "run_command.hpp"
#include "commands.hpp"
#include "load_guard.hpp"
#include "size_option.hpp"

#include "seam/core/check/checker.hpp"
#include "seam/core/host/plugin_host.hpp"
#include "seam/core/load/suite_loader.hpp"
#include "seam/core/report/reporters.hpp"
#include "seam/core/run/runner.hpp"
#include "seam/core/run/select.hpp"

#include <seam/duration.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

namespace seam::cli {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> collect_files(const std::vector<std::string> &paths,
                                       std::vector<Diagnostic> &errors) {
  std::vector<std::string> files;
  for (const auto &p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(
               p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".toml")
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty())
        errors.push_back({{}, "no suite files (*.toml) in directory " + p, ""});
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      errors.push_back({{},
                        "no such file or directory: " + p,
                        "give suite files or directories that hold them"});
    }
  }
  // A file named twice (itself and through its directory) runs once, where it
  // is first named.
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto &f : files) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(f, ec);
    if (seen.insert(ec ? f : canonical.string()).second)
      unique.push_back(std::move(f));
  }
  return unique;
}

void print_diagnostics(std::vector<Diagnostic> diags, bool color) {
  // In file order, whichever check found them.
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic &a, const Diagnostic &b) {
    std::string fa = a.loc.file ? a.loc.file->path : "", fb = b.loc.file ? b.loc.file->path : "";
    return std::tie(fa, a.loc.line, a.loc.col) < std::tie(fb, b.loc.line, b.loc.col);
  });
  for (const auto &d : diags)
    std::fputs(d.render(color).c_str(), stderr);
}

struct Loaded {
  std::vector<std::unique_ptr<LoadedSuite>> suites;
  std::vector<std::unique_ptr<SuitePlan>> plans; // plans[i]: what the checker made of suites[i]
  std::vector<Diagnostic> errors;
};

// Loads and checks every suite. Throws PluginError.
Loaded load_and_check(const std::vector<std::string> &files, PluginHost &host,
                      const std::set<std::string> &cli_vars) {
  Loaded l;
  for (const auto &f : files) {
    try {
      auto plan = std::make_unique<SuitePlan>();
      auto ls = LoadedSuite::from_file(f, [&](const LoadedSuite &suite, const StepDef &step) {
        bind_step(suite, host, step, *plan, l.errors, cli_vars);
      });
      for (auto &e : ls->errors)
        l.errors.push_back(std::move(e));
      ls->errors.clear();
      check_suite(*ls, host, cli_vars, *plan, l.errors);
      l.suites.push_back(std::move(ls));
      l.plans.push_back(std::move(plan));
    } catch (const SuiteErrors &e) {
      for (const auto &d : e.diagnostics())
        l.errors.push_back(d);
    }
  }
  return l;
}

int report_suite_errors(const std::vector<Diagnostic> &errors, bool color) {
  print_diagnostics(errors, color);
  std::fprintf(stderr, "%zu error%s; nothing was run\n", errors.size(),
               errors.size() == 1 ? "" : "s");
  return kUsage;
}

} // namespace

int check_command(const Cli &cli, PluginHost &host, bool color) {
  std::vector<Diagnostic> errors;
  auto files = collect_files(cli.args, errors);
  if (!errors.empty())
    return report_suite_errors(errors, color);
  std::set<std::string> cli_vars;
  for (const auto &v : cli.vars)
    cli_vars.insert(v.substr(0, v.find('=')));
  Loaded l = load_and_check(files, host, cli_vars);
  if (!l.errors.empty()) {
    print_diagnostics(l.errors, color);
    std::fprintf(stderr, "%zu error%s in %zu file%s\n", l.errors.size(),
                 l.errors.size() == 1 ? "" : "s", files.size(), files.size() == 1 ? "" : "s");
    return kUsage;
  }
  size_t tests = 0, steps = 0;
  for (const auto &s : l.suites) {
    tests += s->suite.tests.size();
    steps += s->suite.step_count();
  }
  std::printf("%zu file%s OK: %zu test%s, %zu step%s\n", files.size(), files.size() == 1 ? "" : "s",
              tests, tests == 1 ? "" : "s", steps, steps == 1 ? "" : "s");
  return kPassed;
}

int run_command(const Cli &cli, PluginHost &host, Secrets &secrets, bool color,
                Interrupts &interrupts, std::atomic<bool> &loading) {
  std::vector<Diagnostic> errors;
  RunOptions opt;
  for (const auto &v : cli.vars) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      errors.push_back({{}, "bad --var '" + v + "'", "write --var NAME=VALUE"});
      continue;
    }
    opt.vars[v.substr(0, eq)] = v.substr(eq + 1);
  }
  opt.tags = cli.tags;
  opt.fail_fast = cli.fail_fast;
  opt.skip_unavailable = cli.skip_unavailable;
  if (!cli.filter.empty()) {
    std::string why;
    opt.filter = Regex::compile(cli.filter, &why);
    if (!opt.filter)
      errors.push_back({{}, "bad --filter regular expression '" + cli.filter + "': " + why, ""});
  }
  if (!cli.jobs.empty()) {
    char *end = nullptr;
    errno = 0;
    long n = std::strtol(cli.jobs.c_str(), &end, 10);
    if (errno != 0 || end == cli.jobs.c_str() || *end != '\0' || n < 1 || n > 256)
      errors.push_back({{}, "bad --jobs '" + cli.jobs + "'", "write a whole number from 1 to 256"});
    else
      opt.jobs = static_cast<unsigned>(n);
    host.set_jobs(opt.jobs);
  }
  if (!cli.grace.empty()) {
    auto d = read_duration(cli.grace);
    if (!d.value || d.value->count() <= 0)
      errors.push_back({{},
                        "bad --grace '" + cli.grace + "'" + (d.value ? "" : ": it " + d.reason),
                        "write a duration with a unit: 500ms, 5s"});
    else
      opt.stuck_grace = std::chrono::duration_cast<std::chrono::milliseconds>(*d.value);
  }
  opt.workers = !cli.in_process;
  if (!cli.max_memory.empty()) {
    auto size = parse_size(cli.max_memory);
    if (!size || *size < (uint64_t{16} << 20))
      errors.push_back({{},
                        "bad --max-memory '" + cli.max_memory + "'",
                        "write a size of at least 16M: 512M, 4G"});
    else
      opt.max_memory = *size;
  }
  if (!cli.timeout.empty()) {
    auto d = read_duration(cli.timeout);
    if (!d.value)
      errors.push_back({{},
                        "bad --timeout '" + cli.timeout + "': it " + d.reason,
                        d.too_long ? "write a shorter one, at most 87660h"
                                   : "write a duration with a unit: 500ms, 30s, 2m"});
    else
      opt.default_step_timeout = *d.value;
  }
  std::optional<Shard> shard;
  std::optional<Durations> durations;
  if (!cli.shard.empty()) {
    std::string why;
    shard = parse_shard(cli.shard, &why);
    if (!shard)
      errors.push_back({{}, "bad --shard '" + cli.shard + "'", why});
  }
  if (!cli.shard_by_time.empty()) {
    std::string why;
    if (cli.shard.empty())
      errors.push_back({{}, "--shard-by-time needs --shard K/N", "add --shard 1/4 (and so on)"});
    else if (!(durations = read_durations(cli.shard_by_time, &why)))
      errors.push_back({{}, "bad --shard-by-time: " + why, "give an earlier run's JSON report"});
  }
  std::vector<std::unique_ptr<Reporter>> owned;
  // The live status line needs a terminal that can return to a line's start.
  const char *term = std::getenv("TERM");
  bool progress = ::isatty(::fileno(stdout)) && !(term && std::string(term) == "dumb");
  owned.push_back(make_console_reporter(stdout, {color, cli.verbose, progress}));
  static const std::map<std::string, std::unique_ptr<Reporter> (*)(std::string)> kReports = {
      {"junit", make_junit_reporter},
      {"json", make_json_reporter},
      {"tap", make_tap_reporter},
      {"html", make_html_reporter}};
  for (const auto &r : cli.reports) {
    auto colon = r.find(':');
    std::string kind = r.substr(0, colon),
                path = colon == std::string::npos ? "" : r.substr(colon + 1);
    auto make = kReports.find(kind);
    if (path.empty() || make == kReports.end()) {
      errors.push_back({{},
                        "bad --report '" + r + "'",
                        "write --report KIND:PATH, KIND one of junit, json, tap, html"});
      continue;
    }
    owned.push_back(make->second(path));
  }
  auto files = collect_files(cli.args, errors);
  if (!errors.empty())
    return report_suite_errors(errors, color);

  std::set<std::string> cli_vars;
  for (const auto &[k, v] : opt.vars)
    cli_vars.insert(k);
  Loaded l = load_and_check(files, host, cli_vars);
  if (!l.errors.empty())
    return report_suite_errors(l.errors, color);

  std::vector<const SuitePlan *> plans;
  for (size_t i = 0; i < l.suites.size(); ++i) {
    l.suites[i]->release_source_tree();
    plans.push_back(l.plans[i].get());
  }
  std::set<const TestDef *> shard_tests;
  if (shard) {
    ShardPlan plan = take_shard(plans, opt, *shard, durations ? &*durations : nullptr);
    // When --tag or --filter select nothing at all, the runner says so;
    // otherwise the runner runs this shard's tests and suites only.
    if (plan.selected > 0 || (opt.tags.empty() && !opt.filter)) {
      plans = plan.suites;
      shard_tests = std::move(plan.tests);
      opt.shard = &shard_tests;
    }
    std::printf("shard %u/%u: %zu of %zu selected tests, in %zu suite%s\n", shard->index,
                shard->count, shard_tests.size(), plan.selected, plans.size(),
                plans.size() == 1 ? "" : "s");
  }
  std::vector<Reporter *> reporters;
  for (auto &r : owned)
    reporters.push_back(r.get());
  loading.store(false);
  end_load_guard();
  Runner runner(host, secrets, opt, reporters, interrupts);
  runner.prepare(plans, errors);
  if (!errors.empty())
    return report_suite_errors(errors, color);
  for (const auto &s : l.suites)
    s->suite.file->release_text();

  std::vector<std::string> report_errors;
  RunSummary sum = runner.run(&report_errors);
  // The process ends next: freeing a large suite's model node by node would
  // only cost time (a hundred thousand steps: tens of milliseconds). Kept
  // reachable from a static, so that LeakSanitizer does not take it for a leak.
  static auto *kept = new Loaded;
  *kept = std::move(l);
  for (const auto &e : report_errors)
    std::fprintf(stderr, "error: %s\n", e.c_str());
  if (sum.interrupted)
    return kInterrupted;
  if (!report_errors.empty())
    return kReport;
  return sum.failed > 0 || sum.suite_errors > 0 ? kFailed : kPassed;
}

} // namespace seam::cli
