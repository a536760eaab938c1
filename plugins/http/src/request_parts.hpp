// request_parts.hpp - the parts of an http.request, each from its input to
// the libcurl handle: the target URL with its query and secrets, the suite's
// headers, the body, auth, TLS, redirects and the cookie jar.
//
// Each part throws seam::error ("http.request: `field` ...") for input that
// the schema could not rule out, e.g. values built at run time.
#pragma once

#include "cookie_jars.hpp"
#include "proxy.hpp"

#include <seam/plugin.hpp>

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>

namespace seam::http {

struct curl_url_deleter {
  void operator()(CURLU *u) const { curl_url_cleanup(u); }
};
struct curl_slist_deleter {
  void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};
struct curl_mime_deleter {
  void operator()(curl_mime *m) const { curl_mime_free(m); }
};

// Registers the secrets the input names (auth passwords and tokens, the TLS
// key's password) before anything can put them in a message.
void add_input_secrets(const seam::json &in, const seam::context &ctx);

// The request's URL as libcurl parsed and checked it.
struct request_target {
  std::unique_ptr<CURLU, curl_url_deleter> url;
  std::string scheme; // lower case; "" when the URL has none
  std::string host;   // as written in the URL
};

// Parses `url` (http or https only) and registers the password it holds, if
// any, as a secret.
request_target parse_target(const std::string &raw_url, const seam::context &ctx);

// The step's proxy for the target (see proxy.hpp), its password a secret.
std::optional<proxy_choice> request_proxy(const seam::json &in, const request_target &target,
                                          const seam::context &ctx);

// Appends the `query` table to the target.
void add_query(CURL *h, const request_target &target, const seam::json &in);

// The target's full URL as text, for messages: built on demand, as libcurl
// builds it again from the target for the transfer.
std::string url_text(const request_target &target);

// The request's header lines, as CURLOPT_HTTPHEADER takes them.
class header_list {
public:
  void add(const std::string &line);
  curl_slist *get() const { return list_.get(); }

private:
  std::unique_ptr<curl_slist, curl_slist_deleter> list_;
};

// Adds the suite's `headers`, and "Expect:" unless it set one; returns
// whether it set a Content-Type.
bool add_suite_headers(const seam::json &in, header_list &headers);

// The body: `json`, `body` or `form` as a payload, or `multipart` as parts.
struct request_body {
  std::string payload;
  bool has_payload = false;
  std::unique_ptr<curl_mime, curl_mime_deleter> mime;
};

// Builds the body - `json_body` (the `json` member's text) or what `in`
// gives - and, where the suite gave none, its Content-Type header.
request_body make_body(CURL *h, std::optional<std::string> json_body, const seam::json &in,
                       header_list &headers, bool has_content_type);

// Sets the method and attaches the body (kept alive by the caller).
void attach_body(CURL *h, const std::string &method, const request_body &body);

// `auth`: Basic credentials on the handle or a Bearer header.
void apply_auth(CURL *h, const seam::json &in, header_list &headers, const seam::context &ctx);

// `tls`: verification (on unless turned off), CA file, client certificate.
void apply_tls(CURL *h, const seam::json &in);

// `follow_redirects`: redirects are reported, not followed, unless asked.
void apply_redirects(CURL *h, const seam::json &in);

// The request's cookie jar: the test's own unless `cookies` names one or is
// false (then none).
jar_ptr request_jar(const seam::json &in, cookie_jars &jars, const seam::context &ctx);

// Attaches a jar (or none) to a pooled handle for one request, and detaches
// it on the way out, so that the jar is never freed while a pooled handle
// still points at it. Attach after everything that may throw.
class attached_jar {
public:
  attached_jar(CURL *h, const jar_ptr &jar);
  ~attached_jar();
  attached_jar(const attached_jar &) = delete;
  attached_jar &operator=(const attached_jar &) = delete;

private:
  CURL *h_;
};

} // namespace seam::http
