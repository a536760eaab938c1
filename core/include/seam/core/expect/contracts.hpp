// The contract matchers of `expect`: `schema` (a value against a JSON Schema)
// and `openapi` (a whole HTTP response against an operation of an OpenAPI
// description). Files are read and compiled when the suite is loaded, so that
// `seam check` reports a missing or broken contract at the line that names it.
#pragma once

#include "seam/core/base/diagnostics.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace seam {

using json = nlohmann::json;

class Contract {
public:
  virtual ~Contract() = default;
  // Why `actual` (found at `path`) breaks the contract, in lines: nullopt
  // when it holds. At most kMaxViolationsShown violations are listed.
  virtual std::optional<std::string> check(const json &actual, const std::string &path) const = 0;
};

// How many violations a failure lists before "... and N more".
constexpr size_t kMaxViolationsShown = 10;

// `schema = "FILE[#/pointer]"` (relative to the suite's folder) or an inline
// schema table. nullptr and a diagnostic in `errors` when it cannot be used.
std::shared_ptr<const Contract> compile_schema_contract(const json &operand, const SourceLoc &loc,
                                                        std::vector<Diagnostic> &errors);

// `openapi = { spec = "FILE", operation = "operationId" | "METHOD /path/{template}" }`.
std::shared_ptr<const Contract> compile_openapi_contract(const json &operand, const SourceLoc &loc,
                                                         std::vector<Diagnostic> &errors);

// Renders violations as the lines of a failure (shared by both matchers).
struct SchemaViolation;
std::string list_violations(const std::string &prefix, const std::vector<SchemaViolation> &v);

// Schemas a `$ref` names by a URI that is not a file (http://...) are read
// from a local copy: URIs that start with `prefix` from `local` followed by
// the rest of the URI (a file when the URI is exactly `prefix`). Other
// non-file URIs are an error: seam fetches nothing from the network.
void map_schema_uris(const std::string &prefix, const std::string &local);

// The folder relative paths in `loc`'s suite are read from.
std::string suite_folder(const SourceLoc &loc);

} // namespace seam
