// [suite] requires = { stripe = ">=1.2, <2", http = "*" }: each plugin the
// suite names is found on the search path and its version is in the range,
// checked by `seam check` and before a run.
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/model/suite.hpp"

#include <vector>

namespace seam {

class PluginHost;

// Appends one diagnostic per requirement not met (a bad range, a plugin not
// installed, a version outside the range), each naming what is installed and
// how to install a fitting one. Throws PluginError when a plugin is refused.
void check_requirements(const Suite &suite, PluginHost &host, std::vector<Diagnostic> &errors);

} // namespace seam
