// The `seam` executable: command line, wiring of loader, checker, runner and
// reporters, and exit codes (docs/cli.md):
//   0 all tests passed   1 a test failed   2 the suite or command line is wrong
//   3 a plugin could not be loaded   4 a report could not be written
//   130 interrupted (Ctrl-C)
#include "commands.hpp"
#include "load_guard.hpp"
#include "new_plugin.hpp"
#include "pack_helper.hpp"
#include "plugin_info.hpp"
#include "plugin_list.hpp"
#include "seam/core/check/checker.hpp"
#include "seam/core/host/plugin_host.hpp"
#include "seam/core/load/suite_loader.hpp"
#include "seam/core/report/reporters.hpp"
#include "seam/core/run/runner.hpp"
#include "seam/core/run/select.hpp"
#include "size_option.hpp"

#include <seam/duration.hpp>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace seam;

namespace {

using cli::kFailed, cli::kInternal, cli::kInterrupted, cli::kPassed, cli::kPlugin, cli::kReport,
    cli::kUsage; // commands.hpp: the exit codes every command shares

Interrupts g_interrupts;

// The first Ctrl-C stops new work (running steps are cancelled, cleanup and
// teardown still run); the second, or a SIGTERM (CI cancelling a job), also
// cancels cleanup and teardown. A run that still does not stop is ended by
// the runner's watchdog with complete reports.
// True until the run starts: while suites load and are checked, nothing has
// run and nothing needs reporting, so a Ctrl-C or SIGTERM ends seam at once
// (a 50 MB suite takes seconds to read).
std::atomic<bool> g_loading{true};

void interrupted_while_loading() {
  static const char msg[] = "seam: interrupted while loading suites; nothing was run\n";
  ssize_t ignored = ::write(2, msg, sizeof msg - 1);
  (void)ignored;
  ::_exit(130);
}

extern "C" void on_sigint(int) {
  if (g_loading.load())
    interrupted_while_loading();
  if (g_interrupts.stop.load())
    g_interrupts.abort.store(true);
  g_interrupts.stop.store(true);
}

extern "C" void on_sigterm(int) {
  if (g_loading.load())
    interrupted_while_loading();
  g_interrupts.stop.store(true);
  g_interrupts.abort.store(true);
}

bool use_color(std::FILE *f, const std::string &mode) {
  if (mode == "always")
    return true;
  // no-color.org: NO_COLOR set and not empty; an explicit --color always wins.
  const char *no_color = std::getenv("NO_COLOR");
  if (mode == "never" || (no_color != nullptr && *no_color != '\0'))
    return false;
  const char *term = std::getenv("TERM");
  return ::isatty(::fileno(f)) && !(term && std::string(term) == "dumb");
}

const char *kUsageText = R"(seam - integration tests for the seams between systems

Usage:
  seam run [OPTIONS] PATH...        run suites (files, or directories of *.toml)
  seam check [OPTIONS] PATH...      validate suites against their plugins; run nothing
  seam plugins list [OPTIONS]       plugins on the search path
  seam plugins info NAME [OPTIONS]  a plugin's steps, inputs and outputs
  seam report merge A.json B.json... --report KIND:PATH
                                    join the JSON reports of a run's shards into one
  seam schema [-o FILE] [OPTIONS]   JSON Schema of suites with the plugins' steps (for editors)
  seam plugins install|remove|verify  packs (seam pack --help, docs/packs.md)
  seam pack build|sign              make and sign packs
  seam trust add KEY.pub            trust a pack vendor's key
  seam new plugin NAME              start a plugin project
  seam --version | --help

Exit codes:
  0 all tests passed, 1 a test failed, 2 the suite or command line is wrong,
  3 a plugin could not be loaded, 4 a report could not be written, 70 internal error,
  130 interrupted.

Plugins are found as seam-NAME.so in --plugin-path directories, then
SEAM_PLUGIN_PATH (colon-separated), then the installation's lib/seam/plugins.
Two different files for one name on that path are an error (exit 3); a
--plugin FILE wins over the path (with a notice). seam plugins list exits 3
when any library on the path is refused.
)";

