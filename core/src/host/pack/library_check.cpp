// Comparing a library with its manifest; see library_check.hpp.
#include "seam/core/host/pack/library_check.hpp"
#include "seam/core/host/pack/describe.hpp"
#include "seam/core/host/pack/digest.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/platform.hpp"

#include <filesystem>

namespace seam::pack {

void check_library(const Manifest &m, const std::string &library, const std::string &seam_exe) {
  LibraryInfo info = describe_library(seam_exe, library, m.name);
  if (!info.ok)
    throw PackError(Refusal::Library, info.error);
  std::vector<std::string> diffs;
  if (info.version != m.version.str())
    diffs.push_back("the library's version is " + info.version + ", the manifest's " +
                    m.version.str());
  std::string abi = std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
  if (abi != m.abi())
    diffs.push_back("the library speaks ABI " + abi + ", the manifest says " + m.abi());
  for (const auto &[step, summary] : info.steps)
    if (!m.steps.count(step))
      diffs.push_back("the library has step '" + m.name + "." + step +
                      "', which the manifest does not list");
  for (const auto &[step, summary] : m.steps)
    if (!info.steps.count(step))
      diffs.push_back("the manifest lists step '" + m.name + "." + step +
                      "', which the library does not have");
  if (diffs.empty())
    return;
  std::string msg = library + " does not match the manifest:";
  for (const auto &d : diffs)
    msg += "\n  " + d;
  std::string hint;
  if (m.steps.empty()) {
    hint = "list the library's steps in seam-pack.toml:\n[steps]";
    for (const auto &[step, summary] : info.steps)
      hint += "\n\"" + step + "\" = \"" + summary + "\"";
  }
  throw PackError(Refusal::Contents, msg, hint);
}

Manifest manifest_of_library(const std::string &library, const std::string &seam_exe) {
  LibraryInfo info = describe_library(seam_exe, library);
  if (!info.ok)
    throw PackError(Refusal::Library, info.error);
  Manifest m;
  m.name = info.name;
  std::string why;
  auto v = Version::parse(info.version, &why);
  if (!v)
    throw PackError(Refusal::Contents, library + ": plugin '" + info.name + "' has version " + why,
                    "packs need a SemVer version (MAJOR.MINOR.PATCH) in the plugin's descriptor");
  m.version = *v;
  m.summary = info.summary;
  m.abi_major = info.abi_major;
  m.abi_minor = info.abi_minor;
  m.steps = info.steps;
  m.libraries[host_platform()] = {std::filesystem::path(library).filename().string(),
                                  sha256_file(library)};
  return m;
}

} // namespace seam::pack
