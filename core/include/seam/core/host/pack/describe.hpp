// What a plugin library says about itself, learnt in a child process: a
// library that crashes or hangs while loading cannot take seam down with it.
// The child is seam itself (`seam __describe LIB`), which loads the library
// with the ordinary plugin host and prints describe_json() of it.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>

namespace seam {
struct LoadedPlugin;
}

namespace seam::pack {

struct LibraryInfo {
  bool ok = false;
  std::string error; // why it was refused (the plugin host's message), when !ok
  std::string name, version, summary;
  unsigned abi_major = 0, abi_minor = 0;
  std::map<std::string, std::string> steps; // step (without "NAME.") -> summary
};

// The child's side: a loaded plugin as JSON.
nlohmann::json describe_json(const LoadedPlugin &p);

// Runs `SEAM_EXE __describe LIBRARY [--expect NAME]` and reads its answer.
// A crash, a hang past `limit` or garbage is a refusal with that reason.
LibraryInfo describe_library(const std::string &seam_exe, const std::string &library,
                             const std::string &expected_name = {},
                             std::chrono::milliseconds limit = std::chrono::seconds(20));

} // namespace seam::pack
