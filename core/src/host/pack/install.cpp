// Installing and removing packs; see install.hpp.
#include "seam/core/host/pack/install.hpp"
#include "seam/core/host/pack/archive.hpp"
#include "seam/core/host/pack/catalog.hpp"
#include "seam/core/host/pack/describe.hpp"
#include "seam/core/host/pack/digest.hpp"
#include "seam/core/host/pack/library_check.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/platform.hpp"
#include "seam/core/host/pack/signature.hpp"
#include "seam/core/host/pack/trust.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h> // renameat2
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace seam::pack {

namespace fs = std::filesystem;

namespace {

std::string unique_suffix() {
  std::random_device rd;
  return std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000);
}

// The version of plugin NAME as installed or bundled, if it is.
std::optional<Version> available_version(const std::string &name, const PackRoots &roots,
                                         const std::string &seam_exe) {
  for (const auto &root : {roots.user, roots.system}) {
    std::error_code ec;
    fs::path m = fs::path(root) / name / kManifestName;
    if (!root.empty() && fs::is_regular_file(m, ec))
      return Manifest::read(m.string()).version;
  }
  std::string lib = roots.bundled + "/seam-" + name + ".so";
  std::error_code ec;
  if (roots.bundled.empty() || !fs::is_regular_file(lib, ec))
    return std::nullopt;
  if (auto found = manifest_for(lib))
    return found->manifest.version;
  LibraryInfo info = describe_library(seam_exe, lib, name);
  return info.ok ? Version::parse(info.version) : std::nullopt;
}

void write_file(const fs::path &p, const std::string &bytes, bool executable) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    throw PackError(Refusal::Io, "cannot write " + p.string());
  fs::permissions(p,
                  executable
                      ? fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec
                      : fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read,
                  ec);
}

// Installs and removals in one plugin directory take turns: each holds an
// exclusive lock on ROOT/.lock (released by the kernel if seam dies).
class RootLock {
public:
  explicit RootLock(const std::string &root) {
    std::error_code ec;
    fs::create_directories(root, ec);
    fd_ = ::open((root + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0)
      throw PackError(Refusal::Io, "cannot lock " + root + "/.lock: " + std::strerror(errno));
  }
  ~RootLock() { ::close(fd_); }
  RootLock(const RootLock &) = delete;
  RootLock &operator=(const RootLock &) = delete;

private:
  int fd_ = -1;
};

// Removes what an install or removal cut short left behind.
void sweep(const fs::path &root) {
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(root, ec)) {
    std::string n = e.path().filename().string();
    // Under the lock, no other install is under way: what is left was cut short.
    if (n.rfind(".staging-", 0) == 0 || n.rfind(".old-", 0) == 0)
      fs::remove_all(e.path(), ec);
  }
}

} // namespace

