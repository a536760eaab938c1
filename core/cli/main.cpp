// The `seam` executable: the command line, signals, loading the plugins the
// options name, and dispatch to the commands (run_command.cpp, plugin_list.cpp,
// the pack helper, ...), whose outcome is one of the exit codes (docs/cli.md):
//   0 all tests passed   1 a test failed   2 the suite or command line is wrong
//   3 a plugin could not be loaded   4 a report could not be written
//   130 interrupted (Ctrl-C)
#include "command_line.hpp"
#include "commands.hpp"
#include "load_guard.hpp"
#include "new_plugin.hpp"
#include "pack_helper.hpp"
#include "plugin_info.hpp"
#include "plugin_list.hpp"
#include "run_command.hpp"
#include "seam/core/host/plugin_host.hpp"
#include "seam/core/run/runner.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/program_options.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
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

// `refused`: the --plugin files that could not be loaded (listed, not fatal).
int cmd_plugins(const cli::Cli &cli, PluginHost &host, const std::vector<std::string> &refused) {
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
  cli::Cli cli;
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
      return cli::check_command(cli, host, color_err);
    return cli::run_command(cli, host, secrets, color_out, g_interrupts, g_loading);
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
