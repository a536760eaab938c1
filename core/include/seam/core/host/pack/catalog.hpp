// `seam plugins list` without loading: every plugin on the search path
// described by its manifest (an installed pack's seam-pack.toml, or the
// seam-NAME.toml that seam_add_plugin() writes beside a library). A library
// without a manifest, or with one older than itself, is described by loading
// it in a child process (describe.hpp).
#pragma once

#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/host/pack/pack_dirs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seam {
class PluginHost;
}

namespace seam::pack {

struct CatalogEntry {
  std::string name, version, summary, abi;
  size_t steps = 0;
  std::string file;     // the library
  std::string manifest; // its manifest; "" when described by loading it
  Origin origin = Origin::Path;
  std::string problem;                     // why it cannot be used; "" when it can
  std::vector<std::string> docs, examples; // absolute paths (packs only)
};

// The manifest that describes LIBRARY: NAME/seam-pack.toml for a pack's
// NAME/lib/PLATFORM/seam-NAME.so, else seam-NAME.toml beside it (unless the
// library is newer). nullopt when there is none. Throws PackError when the
// manifest is unreadable.
struct FoundManifest {
  Manifest manifest;
  std::string file; // the manifest's path
  std::string root; // the directory its relative paths start from
};
std::optional<FoundManifest> manifest_for(const std::string &library);

// Why a plugin of this manifest cannot be used by this seam ("" when it can):
// another ABI major, a newer minor, a seam version outside its range.
std::string compatibility_problem(const Manifest &m, const std::string &file);

// Every plugin on the host's search path and every one it has loaded
// (--plugin), sorted by name.
std::vector<CatalogEntry> catalog(PluginHost &host, const PackRoots &roots,
                                  const std::string &seam_exe);

} // namespace seam::pack
