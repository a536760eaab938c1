// request_match.hpp - mock routes' `match` tables, evaluated by seam's own
// matcher (the host's, the language of a step's `expect`), so that a route
// picks requests exactly as http.mock_calls filters and `expect` asserts them.
//
// Routes are matched on the mock server's threads, outside any step call: the
// host's `match` takes a NULL context there (ABI 1.1). Two adjustments are
// made to a table when the route is parsed, both documented in
// docs/plugins/http.md:
//   - query, headers, form and params values of a request are text, so a
//     number or boolean written for them (`"query.limit" = 10`) means its
//     text ("10"), also as the operand of eq, ne, in and contains;
//   - header names are lower-cased, as the request document has them.
#pragma once

#include <seam/plugin.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace seam::http {

using seam::json;

// seam_host_api.match: 1 when `doc` satisfies every entry of `expect`, 0 when
// one does not hold, -1 when `expect` is malformed.
using match_fn = std::function<int(const json &expect, const json &doc)>;

class request_matcher {
public:
  // Adjusts `table` (see above) and checks each entry with `host`; throws
  // seam::error naming `where` ("resources.svc.mock.routes[0].match") and the
  // entry when one is malformed, so that a typo fails when the resource
  // opens, not silently on every request.
  request_matcher(const json &table, match_fn host, const std::string &where);

  // Whether the request document satisfies every entry.
  bool matches(const json &doc) const;

  // Which entry does not hold and what the request has there, e.g.
  // "json.amount: expected gt 500, got 100"; "" when all hold.
  std::string why_not(const json &doc) const;

  // The table as evaluated (after the adjustments).
  const json &table() const { return table_; }

private:
  json table_;
  match_fn host_;
};

} // namespace seam::http
