// Fuzz target: arbitrary bytes as a suite file, loaded and checked the way
// `seam check` does (core/cli/main.cpp: load_and_check) against the plugins
// of the build tree (probe, http, sql, ...), whose step schemas the checker
// applies. Errors are rendered as seam prints them.
#include "seam/core/check/checker.hpp"
#include "seam/core/host/plugin_host.hpp"
#include "seam/core/load/suite_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

using namespace seam;

namespace {

PluginHost &host() {
  static Secrets secrets;
  static PluginHost h({std::filesystem::path(SEAM_PROBE_PATH).parent_path().string()}, secrets);
  return h;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  std::vector<Diagnostic> errors;
  std::set<std::string> cli_vars = {"cli_var"};
  const SourceFile *file = nullptr;
  try {
    SuitePlan plan;
    LoadedSuite ls("fuzz.toml", std::move(text),
                   [&](const LoadedSuite &suite, const StepDef &step) {
                     bind_step(suite, host(), step, plan, errors, cli_vars);
                   });
    file = ls.suite.file;
    for (auto &e : ls.errors)
      errors.push_back(std::move(e));
    ls.errors.clear();
    check_suite(ls, host(), cli_vars, plan, errors);
    ls.release_source_tree();
  } catch (const SuiteErrors &e) {
    errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
  } catch (const PluginError &) {
    // A plugin refused: exit code 3, not a crash.
  }
  for (const auto &d : errors)
    (void)d.render(false);
  // Files are interned for the life of the process; drop this one's text so
  // that a long run does not grow by every input.
  if (file)
    file->release_text();
  for (const auto &d : errors)
    if (d.loc.file)
      d.loc.file->release_text();
  return 0;
}
