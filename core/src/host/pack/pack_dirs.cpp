// The directories of installed and bundled plugins; see pack_dirs.hpp.
#include "seam/core/host/pack/pack_dirs.hpp"
#include "seam/core/host/pack/platform.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace seam::pack {

namespace fs = std::filesystem;

const char *origin_name(Origin o) {
  switch (o) {
  case Origin::Bundled:
    return "bundled";
  case Origin::User:
    return "user";
  case Origin::System:
    return "system";
  case Origin::Explicit:
    return "--plugin";
  default:
    return "path";
  }
}

PackRoots PackRoots::find(const std::string &exe_dir) {
  PackRoots r;
  if (const char *x = std::getenv("XDG_DATA_HOME"); x && *x)
    r.user = std::string(x) + "/seam/plugins";
  else if (const char *h = std::getenv("HOME"); h && *h)
    r.user = std::string(h) + "/.local/share/seam/plugins";
  if (!exe_dir.empty()) {
    fs::path prefix = (fs::path(exe_dir) / "..").lexically_normal();
    r.system = (prefix / "lib" / "seam" / "packs").string();
    r.bundled = (prefix / "lib" / "seam" / "plugins").string();
  }
  return r;
}

std::vector<std::string> PackRoots::library_dirs(const std::string &root) {
  std::vector<std::string> dirs;
  if (root.empty())
    return dirs;
  const std::string platform = host_platform();
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(root, ec)) {
    std::string name = e.path().filename().string();
    // ".staging-*" and ".old-*": an install or removal under way (or cut short).
    if (name.empty() || name[0] == '.')
      continue;
    dirs.push_back((e.path() / "lib" / platform).string());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

Origin PackRoots::origin_of(const std::string &dir) const {
  // Called for every plugin that plugins list shows: the directory is made
  // normal once, and the file system is asked only when the names differ.
  const fs::path d = fs::path(dir).lexically_normal();
  auto under = [&](const std::string &root) {
    if (root.empty())
      return false;
    fs::path r = fs::path(root).lexically_normal();
    auto [ri, di] = std::mismatch(r.begin(), r.end(), d.begin(), d.end());
    return ri == r.end() || (ri != r.end() && ri->empty() && std::next(ri) == r.end());
  };
  if (!bundled.empty() && d == fs::path(bundled).lexically_normal())
    return Origin::Bundled;
  if (under(user))
    return Origin::User;
  if (under(system))
    return Origin::System;
  // The bundled directory by another name (a link to it).
  std::error_code ec;
  if (!bundled.empty() && fs::equivalent(dir, bundled, ec))
    return Origin::Bundled;
  return Origin::Path;
}

} // namespace seam::pack
