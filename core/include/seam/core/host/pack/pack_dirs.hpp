// Where packs live. A pack installed for the user goes to
// $XDG_DATA_HOME/seam/plugins/NAME/ (default ~/.local/share), one installed
// with --system to PREFIX/lib/seam/packs/NAME/; the plugins that come with
// seam are in PREFIX/lib/seam/plugins. An installed pack keeps the layout of
// its archive, so its library for this machine is NAME/lib/PLATFORM/seam-NAME.so.
#pragma once

#include <string>
#include <vector>

namespace seam::pack {

enum class Origin { Bundled, User, System, Path, Explicit };
const char *origin_name(Origin o); // "bundled", "user", "system", "path", "--plugin"

struct PackRoots {
  std::string user;    // $XDG_DATA_HOME/seam/plugins
  std::string system;  // PREFIX/lib/seam/packs
  std::string bundled; // PREFIX/lib/seam/plugins

  // From the environment and the directory of the seam executable.
  static PackRoots find(const std::string &exe_dir);
  // The library directories of the packs installed in ROOT (for this machine).
  static std::vector<std::string> library_dirs(const std::string &root);
  // Where a library directory on the search path comes from.
  Origin origin_of(const std::string &dir) const;
};

} // namespace seam::pack
