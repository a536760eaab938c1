// Reading and writing .seampack archives through libarchive; see archive.hpp.
#include "seam/core/host/pack/archive.hpp"
#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/host/pack/pack_error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace seam::pack {

namespace {

using ReadHandle = std::unique_ptr<struct archive, decltype(&archive_read_free)>;
using WriteHandle = std::unique_ptr<struct archive, decltype(&archive_write_free)>;

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

const char *kind_of(mode_t type) {
  switch (type) {
  case AE_IFLNK:
    return "a symbolic link";
  case AE_IFCHR:
    return "a character device";
  case AE_IFBLK:
    return "a block device";
  case AE_IFIFO:
    return "a named pipe";
  case AE_IFSOCK:
    return "a socket";
  default:
    return "a special file";
  }
}

} // namespace

PackFiles read_pack(const std::string &path, const ReadLimits &limits) {
  auto refuse = [&](const std::string &why, const std::string &hint = {}) {
    return PackError(Refusal::Archive, path + ": " + why, hint);
  };
  ReadHandle a(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    std::string why = archive_error_string(a.get()) ? archive_error_string(a.get()) : "";
    if (::access(path.c_str(), R_OK) != 0)
      throw PackError(Refusal::Usage, "cannot read " + path + ": " + std::strerror(errno));
    throw refuse("not a seam pack (a tar.gz): " + why);
  }
  PackFiles files;
  uint64_t total = 0;
  size_t entries = 0;
  archive_entry *e = nullptr;
  while (true) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF)
      break;
    if (r != ARCHIVE_OK) {
      const char *why = archive_error_string(a.get());
      throw refuse(std::string("the archive is cut short or damaged: ") +
                   (why ? why : "unreadable header"));
    }
    if (++entries > limits.entries)
      throw refuse("more than " + std::to_string(limits.entries) + " entries");
    const char *raw = archive_entry_pathname(e);
    std::string name = raw ? raw : "";
    while (name.rfind("./", 0) == 0)
      name.erase(0, 2);
    mode_t type = archive_entry_filetype(e);
    if (type == AE_IFDIR) {
      while (!name.empty() && name.back() == '/')
        name.pop_back();
    }
    if (name.empty() && type == AE_IFDIR)
      continue; // "./" itself
    std::string why;
    if (!safe_relative_path(name, &why))
      throw refuse("entry '" + std::string(raw ? raw : "") + "' " + why);
    if (archive_entry_hardlink(e))
      throw refuse("entry '" + name + "' is a hard link (to '" + archive_entry_hardlink(e) +
                   "'); a pack holds regular files only");
    if (type == AE_IFDIR)
      continue;
    if (type != AE_IFREG) {
      std::string what = kind_of(type);
      if (type == AE_IFLNK && archive_entry_symlink(e))
        what += std::string(" to '") + archive_entry_symlink(e) + "'";
      throw refuse("entry '" + name + "' is " + what + "; a pack holds regular files only");
    }
    int64_t size = archive_entry_size(e);
    if (size < 0 || static_cast<uint64_t>(size) > limits.file_bytes)
      throw refuse("entry '" + name + "' is " + std::to_string(size) + " bytes, more than the " +
                   mib(limits.file_bytes) + " one file of a pack may have");
    total += static_cast<uint64_t>(size);
    if (total > limits.total_bytes)
      throw refuse("its files add up to more than the " + mib(limits.total_bytes) +
                   " a pack may hold");
    if (files.count(name))
      throw refuse("entry '" + name + "' appears twice");
    std::string data(static_cast<size_t>(size), '\0');
    size_t got = 0;
    while (got < data.size()) {
      la_ssize_t n = archive_read_data(a.get(), data.data() + got, data.size() - got);
      if (n < 0) {
        const char *w = archive_error_string(a.get());
        throw refuse("the archive is cut short or damaged in '" + name +
                     "': " + (w ? w : "read error"));
      }
      if (n == 0)
        throw refuse("the archive is cut short in '" + name + "' (" + std::to_string(got) + " of " +
                     std::to_string(size) + " bytes)");
      got += static_cast<size_t>(n);
    }
    files.emplace(std::move(name), std::move(data));
  }
  return files;
}

void write_pack(const std::string &path, const PackFiles &files) {
  namespace fs = std::filesystem;
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  auto io = [&](struct archive *a) {
    const char *why = archive_error_string(a);
    std::remove(tmp.c_str());
    return PackError(Refusal::Io, "cannot write " + path + ": " + (why ? why : "write error"));
  };
  {
    WriteHandle a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    archive_write_add_filter_gzip(a.get());
    // No time in the gzip header: two builds must be byte-identical.
    archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr);
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK)
      throw io(a.get());
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                    archive_entry_free);
    for (const auto &[name, data] : files) { // std::map: sorted by path
      archive_entry_clear(e.get());
      archive_entry_set_pathname(e.get(), name.c_str());
      archive_entry_set_filetype(e.get(), AE_IFREG);
      bool lib = name.size() > 3 && name.compare(name.size() - 3, 3, ".so") == 0;
      archive_entry_set_perm(e.get(), lib ? 0755 : 0644);
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
      archive_entry_set_mtime(e.get(), 0, 0);
      archive_entry_set_uid(e.get(), 0);
      archive_entry_set_gid(e.get(), 0);
      archive_entry_set_uname(e.get(), "root");
      archive_entry_set_gname(e.get(), "root");
      if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK ||
          archive_write_data(a.get(), data.data(), data.size()) !=
              static_cast<la_ssize_t>(data.size()))
        throw io(a.get());
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
      throw io(a.get());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw PackError(Refusal::Io, "cannot write " + path + ": " + ec.message());
  }
}

} // namespace seam::pack
