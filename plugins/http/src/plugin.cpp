// plugin.cpp - the http plugin's descriptor: http.request, `http` mock
// resources, http.mock_calls and http.mock_reset.
#include "client.hpp"
#include "mock_server.hpp"
#include "routes.hpp"
#include "schemas.hpp"

#include <seam/plugin.hpp>

#include <chrono>

namespace {

using seam::json;
using seam_http::mock_server;

// Routes' `match` tables are evaluated by the host, from the mock server's
// own threads: the host table outlives the call that opened the resource, and
// its `match` takes a NULL context there (ABI 1.1).
seam_http::match_fn host_matcher(const seam_host_api *host) {
  return [host](const json &expect, const json &doc) {
    std::string e = expect.dump();
    std::string d = doc.dump(-1, ' ', false, json::error_handler_t::replace);
    return host->match(nullptr, e.data(), e.size(), d.data(), d.size());
  };
}

json mock_calls(mock_server *mock, const json &in, seam::context &ctx) {
  std::optional<seam_http::route> path_filter;
  if (auto p = in.find("path"); p != in.end()) {
    // The filter is a route pattern, so "/v1/charges/{id}" selects them all.
    path_filter = std::move(
        seam_http::parse_routes(json::array({{{"path", *p}}}), "http.mock_calls: path")[0]);
  }
  std::string method = in.value("method", "");
  const json *match = in.contains("match") ? &in["match"] : nullptr;
  if (match != nullptr && !match->is_object())
    throw seam::error("http.mock_calls: `match` must be a table such as { \"json.to\" = "
                      "\"a@example.com\" }");

  // Also tells how many calls there were in all, to wait for the next one.
  auto select = [&](size_t &total) {
    json calls = json::array();
    auto all = mock->calls();
    total = all.size();
    for (auto &call : all) {
      if (!method.empty() && call["method"] != method)
        continue;
      if (path_filter && !seam_http::match_path(*path_filter, call["path"].get<std::string>()))
        continue;
      if (match != nullptr && !ctx.match(*match, call))
        continue;
      calls.push_back(std::move(call));
    }
    return calls;
  };

  size_t min_count = in.value("min_count", size_t{0});
  auto deadline = std::chrono::steady_clock::now();
  if (auto w = in.find("wait"); w != in.end()) {
    auto d = w->is_string() ? seam::parse_duration(w->get<std::string>()) : std::nullopt;
    if (!d)
      throw seam::error("http.mock_calls: `wait` " + w->dump() +
                        " is not a duration; write e.g. \"2s\"");
    deadline += *d;
  } else if (min_count > 0) {
    deadline += std::chrono::seconds(5);
  }
  if (auto remaining = ctx.remaining())
    deadline = std::min(deadline, std::chrono::steady_clock::now() + *remaining);

  size_t total = 0;
  json calls = select(total);
  // Calls from a service under test may arrive after the step that caused
  // them; wait for them rather than make every suite poll.
  while (calls.size() < min_count && std::chrono::steady_clock::now() < deadline &&
         !ctx.cancelled()) {
    mock->wait_for_calls(total + 1, deadline, [&] { return ctx.cancelled(); });
    calls = select(total);
  }
  json out = json::object();
  out["count"] = calls.size();
  out["calls"] = std::move(calls);
  return out;
}

} // namespace

SEAM_PLUGIN(plugin) {
  namespace schemas = seam_http::schemas;
  plugin.info("http", "0.1.0", "HTTP requests (libcurl) and mock HTTP services");
  plugin.step("request", "Sends one HTTP request and returns status, headers, body, json, timing",
              schemas::request_input(), schemas::request_output(),
              [](const json &in, seam::context &ctx) {
                return seam_http::perform_request(in, ctx);
              });
  plugin.resource<mock_server>(
      "A mock HTTP service on loopback: answers from routes, records every request",
      schemas::mock_resource(),
      [](const std::string &name, const json &config, seam::context &ctx) {
        auto server = std::make_unique<mock_server>(name, config, host_matcher(ctx.host()));
        ctx.publish(server->attributes());
        return server;
      });
  plugin.resource_step<mock_server>(
      "mock_calls", "The requests a mock resource received, filtered by method, path, match",
      schemas::mock_calls_input(), schemas::mock_calls_output(), mock_calls);
  plugin.resource_step<mock_server>(
      "mock_reset", "Forgets a mock resource's recorded requests and restarts its sequences",
      schemas::mock_reset_input(), schemas::mock_reset_output(),
      [](mock_server *mock, const json &, seam::context &) {
        return json{{"cleared", mock->reset()}};
      });
}
