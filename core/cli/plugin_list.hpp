// `seam plugins list` from the plugins' manifests, the pack part of `seam
// plugins info`, and the hidden `seam __describe` that loads one library for
// a parent seam (docs/packs.md). None of them needs the pack helper's
// archives or signatures (pack_helper.hpp).
#pragma once

#include <string>
#include <vector>

namespace seam {
class PluginHost;
struct LoadedPlugin;
} // namespace seam

namespace seam::cli {

// `seam plugins list`: `refused` are the --plugin files that failed to load.
int list_plugins(PluginHost &host, const std::vector<std::string> &refused, const std::string &exe);

// The docs and example suites of the pack that provides P, for plugins info.
void print_pack_docs(const LoadedPlugin &p);

// `seam __describe LIBRARY [--expect NAME]`: loads LIBRARY and writes what it
// says of itself as JSON to stdout; never returns.
[[noreturn]] void describe_command(int argc, char **argv);

} // namespace seam::cli
