// routes.hpp - a mock resource's routes: what they match and what they answer.
#pragma once

#include "request_match.hpp"

#include <seam/plugin.hpp>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace seam::http {

using seam::json;

// Ways a route can fail on purpose, so that suites can test error paths.
enum class fault {
  reset,   // the connection is reset (RST) without an answer
  close,   // the connection is closed (FIN) without an answer: "empty reply"
  timeout, // no answer until the client gives up (or the resource closes)
};

// One answer of a route.
struct response_spec {
  int status = 200;
  json headers = json::object();
  std::optional<json> json_body; // sent as application/json
  std::optional<std::string> body;
  std::chrono::microseconds delay{0};
  std::optional<fault> fail;
};

struct route {
  std::string label;  // its `name`, or "METHOD path": how messages name it
  std::string method; // empty: any method
  std::string path;   // the pattern as written, e.g. "/v1/charges/{id}"
  std::regex path_re;
  std::vector<std::string> params;      // capture names, in order
  std::optional<request_matcher> match; // none: no extra conditions
  response_spec base;                   // the route's own response fields
  std::vector<response_spec> responses; // successive answers (the last repeats)
  size_t fail_times = 0;                // fail the first N calls, then answer
};

// Parses `mock.routes`; `where` prefixes every error ("resources.mail.mock.routes").
// `matcher` evaluates `match` tables (required when a route has one).
std::vector<route> parse_routes(const json &routes, const std::string &where,
                                const match_fn &matcher = {});

// The captures of `path` when it matches r's pattern; nullopt otherwise.
std::optional<json> match_path(const route &r, std::string_view path);

// Whether the request's method satisfies the route (HEAD also matches GET).
bool method_matches(const route &r, std::string_view method);

// The answer to the route's call number `call` (0-based).
response_spec response_for(const route &r, size_t call);

// Replaces "{name}" placeholders in the strings of tmpl with values from the
// request document: path captures ("{id}"), "{query.X}", "{headers.X}",
// "{json.PATH}", "{form.X}", "{method}", "{path}", "{body}". A string that is
// exactly one placeholder takes the value's type; unknown placeholders stay.
json render(const json &tmpl, const json &request);
std::string render_text(std::string_view tmpl, const json &request);

} // namespace seam::http
