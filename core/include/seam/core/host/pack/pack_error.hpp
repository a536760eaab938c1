// Why a pack was refused, and the exit code that says so (docs/packs.md).
#pragma once

#include <stdexcept>
#include <string>

namespace seam::pack {

// The exit codes of the pack commands (seam pack, seam plugins install/
// remove/verify, seam trust), beside the general ones of docs/cli.md.
enum class Refusal {
  Usage = 2,         // the command line is wrong, or names something that is not there
  Library = 3,       // the library could not be loaded (docs/cli.md)
  Archive = 10,      // not a pack, or an unsafe one: traversal, links, devices, too big, cut short
  Contents = 11,     // the contents are not what the manifest says: checksums, name, steps, ABI
  Signature = 12,    // unsigned or untrusted (without --allow-unsigned), or a bad signature
  Incompatible = 13, // for another platform, ABI major, seam version, or a missing dependency
  Conflict = 14,     // the name is taken (bundled, other scope), installed already, or a downgrade
  Io = 15,           // reading or writing files failed
};

class PackError : public std::runtime_error {
public:
  PackError(Refusal why, const std::string &message, std::string hint = {})
      : std::runtime_error(message), why_(why), hint_(std::move(hint)) {}
  Refusal why() const { return why_; }
  int exit_code() const { return static_cast<int>(why_); }
  const std::string &hint() const { return hint_; }

private:
  Refusal why_;
  std::string hint_;
};

} // namespace seam::pack
