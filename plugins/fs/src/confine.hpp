// confine.hpp - a resource's root, and the paths steps may reach under it.
#pragma once

#include <filesystem>
#include <string>

namespace seam_fs {

class root_dir {
public:
  // `root` must be an existing directory; it is kept in canonical form.
  // Throws seam::error naming the resource otherwise.
  root_dir(const std::filesystem::path &root, const std::string &resource);

  const std::filesystem::path &path() const { return root_; }

  // The real path `path` (relative to the root, or absolute) names, with
  // symlinks resolved as far as the file system has them. Throws seam::error
  // naming `step`, the path and the root when it leads out of the root,
  // whether through "..", as an absolute path or through a symlink.
  std::filesystem::path resolve(const std::string &path, const std::string &step) const;

  // `p` (inside the root) relative to it, "." for the root itself.
  std::string relative(const std::filesystem::path &p) const;

private:
  bool inside(const std::filesystem::path &p) const;
  std::filesystem::path root_;
  std::string resource_;
};

} // namespace seam_fs
