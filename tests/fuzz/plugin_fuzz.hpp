// Shared by the plugin fuzz targets: a bundled plugin loaded through its C
// entry point by seam's own PluginHost, as `seam run` loads it.
#pragma once

#include "seam/core/host/plugin_host.hpp"

#include <chrono>
#include <cstdlib>
#include <string>

namespace seam_fuzz {

using seam::json;

struct loaded_plugin {
  seam::Secrets secrets;
  seam::PluginHost host{{}, secrets};
  const seam::LoadedPlugin *plugin = nullptr;

  explicit loaded_plugin(const char *file) { plugin = &host.load_file(file); }

  const seam::StepInfo &step(const std::string &name) const {
    auto it = plugin->steps.find(name);
    if (it == plugin->steps.end())
      std::abort();
    return it->second;
  }

  // A call with a short deadline: fuzzed input must not make a step hang.
  seam::CallResult call(const std::string &name, void *resource, const json &input) {
    seam::CallLimits limits;
    limits.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    return host.call(step(name), resource,
                     input.dump(-1, ' ', false, json::error_handler_t::replace), limits);
  }
};

// What a plugin's answer must be whatever the input: an error message, or
// an output that is a JSON object.
inline void check_answer(const seam::CallResult &r) {
  if (r.ok()) {
    json out = json::parse(r.output, nullptr, false);
    if (!out.is_object())
      std::abort();
  } else if (r.error.empty()) {
    std::abort();
  }
}

} // namespace seam_fuzz
