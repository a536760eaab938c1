// YAML documents (OpenAPI descriptions, schemas) read as JSON, on yaml-cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace seam {

// The YAML text as JSON: plain scalars typed as YAML 1.2's core schema types
// them (null, true, 12, 1.5), quoted ones as strings. nullopt and *error
// ("line 3, column 5: ...") when it is not YAML or uses what JSON cannot hold
// (a mapping key that is not a scalar).
std::optional<nlohmann::json> parse_yaml(const std::string &text, std::string *error);

} // namespace seam
