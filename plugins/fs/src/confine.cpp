// confine.cpp - keeping steps inside their resource's root. Checked when a
// step resolves its path: this guards suites against mistakes, not against a
// hostile process swapping directories for symlinks while the step runs.
#include "confine.hpp"

#include <seam/plugin.hpp>

namespace fs = std::filesystem;

namespace seam_fs {

root_dir::root_dir(const fs::path &root, const std::string &resource) : resource_(resource) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw seam::error("fs: resource " + resource + ": root \"" + root.string() +
                      "\" is not an existing directory; hint: create it first, or use "
                      "temp = true for a fresh temporary directory");
  root_ = fs::canonical(root, ec);
  if (ec)
    throw seam::error("fs: resource " + resource + ": cannot resolve root \"" + root.string() +
                      "\" (" + ec.message() + ")");
}

bool root_dir::inside(const fs::path &p) const {
  auto rel = p.lexically_relative(root_);
  return !rel.empty() && *rel.begin() != "..";
}

fs::path root_dir::resolve(const std::string &path, const std::string &step) const {
  if (path.empty())
    throw seam::error(step + ": `path` is empty; give a path relative to the root " +
                      root_.string());
  fs::path given(path);
  fs::path full = (given.is_absolute() ? given : root_ / given).lexically_normal();
  std::error_code ec;
  fs::path real = fs::weakly_canonical(full, ec);
  if (ec)
    throw seam::error(step + ": cannot resolve \"" + path + "\" under the root " + root_.string() +
                      " (" + ec.message() + ")");
  if (!inside(full))
    throw seam::error(step + ": \"" + path + "\" is outside the root " + root_.string() +
                      " of resource " + resource_ +
                      "; hint: paths are relative to the root, "
                      "and \"..\" or an absolute path may not leave it");
  if (!inside(real))
    throw seam::error(step + ": \"" + path + "\" leads out of the root " + root_.string() +
                      " of resource " + resource_ + " through a symlink (to " + real.string() +
                      "); hint: symlinks may not leave the root");
  return real;
}

std::string root_dir::relative(const fs::path &p) const {
  auto rel = p.lexically_relative(root_);
  return rel.empty() ? "." : rel.generic_string();
}

} // namespace seam_fs