struct Cli {
  std::string command;
  std::vector<std::string> args;
  std::vector<std::string> plugin_paths, plugin_files, vars, tags, reports;
  std::string filter, color = "auto", timeout, jobs, grace, max_memory, shard, shard_by_time,
                      output;
  bool fail_fast = false, verbose = false, skip_unavailable = false, in_process = false;
};

po::options_description common_options() {
  po::options_description o("Plugin options");
  o.add_options()("plugin-path,P", po::value<std::vector<std::string>>()->composing(),
                  "directory to search for seam-NAME.so first (repeatable)")(
      "plugin", po::value<std::vector<std::string>>()->composing(),
      "load this plugin library explicitly (repeatable)")(
      "color", po::value<std::string>()->default_value("auto"),
      "auto, always or never (NO_COLOR is honoured)")("help,h", "this help");
  return o;
}

po::options_description run_options() {
  po::options_description o("Run options");
  o.add_options()("var", po::value<std::vector<std::string>>()->composing(),
                  "set a variable: --var NAME=VALUE (overrides [vars]; repeatable)")(
      "tag,t", po::value<std::vector<std::string>>()->composing(),
      "run only tests (or suites) with this tag (repeatable: any of them)")(
      "filter,f", po::value<std::string>(),
      "run only tests whose name matches this regular expression")(
      "fail-fast", "stop after the first failed test (cleanup and teardown still run)")(
      "jobs,j", po::value<std::string>(),
      "run up to N tests of a suite at once (default 1; setup and teardown run alone)")(
      "report,r", po::value<std::vector<std::string>>()->composing(),
      "write a report: junit:PATH, json:PATH, tap:PATH or html:PATH (repeatable)")(
      "verbose,v", "show every step, its time and its logs")(
      "skip-unavailable", "skip (not fail) a suite whose resource reports its service unavailable")(
      "shard", po::value<std::string>(),
      "run shard K of N: --shard 2/4 runs about a quarter of the selected tests; every test "
      "runs in exactly one shard (docs/ci.md)")(
      "shard-by-time", po::value<std::string>(),
      "with --shard: balance the shards by the test durations in this earlier JSON report")(
      "timeout", po::value<std::string>(),
      "default step timeout (default 30s; a step's own timeout wins)")(
      "grace", po::value<std::string>(),
      "end the run (with complete reports) when a plugin call runs this long past its deadline "
      "(default 5s)")("max-memory", po::value<std::string>(),
                      "memory a suite's worker process may use: 512M, 4G (default 4G)")(
      "in-process", "run suites in this process, not in workers (for gdb; a crashing plugin "
                    "then ends the run)");
  return o;
}

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

std::string exe_path() {
  try {
    return boost::dll::program_location().string();
  } catch (...) {
    return "/proc/self/exe";
  }
}

std::string exe_dir() { return fs::path(exe_path()).parent_path().string(); }

