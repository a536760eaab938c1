// wait.hpp - fs.wait: until a file appears, changes, goes away, or its parsed
// content matches an `until` table.
#pragma once

#include "confine.hpp"

#include <seam/plugin.hpp>

namespace seam_fs {

seam::json wait_for_file(const root_dir &root, const seam::json &input, seam::context &ctx);
const char *wait_schema();

} // namespace seam_fs
