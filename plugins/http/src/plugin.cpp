// plugin.cpp - the http plugin's descriptor: http.request, `http` mock
// resources, http.mock_calls and http.mock_reset.
#include "client.hpp"
#include "mock_server.hpp"
#include "routes.hpp"
#include "schemas.hpp"
#include "state.hpp"

#include <seam/plugin.hpp>

#include <chrono>

namespace {

using seam::json;
using seam::http::mock_server;

// Routes' `match` tables are evaluated by the host, from the mock server's
// own threads: the host table outlives the call that opened the resource, and
// its `match` takes a NULL context there (ABI 1.1).
seam::http::match_fn host_matcher(const seam_host_api *host) {
  return [host](const json &expect, const json &doc) {
    std::string e = expect.dump();
    std::string d = doc.dump(-1, ' ', false, json::error_handler_t::replace);
    return host->match(nullptr, e.data(), e.size(), d.data(), d.size());
  };
}

json mock_calls(mock_server &mock, const json &in, seam::context &ctx) {
  std::optional<seam::http::route> path_filter;
  if (auto p = in.find("path"); p != in.end()) {
    // The filter is a route pattern, so "/v1/charges/{id}" selects them all.
    path_filter = std::move(
        seam::http::parse_routes(json::array({{{"path", *p}}}), "http.mock_calls: path")[0]);
  }
  std::string method = in.value("method", "");
  const json *match = in.contains("match") ? &in["match"] : nullptr;

  // Also tells how many calls there were in all, to wait for the next one.
  auto select = [&](size_t &total) {
    json calls = json::array();
    auto all = mock.calls();
    total = all.size();
    for (auto &call : all) {
      if (!method.empty() && call["method"] != method)
        continue;
      if (path_filter && !seam::http::match_path(*path_filter, call["path"].get<std::string>()))
        continue;
      if (match != nullptr && !ctx.match(*match, call))
        continue;
      calls.push_back(std::move(call));
    }
    return calls;
  };

  size_t min_count = in.value("min_count", size_t{0});
  std::chrono::microseconds wait{0};
  if (auto w = in.find("wait"); w != in.end()) {
    // The schema's pattern admits only what parse_duration reads.
    auto d = seam::parse_duration(w->get_ref<const std::string &>());
    if (!d)
      throw seam::error("http.mock_calls: `wait` " + w->dump() + " is not a duration");
    wait = *d;
  } else if (min_count > 0) {
    wait = std::chrono::seconds(5);
  }
  seam::deadline deadline = ctx.deadline().within(wait);

  size_t total = 0;
  json calls = select(total);
  // Calls from a service under test may arrive after the step that caused
  // them; wait for them rather than make every suite poll.
  while (calls.size() < min_count && !deadline.done()) {
    mock.wait_for_calls(total + 1, deadline);
    calls = select(total);
  }
  json out = json::object();
  out["count"] = calls.size();
  out["calls"] = std::move(calls);
  return out;
}

} // namespace

SEAM_PLUGIN(plugin) {
  namespace schemas = seam::http::schemas;
  plugin.info("http", "0.1.0", "HTTP requests (libcurl) and mock HTTP services");
  plugin.state<seam::http::plugin_state>();
  plugin.step({.name = "request",
               .summary = "Sends one HTTP request and returns status, headers, body, json, timing",
               .input = schemas::request_input(),
               .output = schemas::request_output()},
              seam::http::perform_request);
  plugin.resource<mock_server>(
      {.summary = "A mock HTTP service on loopback: answers from routes, records every request",
       .config = schemas::mock_resource()},
      [](const std::string &name, const json &config, seam::context &ctx) {
        auto server = std::make_unique<mock_server>(name, config, host_matcher(ctx.host()));
        ctx.publish(server->attributes());
        return server;
      });
  plugin.step<mock_server>(
      {.name = "mock_calls",
       .summary = "The requests a mock resource received, filtered by method, path, match",
       .input = schemas::mock_calls_input(),
       .output = schemas::mock_calls_output()},
      mock_calls);
  plugin.step<mock_server>(
      {.name = "mock_reset",
       .summary = "Forgets a mock resource's recorded requests and restarts its sequences",
       .input = schemas::mock_reset_input(),
       .output = schemas::mock_reset_output()},
      [](mock_server &mock, const json &, seam::context &) {
        return json{{"cleared", mock.reset()}};
      });
}
