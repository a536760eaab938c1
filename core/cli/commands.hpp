// The subcommands that live beside main.cpp, each in its own file; main.cpp
// dispatches to them with the arguments after the command's name.
#pragma once

#include "seam/core/host/plugin_host.hpp"

#include <string>
#include <vector>

namespace seam::cli {

// docs/cli.md: the exit codes every command shares.
enum Exit {
  kPassed = 0,
  kFailed = 1,
  kUsage = 2,
  kPlugin = 3,
  kReport = 4,
  kInternal = 70,
  kInterrupted = 130
};

// `seam report merge A.json B.json ... --report KIND:PATH...`
int report_command(const std::vector<std::string> &args);

// `seam schema [-o FILE]`: the JSON Schema of suites with these plugins'
// steps and resources, to stdout or FILE.
json suite_json_schema(const std::vector<const LoadedPlugin *> &plugins);
int schema_command(PluginHost &host, const std::string &output);

} // namespace seam::cli
