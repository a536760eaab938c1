// schemas.cpp - see schemas.hpp. Only the schema keywords the core validates
// are used (docs/plugins/http.md lists the inputs in prose).
#include "schemas.hpp"

namespace seam::http::schemas {

using seam::json;

namespace {

const char *const kDuration =
    R"js({"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$",
  "description": "a duration such as \"250ms\" or \"2s\""})js";

json scalar() { return {{"type", json::array({"string", "number", "boolean"})}}; }

json scalar_table(const std::string &description) {
  return {{"type", "object"}, {"additionalProperties", scalar()}, {"description", description}};
}

json multipart_part() {
  return json::parse(R"js({
    "anyOf": [
      {"type": ["string", "number", "boolean"]},
      {"type": "object", "additionalProperties": false,
       "properties": {
         "file": {"type": "string", "description": "path of a file to upload"},
         "content": {"type": "string", "description": "the part's content, inline"},
         "filename": {"type": "string"},
         "content_type": {"type": "string"}},
       "oneOf": [{"required": ["file"]}, {"required": ["content"]}]}
    ]})js");
}

// At most one of the body inputs: any two together are refused.
json one_body() {
  json pairs = json::array();
  const char *bodies[] = {"json", "body", "form", "multipart"};
  for (int i = 0; i < 4; ++i)
    for (int k = i + 1; k < 4; ++k)
      pairs.push_back({{"required", json::array({bodies[i], bodies[k]})}});
  return {{"anyOf", pairs},
          {"description", "a request has one body: json, body, form or multipart"}};
}

// The operands seam's matchers take, so that `seam check` catches a misused
// one in a route's `match` (the rest is checked when the resource opens).
json matcher() {
  return json::parse(R"js({
    "description": "a value (equality) or a matcher table: eq ne gt ge lt le contains matches exists type len in",
    "properties": {
      "gt": {"type": ["number", "string"]}, "ge": {"type": ["number", "string"]},
      "lt": {"type": ["number", "string"]}, "le": {"type": ["number", "string"]},
      "matches": {"type": "string", "description": "an ECMAScript regular expression"},
      "exists": {"type": "boolean"},
      "type": {"enum": ["string", "number", "integer", "boolean", "array", "object", "null"]},
      "len": {"type": ["integer", "object"], "minimum": 0},
      "in": {"type": "array", "description": "the allowed values"}}})js");
}

json response_fields() {
  json delay = json::parse(kDuration);
  delay["description"] = "a duration such as \"50ms\": wait this long before answering (ends "
                         "early if the client hangs up)";
  json fields = {
      {"status",
       {{"type", "integer"},
        {"minimum", 100},
        {"maximum", 599},
        {"default", 200},
        {"description", "the response status"}}},
      {"headers", scalar_table("response headers; values may use {capture} placeholders")},
      {"json", {{"description", "a response body sent as JSON; strings may use {capture}"}}},
      {"body", {{"type", "string"}, {"description", "a text response body"}}},
      {"delay", delay},
      {"fail",
       {{"enum", json::array({"reset", "close", "timeout"})},
        {"description", "reset: connection reset; close: empty reply; timeout: no answer"}}}};
  return fields;
}

} // namespace