InstallResult install_pack(const std::string &pack_file, const PackRoots &roots,
                           const InstallOptions &opt) {
  std::error_code ec;
  if (!fs::is_regular_file(pack_file, ec))
    throw PackError(Refusal::Usage, "no such pack file: " + pack_file,
                    "seam plugins install takes a NAME-VERSION.seampack file");
  // 1. The archive, with every entry checked and nothing written yet.
  PackFiles files = read_pack(pack_file);
  auto mtext = files.find(kManifestName);
  if (mtext == files.end())
    throw PackError(Refusal::Archive,
                    pack_file + ": no " + std::string(kManifestName) + " at the archive's root",
                    "packs are made with seam pack build");
  InstallResult res;
  res.manifest = Manifest::parse(mtext->second, pack_file + ":" + kManifestName);
  const Manifest &m = res.manifest;
  const std::string who = pack_file + " (" + m.name + " " + m.version.str() + ")";

  // 2. The signature: a bad one is refused always; none, or an untrusted
  // signer, only without --allow-unsigned.
  if (auto s = files.find(kSignatureName); s != files.end()) {
    SignatureFile sig = SignatureFile::parse(s->second);
    if (!verify(mtext->second, sig))
      throw PackError(Refusal::Signature,
                      who + ": the signature does not match the manifest (signed by key " +
                          sig.key_id() + "); the pack was changed after it was signed",
                      "get the pack again from its vendor; --allow-unsigned does not accept a "
                      "bad signature");
    res.was_signed = true;
    if (auto key = find_trusted(sig.public_key))
      res.signer = key->id;
    else if (!opt.allow_unsigned)
      throw PackError(Refusal::Signature,
                      who + ": signed by key " + sig.key_id() + ", which is not trusted",
                      "trust the vendor's public key with seam trust add KEY.pub (keys in " +
                          trust_dir() + "), or pass --allow-unsigned");
  } else if (!opt.allow_unsigned) {
    throw PackError(Refusal::Signature, who + ": the pack is not signed",
                    "ask its vendor for a signed pack (seam pack sign), or pass --allow-unsigned");
  }

  // 3. Contents: exactly the files the manifest names, each with its sha256.
  for (const auto &[path, bytes] : files) {
    if (path == kManifestName || path == kSignatureName)
      continue;
    bool named = false;
    for (const auto &f : m.files())
      named = named || f.path == path;
    if (!named)
      throw PackError(Refusal::Contents,
                      who + ": the archive holds '" + path + "', which the manifest does not name");
  }
  for (const auto &f : m.files()) {
    auto it = files.find(f.path);
    if (it == files.end())
      throw PackError(Refusal::Contents,
                      who + ": the manifest names '" + f.path + "', which the archive lacks");
    if (f.sha256.empty())
      throw PackError(Refusal::Contents,
                      who + ": the manifest gives no sha256 for '" + f.path + "'",
                      "packs are made with seam pack build, which fills them in");
    std::string sum = sha256_hex(it->second);
    if (sum != f.sha256)
      throw PackError(Refusal::Contents, who + ": the sha256 of '" + f.path + "' is " + sum +
                                             ", the manifest says " + f.sha256);
  }

  // 4. This seam and this machine.
  const std::string platform = host_platform();
  auto lib = m.libraries.find(platform);
  if (lib == m.libraries.end()) {
    std::string has;
    for (const auto &[p, f] : m.libraries)
      has += (has.empty() ? "" : ", ") + p;
    throw PackError(Refusal::Incompatible,
                    who + ": no library for " + platform +
                        " (the pack has: " + (has.empty() ? "none" : has) + ")",
                    "ask the vendor for a pack built for " + platform);
  }
  if (lib->second.path != m.library_path(platform))
    throw PackError(Refusal::Contents, who + ": the library for " + platform + " is '" +
                                           lib->second.path + "', not '" +
                                           m.library_path(platform) + "'");
  if (std::string p = compatibility_problem(m, pack_file); !p.empty())
    throw PackError(Refusal::Incompatible, p);
  for (const auto &[dep, range] : m.depends) {
    auto have = available_version(dep, roots, opt.seam_exe);
    if (!have || !range.contains(*have))
      throw PackError(
          Refusal::Incompatible,
          who + ": needs plugin " + dep + " " + range.text() + ", but " +
              (have ? "version " + have->str() + " is installed" : "it is not installed"),
          "install a pack of " + dep + " that matches first");
  }

  // 5. Names: a bundled plugin, a pack of the other scope, the installed version.
  const std::string root = opt.system ? roots.system : roots.user;
  const std::string other = opt.system ? roots.user : roots.system;
  if (root.empty())
    throw PackError(Refusal::Io, "no plugin directory: set XDG_DATA_HOME or HOME");
  if (!roots.bundled.empty() && fs::exists(roots.bundled + "/seam-" + m.name + ".so", ec))
    throw PackError(Refusal::Conflict,
                    who + ": '" + m.name + "' is the name of a plugin that comes with seam (" +
                        roots.bundled + "/seam-" + m.name + ".so)",
                    "a pack cannot replace a bundled plugin; its vendor must rename it");
  if (!other.empty() && fs::exists(fs::path(other) / m.name, ec))
    throw PackError(Refusal::Conflict,
                    who + ": a pack named '" + m.name + "' is installed in " + other + "/" + m.name,
                    std::string("remove it first: seam plugins remove ") + m.name +
                        (opt.system ? "" : " --system"));
  RootLock lock(root); // from the look at what is installed to the move
  sweep(root);
  fs::path target = fs::path(root) / m.name;
  if (fs::is_regular_file(target / kManifestName, ec)) {
    Manifest old = Manifest::read((target / kManifestName).string());
    res.previous = old.version.str();
    bool older = m.version < old.version;
    if (older && !opt.downgrade)
      throw PackError(Refusal::Conflict,
                      who + ": version " + old.version.str() + " is installed, which is newer",
                      "pass --downgrade to install the older version");
    if (!opt.replace && !opt.downgrade)
      throw PackError(Refusal::Conflict,
                      who + ": " + m.name + " " + old.version.str() + " is installed already",
                      "pass --replace to " +
                          std::string(old.version == m.version ? "reinstall it" : "upgrade"));
  } else if (fs::exists(target, ec)) {
    throw PackError(Refusal::Conflict,
                    who + ": " + target.string() + " exists but holds no pack manifest",
                    "move it away first");
  }

  // 6. Staged beside its final place (one file system, so the rename is
  // atomic), checked by loading its library in a child, then moved in.
  fs::path staging = fs::path(root) / (".staging-" + m.name + "-" + unique_suffix());
  fs::create_directory(staging, ec);
  if (ec)
    throw PackError(Refusal::Io, "cannot create " + staging.string() + ": " + ec.message());
  try {
    for (const auto &[path, bytes] : files)
      write_file(staging / path, bytes, path == lib->second.path);
    check_library(m, (staging / lib->second.path).string(), opt.seam_exe);
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  if (res.previous) {
    // The old and new directories change places in one step.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      int err = errno;
      fs::remove_all(staging, ec);
      throw PackError(Refusal::Io,
                      "cannot move " + m.name + " into " + root + ": " + std::strerror(err));
    }
    fs::path old = fs::path(root) / (".old-" + m.name + "-" + unique_suffix());
    fs::rename(staging, old, ec);
    fs::remove_all(ec ? staging : old, ec);
  } else {
    fs::rename(staging, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove_all(staging, ignored);
      throw PackError(Refusal::Io, "cannot move " + m.name + " into " + root + ": " + ec.message());
    }
  }
  res.dir = target.string();
  return res;
}

std::string remove_pack(const std::string &name, const PackRoots &roots, bool system) {
  const std::string root = system ? roots.system : roots.user;
  fs::path dir = fs::path(root) / name;
  std::error_code ec;
  if (auto problem = plugin_name_problem(name); problem || !fs::is_directory(dir, ec)) {
    std::string hint = "seam plugins list shows the installed packs";
    if (!roots.bundled.empty() && fs::exists(roots.bundled + "/seam-" + name + ".so", ec))
      hint = "'" + name + "' comes with seam; it is not a pack and cannot be removed";
    else if (fs::is_directory(fs::path(system ? roots.user : roots.system) / name, ec))
      hint = std::string("it is installed ") +
             (system ? "for the user: drop --system" : "for the system: add --system");
    throw PackError(Refusal::Usage, "no pack '" + name + "' is installed in " + root, hint);
  }
  RootLock lock(root);
  // Out of sight first (one rename), then deleted.
  fs::path gone = fs::path(root) / (".old-" + name + "-" + unique_suffix());
  fs::rename(dir, gone, ec);
  if (ec)
    throw PackError(Refusal::Io, "cannot remove " + dir.string() + ": " + ec.message());
  fs::remove_all(gone, ec);
  return dir.string();
}

} // namespace seam::pack