// The usage text, then where the manual and the example suites are: beside
// the installation (PREFIX/share/doc/seam, PREFIX/share/seam/suites, which
// `cmake --install` fills), else in the source tree seam was built from.
void print_usage(std::FILE *out) {
  std::fputs(kUsageText, out);
  std::error_code ec;
  fs::path prefix = fs::path(exe_dir()).parent_path();
  fs::path docs = prefix / "share/doc/seam", suites = prefix / "share/seam/suites";
  if (!exe_dir().empty() && fs::is_directory(docs, ec) && fs::is_directory(suites, ec))
    std::fprintf(out,
                 "Documentation: %s (suite-reference.md, cli.md, plugin-authoring.md, plugins/).\n"
                 "Example suites: %s (seam run %s/stripe_payments.toml needs no server).\n",
                 docs.c_str(), suites.c_str(), suites.c_str());
  else
    std::fputs("Documentation: docs/ of seam's source tree (suite-reference.md, cli.md,\n"
               "plugin-authoring.md, plugins/); example suites: its suites/.\n",
               out);
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

int cmd_check(const Cli &cli, PluginHost &host, bool color) {
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

int cmd_run(const Cli &cli, PluginHost &host, Secrets &secrets, bool color) {
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
  g_loading.store(false);
  end_load_guard();
  Runner runner(host, secrets, opt, reporters, g_interrupts);
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

// `refused`: the --plugin files that could not be loaded (listed, not fatal).
int cmd_plugins(const Cli &cli, PluginHost &host, const std::vector<std::string> &refused) {
  std::string sub = cli.args.empty() ? "list" : cli.args[0];
  if (!refused.empty() && sub != "list") {
    std::fprintf(stderr, "error: %s\n", refused.front().c_str());
    return kPlugin;
  }
  if (sub == "list")
    return cli::list_plugins(host, refused, exe_path());
  if (sub == "info") {
    if (cli.args.size() != 2) {
      std::fprintf(
          stderr,
          "error: seam plugins info takes one plugin name\n  hint: seam plugins list shows them\n");
      return kUsage;
    }
    const LoadedPlugin *p = host.find(cli.args[1]);
    if (!p) {
      auto avail = host.available();
      std::string near = closest(cli.args[1], avail);
      std::fprintf(stderr, "error: unknown plugin '%s'\n  hint: %s\n", cli.args[1].c_str(),
                   near.empty() ? "seam plugins list shows the plugins on the search path"
                                : ("did you mean '" + near + "'?").c_str());
      return kUsage;
    }
    print_plugin_info(*p, stdout);
    return kPassed;
  }
  std::fprintf(
      stderr,
      "error: unknown command 'plugins %s'\n  hint: seam plugins list | seam plugins info NAME\n",
      sub.c_str());
  return kUsage;
}

int run_cli(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return kUsage;
  }
  std::string first = argv[1];
  if (first == "--version" || first == "-V") {
    std::printf("seam %s (plugin ABI %d.%d)\n", SEAM_VERSION, SEAM_ABI_MAJOR, SEAM_ABI_MINOR);
    return kPassed;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    print_usage(stdout);
    std::cout << "\n" << common_options() << "\n" << run_options();
    return kPassed;
  }
  if (first == "report")
    return cli::report_command(std::vector<std::string>(argv + 2, argv + argc));
  if (first == "__describe")
    cli::describe_command(argc, argv);
  if (first == "new")
    return cli::run_new_command(argc, argv);
  if (cli::is_pack_command(argc, argv))
    return cli::run_pack_helper(argc, argv, exe_path());
  Cli cli;
  cli.command = first;
  if (cli.command != "run" && cli.command != "check" && cli.command != "plugins" &&
      cli.command != "schema") {
    std::fprintf(stderr,
                 "error: unknown command '%s'\n  hint: commands are run, check, plugins, pack, "
                 "trust, new, report and schema; see seam --help\n",
                 first.c_str());
    return kUsage;
  }
  po::options_description all;
  all.add(common_options());
  if (cli.command == "schema")
    all.add_options()("output,o", po::value<std::string>(), "write the schema to FILE, not stdout");
  else if (cli.command != "plugins")
    all.add(run_options());
  po::options_description hidden;
  hidden.add_options()("args", po::value<std::vector<std::string>>()->composing());
  po::options_description parse;
  parse.add(all).add(hidden);
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(parse).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::fprintf(stderr, "error: %s\n  hint: see seam %s --help\n", e.what(), cli.command.c_str());
    return kUsage;
  }
  if (vm.count("help")) {
    print_usage(stdout);
    std::cout << "\n" << all;
    return kPassed;
  }
  auto list = [&](const char *k) {
    return vm.count(k) ? vm[k].as<std::vector<std::string>>() : std::vector<std::string>{};
  };
  cli.args = list("args");
  if (!cli.args.empty() && cli.args[0] == cli.command)
    cli.args.erase(cli.args.begin());
  cli.plugin_paths = list("plugin-path");
  cli.plugin_files = list("plugin");
  cli.vars = list("var");
  cli.tags = list("tag");
  cli.reports = list("report");
  cli.color = vm["color"].as<std::string>();
  if (vm.count("filter"))
    cli.filter = vm["filter"].as<std::string>();
  if (vm.count("timeout"))
    cli.timeout = vm["timeout"].as<std::string>();
  if (vm.count("jobs"))
    cli.jobs = vm["jobs"].as<std::string>();
  if (vm.count("grace"))
    cli.grace = vm["grace"].as<std::string>();
  if (vm.count("max-memory"))
    cli.max_memory = vm["max-memory"].as<std::string>();
  cli.in_process = vm.count("in-process") > 0;
  if (vm.count("output"))
    cli.output = vm["output"].as<std::string>();
  if (vm.count("shard"))
    cli.shard = vm["shard"].as<std::string>();
  if (vm.count("shard-by-time"))
    cli.shard_by_time = vm["shard-by-time"].as<std::string>();
  cli.fail_fast = vm.count("fail-fast") > 0;
  cli.verbose = vm.count("verbose") > 0;
  cli.skip_unavailable = vm.count("skip-unavailable") > 0;
  if (cli.color != "auto" && cli.color != "always" && cli.color != "never") {
    std::fprintf(stderr, "error: bad --color '%s'\n  hint: auto, always or never\n",
                 cli.color.c_str());
    return kUsage;
  }
  if (cli.command == "schema" && !cli.args.empty()) {
    std::fprintf(stderr, "error: seam schema takes no arguments\n  hint: seam schema -o FILE\n");
    return kUsage;
  }
  if (cli.command != "plugins" && cli.command != "schema" && cli.args.empty()) {
    std::fprintf(stderr,
                 "error: seam %s needs suite files or directories\n  hint: seam %s suites/\n",
                 cli.command.c_str(), cli.command.c_str());
    return kUsage;
  }
  bool color_err = use_color(stderr, cli.color);
  bool color_out = use_color(stdout, cli.color);

  Secrets secrets;
  PluginHost host(default_search_path(cli.plugin_paths, exe_dir()), secrets);
  begin_load_guard();
  try {
    std::vector<std::string> refused;
    for (const auto &f : cli.plugin_files) {
      const LoadedPlugin *p = nullptr;
      try {
        p = &host.load_file(f);
      } catch (const PluginError &e) {
        if (cli.command != "plugins")
          throw;
        refused.push_back(secrets.mask(e.what()));
        continue;
      }
      // --plugin wins over the search path, but says so: a stale copy on the
      // path is otherwise easy to miss.
      std::string shadowed;
      std::error_code ec;
      for (const auto &other : host.path_libraries(p->name))
        if (!fs::equivalent(other, p->file, ec))
          shadowed += (shadowed.empty() ? "" : " and ") + other;
      if (!shadowed.empty())
        std::fprintf(
            stderr,
            "notice: plugin '%s' is loaded from --plugin %s, not from %s on the search path\n",
            p->name.c_str(), p->file.c_str(), shadowed.c_str());
    }
    if (cli.command == "plugins")
      return cmd_plugins(cli, host, refused);
    if (cli.command == "schema")
      return cli::schema_command(host, cli.output);
    if (cli.command == "check")
      return cmd_check(cli, host, color_err);
    return cmd_run(cli, host, secrets, color_out);
  } catch (const PluginError &e) {
    std::fprintf(stderr, "%serror:%s %s\n", color_err ? "\x1b[1;31m" : "",
                 color_err ? "\x1b[0m" : "", secrets.mask(e.what()).c_str());
    return kPlugin;
  }
}

} // namespace

int main(int argc, char **argv) {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  struct sigaction term {};
  term.sa_handler = on_sigterm;
  sigemptyset(&term.sa_mask);
  sigaction(SIGTERM, &term, nullptr);
  try {
    int code = run_cli(argc, argv);
    end_load_guard();
    return code;
  } catch (const std::exception &e) {
    end_load_guard();
    // Not the user's fault: a code of its own, so that CI does not blame the suite.
    std::fprintf(stderr, "error: internal error: %s\n", e.what());
    return kInternal;
  }
}
