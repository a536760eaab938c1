// plugin_info.hpp - what `seam plugins info NAME` prints of a loaded plugin:
// its resource kinds (config fields, published attributes) and its steps
// (inputs and outputs), each field with its type, whether it is required,
// its description, default, bounds and allowed values.
#pragma once

#include "seam/core/host/plugin_host.hpp"

#include <cstdio>

namespace seam {

void print_plugin_info(const LoadedPlugin &plugin, std::FILE *out);

} // namespace seam
