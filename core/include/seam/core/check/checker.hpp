// Checks a loaded suite against the plugins it uses, before anything runs:
// plugins and steps exist, `on` names a fitting resource, inputs fit the
// step's schema, every ${reference} is defined where it is used, resources
// and variables have no cycles. Its result is a SuitePlan (plan.hpp).
#pragma once

#include "seam/core/check/plan.hpp"
#include "seam/core/host/plugin_host.hpp"
#include "seam/core/load/suite_loader.hpp"

#include <set>
#include <string>
#include <vector>

namespace seam {

// Binds a step to its plugin into `plan` and checks its inputs against the
// step's schema. Called from LoadedSuite's step hook while the step's TOML is
// at hand (to locate problems inside its inputs, before that part of the tree
// is freed: a suite of 100,000 steps never holds its whole TOML tree). Throws
// PluginError when the plugin is found but refused. References to constant
// [vars] count as known (unless `cli_vars` overrides them).
void bind_step(const LoadedSuite &loaded, PluginHost &host, const StepDef &step, SuitePlan &plan,
               std::vector<Diagnostic> &errors, const std::set<std::string> &cli_vars = {});

// Everything else: completes `plan` (steps the hook did not bind, resources,
// orders). Appends problems to `errors`; throws PluginError when a plugin that
// the suite uses is found but refused. The suite itself is not changed.
void check_suite(const LoadedSuite &loaded, PluginHost &host, const std::set<std::string> &cli_vars,
                 SuitePlan &plan, std::vector<Diagnostic> &errors);

} // namespace seam