json request_input() {
  json timeout = json::parse(kDuration);
  timeout["description"] = "a duration such as \"500ms\" or \"5s\": the request's time limit "
                           "(default: the step's deadline, else 30s); exceeding it is a step "
                           "error \"timed out\"";
  json s = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", json::array({"url"})},
      {"not", one_body()},
      {"properties",
       {{"method",
         {{"enum", json::array({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})},
          {"default", "GET"},
          {"description", "upper-case; default GET"}}},
        {"url",
         {{"type", "string"},
          {"pattern", "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+"},
          {"description", "an absolute http:// or https:// URL such as "
                          "\"http://127.0.0.1:8080/health\""}}},
        {"query",
         {{"type", "object"},
          {"additionalProperties",
           {{"type", json::array({"string", "number", "boolean", "array"})}, {"items", scalar()}}},
          {"description", "appended to the URL, URL-encoded; an array repeats the key"}}},
        {"headers", scalar_table("request headers, name = value")},
        {"json", {{"description", "any value, sent as the JSON body"}}},
        {"body", {{"type", "string"}, {"description", "a text body, sent as is"}}},
        {"form",
         {{"type", "object"},
          {"additionalProperties",
           {{"type", json::array({"string", "number", "boolean", "array"})}, {"items", scalar()}}},
          {"description", "sent as application/x-www-form-urlencoded"}}},
        {"multipart",
         {{"type", "object"},
          {"additionalProperties",
           {{"anyOf",
             json::array({multipart_part(), {{"type", "array"}, {"items", multipart_part()}}})}}},
          {"description", "multipart/form-data: fields, and files as { file = \"path\" }"}}},
        {"auth", json::parse(R"js({
           "type": "object", "additionalProperties": false,
           "properties": {
             "basic": {"type": "object", "additionalProperties": false,
                       "required": ["user", "password"],
                       "properties": {"user": {"type": "string"},
                                      "password": {"type": "string", "x-seam-secret": true}}},
             "bearer": {"type": "string", "minLength": 1, "x-seam-secret": true}},
           "oneOf": [{"required": ["basic"]}, {"required": ["bearer"]}],
           "description": "{ basic = { user, password } } or { bearer = \"token\" }; secret"})js")},
        {"timeout", timeout},
        {"follow_redirects",
         {{"type", json::array({"boolean", "integer"})},
          {"minimum", 0},
          {"default", false},
          {"description", "true follows up to 10 redirects; a number sets the maximum"}}},
        {"tls", json::parse(R"js({
           "type": "object", "additionalProperties": false,
           "properties": {
             "verify": {"type": "boolean", "default": true},
             "ca_file": {"type": "string", "description": "PEM file of the CA(s) to trust"},
             "client_cert": {"type": "string", "description": "PEM client certificate"},
             "client_key": {"type": "string", "description": "PEM private key of client_cert"},
             "key_password": {"type": "string", "x-seam-secret": true,
                              "description": "password of client_key; secret"}},
           "description": "{ verify = true, ca_file = \"ca.pem\", client_cert, client_key, key_password }: verification is on unless verify = false; ca_file trusts a private CA; client_cert and client_key (PEM) for mutual TLS"})js")},
        {"proxy",
         {{"type", json::array({"string", "boolean"})},
          {"default", true},
          {"description", "\"http://host:port\": send the request through this proxy; false: "
                          "connect directly; true (default): http_proxy, https_proxy, all_proxy "
                          "and no_proxy from the environment, never for loopback hosts"}}},
        {"cookies",
         {{"type", json::array({"string", "boolean"})},
          {"minLength", 1},
          {"default", true},
          {"description", "true (default): the test's own cookie jar, kept between its steps; "
                          "false: no cookies sent or kept; \"NAME\": a jar shared by every "
                          "request naming it"}}}}}};
  return s;
}

json request_output() {
  return json::parse(R"js({
    "type": "object",
    "properties": {
      "status": {"type": "integer", "description": "the response status (4xx and 5xx are outputs, not errors)"},
      "headers": {"type": "object", "description": "names lower-cased; repeats joined with \", \""},
      "set_cookies": {"type": "array", "items": {"type": "string"}, "description": "each Set-Cookie header of the response, as sent"},
      "body": {"type": "string", "description": "the response body as text"},
      "json": {"description": "the body, when it parses as JSON"},
      "size": {"type": "integer", "description": "body size in bytes"},
      "time_ms": {"type": "number", "description": "total time of the request"},
      "timing": {"type": "object",
        "description": "dns_ms, connect_ms, tls_ms, ttfb_ms, total_ms: milliseconds from the start of the request until each phase ended (connect_ms and tls_ms are 0 on a reused connection); new_connections: 0 when a kept-alive connection was reused",
        "properties": {
        "dns_ms": {"type": "number", "description": "name resolved (near 0 for an IP or a cached name)"},
        "connect_ms": {"type": "number", "description": "TCP connected; 0 on a reused connection"},
        "tls_ms": {"type": "number", "description": "TLS handshake done; 0 for http:// and on a reused connection"},
        "ttfb_ms": {"type": "number", "description": "first byte of the response received"},
        "total_ms": {"type": "number", "description": "the response complete; equals time_ms"},
        "new_connections": {"type": "integer", "description": "connections opened: 0 when a kept-alive connection was reused"}}},
      "url": {"type": "string", "description": "the last URL, after redirects"},
      "redirects": {"type": "integer", "description": "redirects followed (with follow_redirects)"},
      "cookies": {"type": "object", "description": "the jar's cookies after the request, name = value (absent with cookies = false)"}
    }})js");
}

