// Paths into a step's output document: the SDK's json_path (seam/json_path.hpp),
// under the name the core has always used; plugins read paths with the same code.
#pragma once

#include <seam/json_path.hpp>

namespace seam {

using json = nlohmann::json;
using JsonPath = json_path;

} // namespace seam
