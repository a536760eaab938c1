// Checks a loaded suite against the plugins it uses, before anything runs:
// plugins and steps exist, `on` names a fitting resource, inputs fit the
// step's schema, every ${reference} is defined where it is used, resources
// and variables have no cycles. Binds steps to plugins for the runner.
#pragma once

#include "seam/core/host/plugin_host.hpp"
#include "seam/core/load/suite_loader.hpp"

#include <set>
#include <string>
#include <vector>

namespace seam {

// Binds a step to its plugin and checks its inputs against the step's schema
// (needs the step's TOML: call it from LoadedSuite's step hook). Throws
// PluginError when the plugin is found but refused.
// References to constant [vars] count as known (unless `cli_vars` overrides them).
void bind_step(LoadedSuite &loaded, PluginHost &host, StepDef &step,
               std::vector<Diagnostic> &errors, const std::set<std::string> &cli_vars = {});

// Everything else; binds steps that the hook did not. Appends problems to `errors`; throws
// PluginError when a plugin that the suite uses is found but refused.
void check_suite(LoadedSuite &loaded, PluginHost &host, const std::set<std::string> &cli_vars,
                 std::vector<Diagnostic> &errors);

} // namespace seam