json mock_resource() {
  json route = {{"type", "object"},
                {"additionalProperties", false},
                {"required", json::array({"path"})},
                {"not", {{"required", json::array({"json", "body"})}}},
                {"properties", response_fields()}};
  route["properties"]["name"] = {{"type", "string"},
                                 {"description", "how messages and recorded calls name the route"}};
  route["properties"]["method"] = {
      {"enum",
       json::array({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "*"})},
      {"default", "*"},
      {"description", "the request method; \"*\" (default): any; GET also answers HEAD"}};
  route["properties"]["path"] = {
      {"type", "string"},
      {"pattern", "^/"},
      {"description", "a path starting with '/': literal parts, {capture} (one segment) and "
                      "{rest*} (the rest); captures are usable as {name} in responses"}};
  route["properties"]["match"] = {
      {"type", "object"},
      {"additionalProperties", matcher()},
      {"description", "extra conditions on the request, in the language of `expect`: PATH = "
                      "value-or-matcher, e.g. { \"headers.x-api-key\" = \"k\", \"json.amount\" "
                      "= { gt = 100 } }"}};
  route["properties"]["fail_times"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"description", "the first N calls fail (with `fail`, or 503), later ones answer"}};
  json response = {{"type", "object"},
                   {"additionalProperties", false},
                   {"not", {{"required", json::array({"json", "body"})}}},
                   {"properties", response_fields()}};
  route["properties"]["responses"] = {{"type", "array"},
                                      {"minItems", 1},
                                      {"items", response},
                                      {"description", "successive answers; the last one repeats"}};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", json::array({"mock"})},
          {"properties",
           {{"mock",
             {{"type", "object"},
              {"additionalProperties", false},
              {"properties",
               {{"port",
                 {{"type", "integer"},
                  {"minimum", 0},
                  {"maximum", 65535},
                  {"default", 0},
                  {"description", "0: any free port"}}},
                {"host",
                 {{"type", "string"},
                  {"default", "127.0.0.1"},
                  {"description", "the address to listen on"}}},
                {"routes",
                 {{"type", "array"},
                  {"items", route},
                  {"description", "tried in order; the first whose method, path and match "
                                  "agree answers; no match: 404 naming the closest route"}}}}},
              {"description",
               "a stub server: port (0 = any free), host, routes = [{ name, method, path "
               "(\"/v1/users/{id}\", \"/files/{rest*}\"), match (expect-style conditions), "
               "status, headers, json or body ({id}, {query.x}, {json.path} placeholders), "
               "delay, fail (reset, close, timeout), fail_times, responses (successive "
               "answers) }]; publishes url, port, host; see docs/plugins/http.md"}}}}}};
}

json mock_calls_input() {
  json s = json::parse(R"js({
    "type": "object", "additionalProperties": false,
    "properties": {
      "method": {"enum": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
                 "description": "only calls with this method"},
      "path": {"type": "string", "pattern": "^/",
               "description": "a path starting with '/', exact or a pattern with {captures} like the routes'"},
      "match": {"type": "object", "description": "only calls satisfying this table, in the language of expect (PATH = value-or-matcher)"},
      "min_count": {"type": "integer", "minimum": 0,
                    "description": "wait (up to `wait`) until this many calls match"}
    }})js");
  s["properties"]["wait"] = json::parse(kDuration);
  return s;
}

json mock_calls_output() {
  return json::parse(R"js({
    "type": "object",
    "properties": {
      "count": {"type": "integer", "description": "how many calls passed the filters"},
      "calls": {"type": "array", "description": "oldest first; each with method, path, query, headers (lower-cased), body, json, form, files, params, route, status, at_ms",
        "items": {"type": "object", "properties": {
        "method": {"type": "string"}, "path": {"type": "string"},
        "query": {"type": "object"}, "headers": {"type": "object"},
        "body": {"type": "string"}, "json": {}, "form": {"type": "object"},
        "files": {"type": "object"}, "params": {"type": "object"},
        "route": {"type": ["string", "null"]}, "status": {"type": ["integer", "null"]},
        "at_ms": {"type": "number"}}}}
    }})js");
}

json mock_reset_input() {
  return {{"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
}

json mock_reset_output() {
  return json::parse(R"js({"type": "object", "properties": {"cleared": {"type": "integer",
    "description": "how many recorded calls were dropped"}}})js");
}

} // namespace seam::http::schemas
