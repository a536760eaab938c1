// request_match.hpp - the small matcher language of mock routes' `match` tables.
//
// Mock routes are matched on the server's own threads, outside any step call,
// where the host's ctx.match is not available; so routes use this subset of
// the suite's `expect` language, documented in docs/plugins/http.md:
//   - a key is a field of the request document, or a path into it
//     ("json.items[0].id", "headers.x-api-key");
//   - a scalar value means equality; a string from the request (a query or
//     header value) also equals a number or boolean written the same way;
//   - { exists = bool }, { contains = "text" }, { matches = "regex" },
//     { eq = v }, { ne = v }, { in = [...] } are operators;
//   - any other table matches an object field by field (a subset match).
#pragma once

#include <seam/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace seam_http {

using seam::json;

// The value at a path such as "json.items[0].id" in doc; nullptr when absent.
const json *walk_path(const json &doc, std::string_view path);

// Whether doc satisfies every entry of table. On a mismatch, *why (when
// given) says which entry failed and what was found.
bool match_table(const json &table, const json &doc, std::string *why = nullptr);

// Whether one value satisfies one expectation (a scalar, operator or table).
bool match_value(const json &expected, const json *actual, std::string *why = nullptr);

// Throws seam::error when a match table uses an unknown operator or a bad regex,
// so that a typo fails when the resource opens, not silently per request.
void validate_match_table(const json &table, const std::string &where);

} // namespace seam_http
