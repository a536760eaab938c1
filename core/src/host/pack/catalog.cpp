// Listing plugins from their manifests; see catalog.hpp.
#include "seam/core/host/pack/catalog.hpp"
#include "seam/core/host/pack/describe.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/platform.hpp"
#include "seam/core/host/plugin_host.hpp"

#include <filesystem>
#include <map>

namespace seam::pack {

namespace fs = std::filesystem;

std::optional<FoundManifest> manifest_for(const std::string &library) {
  fs::path lib(library);
  std::string stem = lib.stem().string(); // seam-NAME
  // NAME/lib/PLATFORM/seam-NAME.so: an installed pack.
  fs::path pack_root = lib.parent_path().parent_path().parent_path();
  std::error_code ec;
  if (lib.parent_path().parent_path().filename() == "lib" &&
      fs::is_regular_file(pack_root / kManifestName, ec)) {
    std::string file = (pack_root / kManifestName).string();
    return FoundManifest{Manifest::read(file), file, pack_root.string()};
  }
  fs::path beside = lib.parent_path() / (stem + ".toml");
  if (!fs::is_regular_file(beside, ec))
    return std::nullopt;
  // A library rebuilt after its manifest was written is not what it says.
  auto lib_time = fs::last_write_time(lib, ec);
  auto manifest_time = fs::last_write_time(beside, ec);
  if (ec || lib_time > manifest_time)
    return std::nullopt;
  return FoundManifest{Manifest::read(beside.string()), beside.string(),
                       lib.parent_path().string()};
}

std::string compatibility_problem(const Manifest &m, const std::string &file) {
  std::string host_abi = std::to_string(SEAM_ABI_MAJOR) + "." + std::to_string(SEAM_ABI_MINOR);
  if (m.abi_major != SEAM_ABI_MAJOR)
    return file + ": plugin '" + m.name + "' declares ABI " + m.abi() +
           ", but this seam speaks ABI " + host_abi +
           " (rebuild the plugin against this seam's SDK)";
  if (m.abi_minor > SEAM_ABI_MINOR)
    return file + ": plugin '" + m.name + "' needs ABI " + m.abi() + ", but this seam speaks ABI " +
           host_abi + " (upgrade seam)";
  if (m.seam) {
    auto mine = Version::parse(SEAM_VERSION);
    if (mine && !m.seam->contains(*mine))
      return file + ": plugin '" + m.name + "' works with seam " + m.seam->text() +
             ", not with this seam " + SEAM_VERSION;
  }
  return "";
}

std::vector<CatalogEntry> catalog(PluginHost &host, const PackRoots &roots,
                                  const std::string &seam_exe) {
  // One pass over the search path (a directory listing each) rather than a
  // look-up of every name in every directory: with fifty packs installed the
  // path has fifty directories.
  std::map<std::string, std::vector<std::string>> libraries; // name -> files, in path order
  const std::string prefix = "seam-", suffix = ".so";
  for (const auto &dir : host.search_path()) {
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(dir, ec)) {
      std::string f = e.path().filename().string();
      if (f.size() <= prefix.size() + suffix.size() || f.rfind(prefix, 0) != 0 ||
          f.compare(f.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      std::string name = f.substr(prefix.size(), f.size() - prefix.size() - suffix.size());
      libraries[name].push_back((fs::path(dir) / f).string());
    }
  }
  std::vector<CatalogEntry> out;
  std::vector<const LoadedPlugin *> loaded = host.loaded();
  for (const auto *p : loaded)
    libraries.try_emplace(p->name);
  for (auto &[name, files] : libraries) {
    CatalogEntry e;
    e.name = name;
    const LoadedPlugin *explicit_plugin = nullptr;
    for (const auto *p : loaded)
      if (p->name == name)
        explicit_plugin = p;
    if (explicit_plugin) {
      // Loaded already (--plugin FILE): what it said of itself.
      e.version = explicit_plugin->version;
      e.summary = explicit_plugin->summary;
      e.abi = std::to_string(explicit_plugin->abi_major) + "." +
              std::to_string(explicit_plugin->abi_minor);
      e.steps = explicit_plugin->steps.size();
      e.file = explicit_plugin->file;
      e.origin = Origin::Explicit;
      out.push_back(std::move(e));
      continue;
    }
    if (!fs::is_regular_file(files.front()))
      continue;
    e.file = files.front();
    e.origin = roots.origin_of(fs::path(e.file).parent_path().string());
    if (files.size() > 1 && host.path_libraries(name).size() > 1) {
      try {
        host.find(name); // refuses with the message that names every file
      } catch (const PluginError &err) {
        e.problem = err.what();
      }
      out.push_back(std::move(e));
      continue;
    }
    std::optional<FoundManifest> found;
    try {
      found = manifest_for(e.file);
    } catch (const PackError &err) {
      e.problem = err.what();
      out.push_back(std::move(e));
      continue;
    }
    if (found) {
      const Manifest &m = found->manifest;
      e.manifest = found->file;
      e.version = m.version.str();
      e.summary = m.summary;
      e.abi = m.abi();
      e.steps = m.steps.size();
      for (const auto &d : m.docs)
        e.docs.push_back(found->root + "/" + d.path);
      for (const auto &x : m.examples)
        e.examples.push_back(found->root + "/" + x.path);
      if (m.name != name)
        e.problem = e.file + ": file is named for plugin '" + name + "' but its manifest " +
                    found->file + " names '" + m.name + "'";
      else
        e.problem = compatibility_problem(m, e.file);
      out.push_back(std::move(e));
      continue;
    }
    LibraryInfo info = describe_library(seam_exe, e.file, name);
    if (!info.ok) {
      e.problem = info.error;
    } else {
      e.version = info.version;
      e.summary = info.summary;
      e.abi = std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
      e.steps = info.steps.size();
    }
    out.push_back(std::move(e));
  }
  return out;
}

} // namespace seam::pack
