// seam-pack.toml: what a pack is (name, version, the ABI it needs, one
// library per platform with its sha256, its steps, docs, example suites and
// the packs it depends on), read with TOML++ and written back
// deterministically. docs/packs.md describes the format.
#pragma once

#include "seam/core/host/pack/semver.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seam::pack {

inline constexpr const char *kManifestName = "seam-pack.toml";

struct PackFile {
  std::string path;   // relative to the pack's root, '/'-separated
  std::string sha256; // "" in a source manifest; `seam pack build` fills it in
};

struct Manifest {
  std::string name;
  Version version;
  std::string summary, license, homepage;
  unsigned abi_major = 0, abi_minor = 0;
  std::optional<Range> seam;                 // the seam versions it works with
  std::map<std::string, PackFile> libraries; // platform -> library
  std::map<std::string, std::string> steps;  // step name (without "NAME.") -> summary
  std::vector<PackFile> docs, examples;
  std::map<std::string, Range> depends; // [requires]: pack name -> versions

  // Throws PackError (Contents) with "FILE:LINE:COL: message" for the first
  // problem: bad TOML, a missing or mistyped field, an unknown key, an unsafe
  // path. `file` only names the text in messages.
  static Manifest parse(std::string_view text, const std::string &file);
  static Manifest read(const std::string &path);
  // The manifest as TOML: the same for the same manifest, byte for byte.
  std::string to_toml() const;

  std::string abi() const { return std::to_string(abi_major) + "." + std::to_string(abi_minor); }
  // Every file the manifest names (libraries, docs, examples), sorted by path.
  std::vector<PackFile> files() const;
  // Where a pack keeps the library of `platform`: lib/PLATFORM/seam-NAME.so.
  std::string library_path(const std::string &platform) const;
};

// A relative path that stays inside its directory: no "..", not absolute,
// no empty or "." parts, no backslash or control character. `why` says what is wrong.
bool safe_relative_path(std::string_view path, std::string *why);

// The problems of seam's plugin names ("stripe"): nullopt when valid.
std::optional<std::string> plugin_name_problem(const std::string &name);

} // namespace seam::pack
