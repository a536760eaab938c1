// The pack commands of `seam`: pack build/sign, trust add/list, plugins
// install/remove/verify, the manifest-based plugins list and the pack part
// of plugins info, and the hidden `__describe` that loads one library for a
// parent seam (docs/packs.md).
#pragma once

#include <string>
#include <vector>

namespace seam {
class PluginHost;
struct LoadedPlugin;
} // namespace seam

namespace seam::cli {

// True when argv names a command of this file (main.cpp dispatches it here).
bool is_pack_command(int argc, char **argv);
// Runs it; returns the exit code. `exe`: the path of the seam executable.
int run_pack_command(int argc, char **argv, const std::string &exe);

// `seam plugins list`: `refused` are the --plugin files that failed to load.
int list_plugins(PluginHost &host, const std::vector<std::string> &refused, const std::string &exe);

// The docs and example suites of the pack that provides P, for plugins info.
void print_pack_docs(const LoadedPlugin &p);

} // namespace seam::cli
