// `seam pack build` and `seam pack sign`; see build.hpp.
#include "seam/core/host/pack/build.hpp"
#include "seam/core/base/file_text.hpp"
#include "seam/core/host/pack/archive.hpp"
#include "seam/core/host/pack/describe.hpp"
#include "seam/core/host/pack/digest.hpp"
#include "seam/core/host/pack/library_check.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/platform.hpp"
#include "seam/core/host/pack/signature.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace seam::pack {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path &p) {
  std::optional<std::string> text = read_file_text(p.string());
  if (!text)
    throw PackError(Refusal::Io, "cannot read " + p.string());
  return std::move(*text);
}

// A CMake build directory: the source directory it was configured from.
std::optional<fs::path> cmake_source_dir(const fs::path &build) {
  std::ifstream cache(build / "CMakeCache.txt");
  std::string line;
  const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
  while (std::getline(cache, line))
    if (line.rfind(key, 0) == 0)
      return fs::path(line.substr(key.size()));
  return std::nullopt;
}

// seam-NAME.so built somewhere under BUILD (not in a pack's staging copy).
std::vector<fs::path> built_libraries(const fs::path &build, const std::string &name) {
  std::vector<fs::path> found;
  std::error_code ec;
  const std::string file = "seam-" + name + ".so";
  for (auto it = fs::recursive_directory_iterator(build, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (it->is_directory() && (n == "CMakeFiles" || n == "packs" ||
                               (n.size() > 6 && n.compare(n.size() - 6, 6, "-stage") == 0))) {
      it.disable_recursion_pending();
      continue;
    }
    if (n == file && it->is_regular_file())
      found.push_back(it->path());
  }
  return found;
}

// The directories seam_add_pack() lays packs out in (TARGET-stage).
std::vector<fs::path> staged_packs(const fs::path &build) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(build, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (!it->is_directory() || n == "CMakeFiles") {
      if (n == "CMakeFiles")
        it.disable_recursion_pending();
      continue;
    }
    if (n.size() > 6 && n.compare(n.size() - 6, 6, "-stage") == 0) {
      it.disable_recursion_pending();
      if (fs::is_regular_file(it->path() / kManifestName, ec))
        found.push_back(it->path());
    } else if (it.depth() >= 3) {
      it.disable_recursion_pending();
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

} // namespace

BuildResult build_pack(const std::string &dir, const std::string &out,
                       const std::string &seam_exe) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw PackError(Refusal::Usage, "no such directory: " + dir,
                    "seam pack build takes the directory that holds seam-pack.toml");
  fs::path root(dir);
  // A CMake build directory stands for the pack seam_add_pack() laid out
  // in it, or else for its source directory (manifest, docs, examples) with
  // the library it built.
  std::optional<fs::path> build_dir;
  if (!fs::is_regular_file(root / kManifestName, ec) &&
      fs::is_regular_file(root / "CMakeCache.txt", ec)) {
    std::vector<fs::path> staged = staged_packs(root);
    if (staged.size() > 1)
      throw PackError(Refusal::Usage,
                      dir + " holds " + std::to_string(staged.size()) +
                          " packs laid out by seam_add_pack(): " + staged[0].string() + " and " +
                          staged[1].string(),
                      "give the directory of one of them");
    if (staged.size() == 1) {
      root = staged[0];
    } else if (auto src = cmake_source_dir(root);
               src && fs::is_regular_file(*src / kManifestName, ec)) {
      build_dir = root;
      root = *src;
    }
  }
  if (!fs::is_regular_file(root / kManifestName, ec))
    throw PackError(Refusal::Usage, "no " + std::string(kManifestName) + " in " + dir,
                    "a pack's directory holds its manifest; seam new plugin writes one");
  Manifest m = Manifest::read((root / kManifestName).string());
  const std::string where = (root / kManifestName).string();

  // Libraries laid out as lib/PLATFORM/seam-NAME.so need not be listed.
  for (const auto &e : fs::directory_iterator(root / "lib", ec)) {
    std::string platform = e.path().filename().string();
    if (!valid_platform(platform) || m.libraries.count(platform))
      continue;
    if (fs::is_regular_file(root / m.library_path(platform), ec))
      m.libraries[platform] = {m.library_path(platform), ""};
  }
  std::map<std::string, fs::path> from; // pack path -> where the file is, when not under root
  if (build_dir && !m.libraries.count(host_platform())) {
    auto libs = built_libraries(*build_dir, m.name);
    if (libs.size() > 1)
      throw PackError(Refusal::Usage,
                      dir + " holds " + std::to_string(libs.size()) + " libraries seam-" + m.name +
                          ".so: " + libs[0].string() + " and " + libs[1].string(),
                      "give the directory of a pack laid out as lib/PLATFORM/seam-NAME.so");
    if (libs.size() == 1) {
      m.libraries[host_platform()] = {m.library_path(host_platform()), ""};
      from[m.library_path(host_platform())] = libs[0];
    }
  }
  if (m.libraries.empty())
    throw PackError(Refusal::Contents, where + ": the pack has no library",
                    "put it at " + m.library_path(host_platform()) +
                        " or list it under [libraries]");
  for (const auto &[platform, lib] : m.libraries)
    if (lib.path != m.library_path(platform))
      throw PackError(Refusal::Contents, where + ": the library for " + platform + " is '" +
                                             lib.path + "'; a pack keeps it at '" +
                                             m.library_path(platform) + "'");

  PackFiles files;
  auto take = [&](PackFile &f) {
    fs::path p = from.count(f.path) ? from[f.path] : root / f.path;
    if (!fs::is_regular_file(p, ec))
      throw PackError(Refusal::Contents,
                      where + ": names '" + f.path + "', which is not a file in " + dir);
    std::string bytes = slurp(p);
    std::string sum = sha256_hex(bytes);
    if (!f.sha256.empty() && f.sha256 != sum)
      throw PackError(Refusal::Contents,
                      where + ": the sha256 of '" + f.path + "' is " + sum +
                          ", the manifest says " + f.sha256,
                      "leave sha256 out of a source manifest: seam pack build fills it in");
    f.sha256 = sum;
    files[f.path] = std::move(bytes);
  };
  for (auto &[platform, lib] : m.libraries)
    take(lib);
  for (auto &d : m.docs)
    take(d);
  for (auto &x : m.examples)
    take(x);

  // Only this machine's library can be loaded here; it stands for the others.
  if (auto it = m.libraries.find(host_platform()); it != m.libraries.end()) {
    std::string lib =
        (from.count(it->second.path) ? from[it->second.path] : root / it->second.path).string();
    // A source manifest without [steps] gets the library's own list, so
    // that a plugin gaining a step needs no second edit; one that lists
    // them must list them right.
    if (m.steps.empty()) {
      LibraryInfo info = describe_library(seam_exe, lib, m.name);
      if (!info.ok)
        throw PackError(Refusal::Library, info.error);
      m.steps = info.steps;
    }
    check_library(m, lib, seam_exe);
  } else if (m.steps.empty()) {
    throw PackError(Refusal::Contents,
                    where + ": no library for this machine (" + host_platform() +
                        ") to read the steps from",
                    "list the steps under [steps]");
  }

  files[kManifestName] = m.to_toml();
  std::string name = m.name + "-" + m.version.str() + ".seampack";
  fs::path target(out);
  if (target.extension() != ".seampack") {
    fs::create_directories(target, ec);
    target /= name;
  } else if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
  }
  write_pack(target.string(), files);
  return {m, target.string()};
}

std::string sign_pack(const std::string &pack_file, const std::string &key_file) {
  PackFiles files = read_pack(pack_file);
  auto manifest = files.find(kManifestName);
  if (manifest == files.end())
    throw PackError(Refusal::Archive, pack_file + ": no " + std::string(kManifestName) +
                                          " in the archive (not a seam pack)");
  // Only a pack whose manifest reads can be signed: the signature vouches for it.
  Manifest::parse(manifest->second, pack_file + ":" + kManifestName);
  SignatureFile sig = sign(manifest->second, key_file);
  files[kSignatureName] = sig.to_toml();
  write_pack(pack_file, files);
  return sig.key_id();
}

} // namespace seam::pack
