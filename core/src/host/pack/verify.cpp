// Re-checking installed plugins; see verify.hpp.
#include "seam/core/host/pack/verify.hpp"
#include "seam/core/host/pack/archive.hpp"
#include "seam/core/host/pack/digest.hpp"
#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/signature.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace seam::pack {

namespace fs = std::filesystem;

std::vector<VerifyProblem> verify_installed(const PackRoots &roots,
                                            std::vector<std::string> *checked) {
  std::vector<VerifyProblem> problems;
  auto check_dir = [&](const fs::path &root, const Manifest &m, const std::string &label,
                       const std::string &manifest_text, bool has_sig) {
    if (checked)
      checked->push_back(m.name + " " + m.version.str() + " (" + label + ")");
    for (const auto &f : m.files()) {
      fs::path p = root / f.path;
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) {
        // A pack keeps the libraries of every platform; a bundled manifest
        // names only its own.
        problems.push_back({m.name, p.string() + " is missing"});
        continue;
      }
      if (f.sha256.empty())
        continue;
      std::string sum = sha256_file(p.string());
      if (sum != f.sha256)
        problems.push_back({m.name, p.string() + " was modified: its sha256 is " + sum +
                                        ", the manifest says " + f.sha256});
    }
    if (has_sig) {
      try {
        std::ifstream in(root / kSignatureName, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!verify(manifest_text, SignatureFile::parse(text)))
          problems.push_back({m.name, (root / kManifestName).string() +
                                          " was modified: it no longer matches its signature"});
      } catch (const PackError &e) {
        problems.push_back({m.name, e.what()});
      }
    }
  };
  for (auto [root, label] : {std::pair{roots.user, "user"}, std::pair{roots.system, "system"}}) {
    std::error_code ec;
    if (root.empty())
      continue;
    std::vector<fs::path> dirs;
    for (const auto &e : fs::directory_iterator(root, ec))
      if (e.is_directory() && e.path().filename().string()[0] != '.')
        dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto &d : dirs) {
      try {
        std::ifstream in(d / kManifestName, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in && text.empty()) {
          problems.push_back({d.filename().string(), (d / kManifestName).string() + " is missing"});
          continue;
        }
        Manifest m = Manifest::parse(text, (d / kManifestName).string());
        check_dir(d, m, label, text, fs::exists(d / kSignatureName, ec));
      } catch (const PackError &e) {
        problems.push_back({d.filename().string(), e.what()});
      }
    }
  }
  // Bundled libraries with a manifest beside them (seam_add_plugin).
  std::error_code ec;
  std::vector<fs::path> manifests;
  for (const auto &e : fs::directory_iterator(roots.bundled, ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind("seam-", 0) == 0 && e.path().extension() == ".toml")
      manifests.push_back(e.path());
  }
  std::sort(manifests.begin(), manifests.end());
  for (const auto &p : manifests) {
    try {
      Manifest m = Manifest::read(p.string());
      check_dir(p.parent_path(), m, "bundled", "", false);
    } catch (const PackError &e) {
      problems.push_back({p.stem().string().substr(5), e.what()});
    }
  }
  return problems;
}

} // namespace seam::pack
