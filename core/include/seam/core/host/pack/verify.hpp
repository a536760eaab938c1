// `seam plugins verify`: installed packs and bundled plugins re-checked
// against their manifests (each file's sha256) and signatures.
#pragma once

#include "seam/core/host/pack/pack_dirs.hpp"

#include <string>
#include <vector>

namespace seam::pack {

struct VerifyProblem {
  std::string pack, message;
};
// Re-checks every installed pack (both scopes) and every bundled library
// with a manifest: each file against its sha256, each signature. `checked`
// receives "NAME VERSION (origin)" of every pack looked at.
std::vector<VerifyProblem> verify_installed(const PackRoots &roots,
                                            std::vector<std::string> *checked);

} // namespace seam::pack
