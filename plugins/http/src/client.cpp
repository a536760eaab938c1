// client.cpp - see client.hpp: one request as a sequence of its parts
// (request_parts.hpp), one transfer (response.hpp), and the message for a
// failed one (failures.hpp).
#include "client.hpp"

#include "failures.hpp"
#include "handle_pool.hpp"
#include "request_parts.hpp"
#include "response.hpp"
#include "state.hpp"

#include <curl/curl.h>

#include <optional>
#include <string>

namespace seam::http {

using seam::json;

seam::json_text perform_request(seam::json_view input, seam::context &ctx) {
  // The host checked `input` against request_input() (schemas.cpp) before
  // the call: url is there, every field has its type, one body at most.
  // Most requests give a method, a URL and perhaps a JSON body: those are
  // read where they lie. The other members become a tree, for the helpers
  // of request_parts.hpp, only when they are given.
  json in;
  input.members([&](std::string_view key, seam::json_view value) {
    if (key != "method" && key != "url" && key != "json")
      in[std::string(key)] = value.to_json();
  });
  // Secrets first, so that no message below can show them.
  add_input_secrets(in, ctx);

  const std::string method(input.value("method", "GET"));
  const std::string raw_url(input["url"].get_string());
  std::optional<std::string> json_body;
  if (seam::json_view j = input["json"]; !j.missing()) {
    seam::json_builder text;
    text.value(j);
    json_body = std::move(text.take()).str();
  }

  auto &state = ctx.state<plugin_state>();
  pooled_handle handle(state.handles);
  CURL *h = handle.get();

  request_target target = parse_target(raw_url, ctx);
  auto proxy = request_proxy(in, target, ctx);
  add_query(h, target, in);

  // Headers: the suite's first; defaults only where it gave none.
  header_list headers;
  bool has_content_type = add_suite_headers(in, headers);
  request_body body = make_body(h, std::move(json_body), in, headers, has_content_type);
  apply_auth(h, in, headers, ctx);
  apply_tls(h, in);
  apply_redirects(h, in);
  jar_ptr jar = request_jar(in, state.jars, ctx);
  time_limit limit = limit_for(in, ctx);

  // Attached last, after everything that may throw.
  attached_jar attached(h, jar);
  transfer t;
  t.ctx = &ctx;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_CURLU, target.url.get());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "seam/0.1");
  // The plugin's choice is final: an empty CURLOPT_PROXY turns off libcurl's
  // own reading of http_proxy & co, an empty CURLOPT_NOPROXY its reading of
  // no_proxy (which choose_proxy has applied already).
  curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy->url.c_str() : "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  attach_transfer(h, t, limit);
  attach_body(h, method, body);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl_easy_perform(h);
  // The handle goes back to the pool; nothing of this call may stay attached.
  curl_easy_setopt(h, CURLOPT_MIMEPOST, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_CURLU, nullptr);
  if (rc != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    throw seam::error(method + " " + url_text(target) + ": " +
                      describe_failure(rc, os_errno, errbuf, target.host, limit, ctx, proxy));
  }
  char *effective = nullptr; // where the last redirect led
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective == nullptr) // libcurl has one after every transfer it made
    return response_output(h, std::move(t), url_text(target), jar != nullptr);
  return response_output(h, std::move(t), effective, jar != nullptr);
}

} // namespace seam::http
