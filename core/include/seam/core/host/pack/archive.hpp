// The .seampack file: a tar.gz (libarchive) of the pack's files. Written
// deterministically (sorted entries, fixed times, owners and modes, no gzip
// timestamp) so that two builds of one pack are byte-identical; read with
// every entry checked, so that a hostile archive is refused before anything
// of it reaches the disk.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace seam::pack {

inline constexpr const char *kSignatureName = "seam-pack.sig";

// path ('/'-separated, relative) -> contents.
using PackFiles = std::map<std::string, std::string>;

struct ReadLimits {
  uint64_t total_bytes = 256ull << 20; // all files together, uncompressed
  uint64_t file_bytes = 256ull << 20;  // one file
  size_t entries = 10000;
};

// Reads a pack. Throws PackError (Archive) naming the entry and the reason:
// not a tar.gz, cut short, an absolute path or "..", a link, a device or
// other special file, a file named twice, more than the limits allow.
PackFiles read_pack(const std::string &path, const ReadLimits &limits = {});

// Writes FILES as a deterministic tar.gz at PATH (through a temporary file
// renamed into place). Libraries (*.so) are 0755, the rest 0644. Throws
// PackError (Io).
void write_pack(const std::string &path, const PackFiles &files);

} // namespace seam::pack
