// client.cpp - see client.hpp.
#include "client.hpp"

#include "cookie_jars.hpp"
#include "handle_pool.hpp"
#include "proxy.hpp"
#include "state.hpp"

#include <seam/exact_numbers.hpp>

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace seam::http {

using seam::json;

namespace {

// Applies when neither the step's `timeout` nor the host's deadline bounds a
// request: a test should fail, not hang, on a server that never answers.
constexpr long kDefaultTimeoutMs = 30000;
constexpr long kDefaultMaxRedirects = 10;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string type_name(const json &v) {
  switch (v.type()) {
  case json::value_t::object:
    return "a table";
  case json::value_t::array:
    return "an array";
  case json::value_t::string:
    return "a string";
  case json::value_t::boolean:
    return "a boolean";
  case json::value_t::null:
    return "null";
  default:
    return "a number";
  }
}

// Header, query and form values: text, numbers and booleans as written.
std::string scalar_text(const json &v, const std::string &where) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_number() || v.is_boolean())
    return v.dump();
  throw seam::error("http.request: `" + where + "` must be a string, number or boolean, not " +
                    type_name(v));
}

std::string escape(CURL *h, const std::string &text) {
  char *e = curl_easy_escape(h, text.data(), static_cast<int>(text.size()));
  std::string out = e != nullptr ? e : "";
  curl_free(e);
  return out;
}

std::string urlencode_table(CURL *h, const json &t, const std::string &where) {
  std::string out;
  for (const auto &[key, value] : t.items()) {
    // key captured by name: clang before 16 cannot capture a structured binding
    auto add = [&, &key = key](const json &v) {
      if (!out.empty())
        out += '&';
      out += escape(h, key) + "=" + escape(h, scalar_text(v, where + "." + key));
    };
    if (value.is_array())
      for (const auto &v : value)
        add(v);
    else
      add(value);
  }
  return out;
}

void require_readable(const std::string &path, const std::string &where) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw seam::error("http.request: `" + where + "`: cannot read file '" + path +
                      "'; hint: relative paths are relative to seam's working directory");
}

std::string base64(const std::string &text) {
  std::string encoded(4 * ((text.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(encoded.data()),
                          reinterpret_cast<const unsigned char *>(text.data()),
                          static_cast<int>(text.size()));
  encoded.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return encoded;
}

double ms(curl_off_t us) { return std::round(static_cast<double>(us) / 10.0) / 100.0; }

struct curl_slist_deleter {
  void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};
struct curl_url_deleter {
  void operator()(CURLU *u) const { curl_url_cleanup(u); }
};
struct curl_mime_deleter {
  void operator()(curl_mime *m) const { curl_mime_free(m); }
};

// What one transfer collects through libcurl's callbacks.
struct transfer {
  seam::context *ctx = nullptr;
  std::string body;
  json headers = json::object();
  // Set-Cookie values one by one: joined with ", " in `headers` they cannot
  // be split again (an Expires date has a comma).
  json set_cookies = json::array();
};

size_t on_body(char *data, size_t size, size_t n, void *user) {
  static_cast<transfer *>(user)->body.append(data, size * n);
  return size * n;
}

size_t on_header(char *data, size_t size, size_t n, void *user) {
  auto *t = static_cast<transfer *>(user);
  size_t len = size * n;
  std::string_view line(data, len);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.remove_suffix(1);
  // Each response (a 100 Continue, every redirect hop) starts with its status
  // line; only the last response's headers are reported.
  if (line.substr(0, 5) == "HTTP/") {
    t->headers = json::object();
    t->set_cookies = json::array();
    return len;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return len;
  std::string name = lower(std::string(line.substr(0, colon)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  if (name == "set-cookie")
    t->set_cookies.push_back(std::string(value));
  auto it = t->headers.find(name);
  if (it == t->headers.end())
    t->headers[name] = std::string(value);
  else
    it->get_ref<std::string &>().append(", ").append(value);
  return len;
}

int on_progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<transfer *>(user)->ctx->cancelled() ? 1 : 0;
}

// The request's time limit and where it came from (for the error message).
struct time_limit {
  long ms;
  std::string source;
};

time_limit limit_for(const json &in, const seam::context &ctx) {
  std::optional<long> own;
  if (auto t = in.find("timeout"); t != in.end()) {
    // The schema's pattern admits only what parse_duration reads.
    auto d = seam::parse_duration(t->get_ref<const std::string &>());
    if (!d)
      throw seam::error("http.request: `timeout` " + t->dump() + " is not a duration");
    own = std::max<long>(1, static_cast<long>((d->count() + 999) / 1000));
  }
  seam::deadline deadline = ctx.deadline();
  if (deadline.has_limit() && (!own || deadline.remaining_ms().count() < *own))
    return {std::max<long>(1, static_cast<long>(deadline.remaining_ms().count())),
            "the step's deadline"};
  if (own)
    return {*own, "timeout = " + in["timeout"].dump()};
  return {kDefaultTimeoutMs, "the default request timeout of 30s"};
}

// A password in a URL is secret as written (percent-encoded, as the URL and
// messages show it), decoded, and in the Basic credentials libcurl builds from
// it (a server may echo the Authorization header).
void add_url_secrets(CURLU *u, const seam::context &ctx) {
  char *part = nullptr;
  if (curl_url_get(u, CURLUPART_PASSWORD, &part, 0) != CURLUE_OK)
    return;
  ctx.add_secret(part);
  curl_free(part);
  std::string user, password;
  if (curl_url_get(u, CURLUPART_PASSWORD, &part, CURLU_URLDECODE) == CURLUE_OK) {
    password = part;
    curl_free(part);
  }
  if (curl_url_get(u, CURLUPART_USER, &part, CURLU_URLDECODE) == CURLUE_OK) {
    user = part;
    curl_free(part);
  }
  if (!password.empty()) {
    ctx.add_secret(password);
    ctx.add_secret(base64(user + ":" + password));
  }
}

void add_part(curl_mime *mime, const std::string &name, const json &v, const std::string &where) {
  curl_mimepart *part = curl_mime_addpart(mime);
  curl_mime_name(part, name.c_str());
  if (!v.is_object()) {
    std::string text = scalar_text(v, where);
    curl_mime_data(part, text.data(), text.size());
    return;
  }
  for (const auto &[key, value] : v.items())
    if (key != "file" && key != "content" && key != "filename" && key != "content_type")
      throw seam::error("http.request: `" + where + "." + key +
                        "` is unknown; a part has file or content, and filename, content_type");
  bool has_file = v.contains("file"), has_content = v.contains("content");
  if (has_file == has_content)
    throw seam::error("http.request: `" + where +
                      "` needs exactly one of `file` (a path) or `content` (text)");
  if (has_file) {
    std::string path = scalar_text(v["file"], where + ".file");
    require_readable(path, where + ".file");
    curl_mime_filedata(part, path.c_str());
  } else {
    std::string text = scalar_text(v["content"], where + ".content");
    curl_mime_data(part, text.data(), text.size());
  }
  if (auto f = v.find("filename"); f != v.end())
    curl_mime_filename(part, scalar_text(*f, where + ".filename").c_str());
  if (auto t = v.find("content_type"); t != v.end())
    curl_mime_type(part, scalar_text(*t, where + ".content_type").c_str());
}

std::string describe_direct_failure(CURLcode rc, long os_errno, const std::string &detail,
                                    const std::string &host, const time_limit &limit,
                                    const seam::context &ctx);

// Failures on the way to the proxy are the proxy's: name it, not the target.
std::string describe_proxy_failure(CURLcode rc, long os_errno, const std::string &detail,
                                   const proxy_choice &proxy) {
  std::string which = "the proxy " + proxy.shown + " (from " + proxy.source + ")";
  std::string hint = "; hint: is the proxy running? proxy = false connects directly, and "
                     "no_proxy lists hosts reached without it";
  if (rc == CURLE_COULDNT_RESOLVE_PROXY)
    return "DNS error: could not resolve the host of " + which + " (" + detail + ")" + hint;
  if (os_errno == ECONNREFUSED || detail.find("refused") != std::string::npos)
    return "connection refused by " + which + " (" + detail + ")" + hint;
  return "could not connect to " + which + " (" + detail + ")" + hint;
}

std::string describe_failure(CURLcode rc, long os_errno, const char *errbuf,
                             const std::string &host, const time_limit &limit,
                             const seam::context &ctx, const std::optional<proxy_choice> &proxy) {
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
  if (proxy && (rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_COULDNT_CONNECT))
    return describe_proxy_failure(rc, os_errno, detail, *proxy);
  std::string message = describe_direct_failure(rc, os_errno, detail, host, limit, ctx);
  if (proxy)
    message += " (through the proxy " + proxy->shown + " from " + proxy->source + ")";
  return message;
}

std::string describe_direct_failure(CURLcode rc, long os_errno, const std::string &detail,
                                    const std::string &host, const time_limit &limit,
                                    const seam::context &ctx) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
    return "DNS error: could not resolve host '" + host + "' (" + detail +
           "); hint: check the host name in the url";
  case CURLE_COULDNT_CONNECT:
    if (os_errno == ECONNREFUSED || detail.find("refused") != std::string::npos)
      return "connection refused (" + detail +
             "); hint: is the server running and listening "
             "on that port?";
    return "connection failed (" + detail + ")";
  case CURLE_OPERATION_TIMEDOUT:
    return "timed out after " + std::to_string(limit.ms) + " ms, the limit set by " + limit.source +
           " (" + detail + ")";
  case CURLE_ABORTED_BY_CALLBACK: {
    // A new deadline() adds a millisecond of margin to what the host has
    // left; the host's own count (0: passed) says whether time ran out.
    auto left = ctx.remaining();
    if (left && left->count() <= 0)
      return "timed out: the step's deadline passed during the request";
    return "cancelled before the response was complete";
  }
  case CURLE_GOT_NOTHING:
    return "connection closed by the server without a response (" + detail + ")";
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
    if (detail.find("reset") != std::string::npos)
      return "connection reset by the server (" + detail + ")";
    return "connection error (" + detail + ")";
  case CURLE_PARTIAL_FILE:
    return "connection closed before the response was complete (" + detail + ")";
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_ENGINE_INITFAILED:
    return "TLS error: " + detail + "; hint: set tls.ca_file to the CA that signed the " +
           "server's certificate (or tls.verify = false for a throwaway test server)";
  case CURLE_TOO_MANY_REDIRECTS:
    return "too many redirects (" + detail +
           "); hint: raise follow_redirects = N or look for "
           "a redirect loop";
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return "invalid URL (" + detail + ")";
  default:
    return "request failed: " + detail + " (curl error " + std::to_string(rc) + ")";
  }
}

} // namespace

json perform_request(const json &in, seam::context &ctx) {
  // The host checked `in` against request_input() (schemas.cpp) before the
  // call: url is there, every field has its type, one body at most.
  // Secrets first, so that no message below can show them.
  if (auto auth = in.find("auth"); auth != in.end()) {
    if (auto b = auth->find("basic"); b != auth->end()) {
      std::string password = b->value("password", "");
      if (!password.empty())
        ctx.add_secret(password);
    } else {
      ctx.add_secret(auth->value("bearer", ""));
    }
  }
  if (auto tls = in.find("tls"); tls != in.end())
    if (auto p = tls->find("key_password"); p != tls->end())
      ctx.add_secret(p->get<std::string>());

  const std::string method = in.value("method", "GET");
  const std::string raw_url = in["url"].get<std::string>();

  auto &state = ctx.state<plugin_state>();
  pooled_handle handle(state.handles);
  CURL *h = handle.get();

  // The URL: parsed and checked by libcurl, then the `query` table appended.
  std::unique_ptr<CURLU, curl_url_deleter> u(curl_url());
  if (CURLUcode uc = curl_url_set(u.get(), CURLUPART_URL, raw_url.c_str(), 0); uc != CURLUE_OK)
    throw seam::error("http.request: invalid URL \"" + raw_url + "\" (" + curl_url_strerror(uc) +
                      "); write it as http://host:port/path");
  std::string host, scheme;
  {
    char *part = nullptr;
    if (curl_url_get(u.get(), CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
      scheme = lower(part);
      curl_free(part);
      if (scheme != "http" && scheme != "https")
        throw seam::error("http.request: invalid URL \"" + raw_url + "\": scheme '" + scheme +
                          "' is not http or https");
    }
    add_url_secrets(u.get(), ctx);
    if (curl_url_get(u.get(), CURLUPART_HOST, &part, 0) == CURLUE_OK) {
      host = part;
      curl_free(part);
    }
  }
  // The proxy, decided here (not by libcurl) so that messages can name it.
  auto proxy = choose_proxy(in.contains("proxy") ? &in["proxy"] : nullptr, scheme, host,
                            [](const char *name) { return std::getenv(name); });
  if (proxy) {
    std::unique_ptr<CURLU, curl_url_deleter> pu(curl_url());
    if (curl_url_set(pu.get(), CURLUPART_URL, proxy->url.c_str(),
                     CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
      add_url_secrets(pu.get(), ctx);
  }

  if (auto q = in.find("query"); q != in.end() && !q->empty()) {
    std::string query = urlencode_table(h, *q, "query");
    curl_url_set(u.get(), CURLUPART_QUERY, query.c_str(), CURLU_APPENDQUERY);
  }
  std::string url;
  {
    char *full = nullptr;
    curl_url_get(u.get(), CURLUPART_URL, &full, 0);
    url = full;
    curl_free(full);
  }
  const std::string what = method + " " + url + ": ";

  // Headers: the suite's first; defaults only where it gave none.
  std::unique_ptr<curl_slist, curl_slist_deleter> headers;
  auto add_header = [&](const std::string &line) {
    curl_slist *next = curl_slist_append(headers.get(), line.c_str());
    if (next == nullptr)
      throw seam::error("http.request: out of memory building headers");
    headers.release();
    headers.reset(next);
  };
  bool has_content_type = false, has_expect = false;
  if (auto hs = in.find("headers"); hs != in.end()) {
    for (const auto &[name, value] : hs->items()) {
      std::string text = scalar_text(value, "headers." + name);
      if (name.empty() || name.find_first_of(":\r\n ") != std::string::npos)
        throw seam::error("http.request: `headers`: \"" + name + "\" is not a header name");
      if (text.find_first_of("\r\n") != std::string::npos)
        throw seam::error("http.request: `headers." + name + "` must be one line");
      std::string lname = lower(name);
      has_content_type |= lname == "content-type";
      has_expect |= lname == "expect";
      // "Name;" is libcurl's way to send a header with an empty value.
      add_header(text.empty() ? name + ";" : name + ": " + text);
    }
  }
  // A 100-continue round trip costs time and some servers never answer it.
  if (!has_expect)
    add_header("Expect:");

  // The body.
  std::string payload;
  bool has_payload = false;
  std::unique_ptr<curl_mime, curl_mime_deleter> mime;
  if (auto j = in.find("json"); j != in.end()) {
    payload = j->dump();
    has_payload = true;
    if (!has_content_type)
      add_header("Content-Type: application/json");
  } else if (auto b = in.find("body"); b != in.end()) {
    payload = b->get<std::string>();
    has_payload = true;
    if (!has_content_type)
      add_header("Content-Type: text/plain; charset=utf-8");
  } else if (auto f = in.find("form"); f != in.end()) {
    payload = urlencode_table(h, *f, "form");
    has_payload = true;
    if (!has_content_type)
      add_header("Content-Type: application/x-www-form-urlencoded");
  } else if (auto m = in.find("multipart"); m != in.end()) {
    mime.reset(curl_mime_init(h));
    for (const auto &[name, value] : m->items()) {
      if (value.is_array())
        for (size_t i = 0; i < value.size(); ++i)
          add_part(mime.get(), name, value[i], "multipart." + name + "[" + std::to_string(i) + "]");
      else
        add_part(mime.get(), name, value, "multipart." + name);
    }
  }

  if (auto auth = in.find("auth"); auth != in.end()) {
    // The checker holds `auth` to its schema, but a value built at run time
    // reaches here unchecked: a missing key is an error, not a lookup into
    // nothing (operator[] on a const object with no such key is undefined).
    auto basic = auth->find("basic");
    auto bearer = auth->find("bearer");
    if (basic != auth->end()) {
      auto user = basic->find("user");
      if (user == basic->end())
        throw seam::error("http.request: `auth.basic` needs a `user`");
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(h, CURLOPT_USERNAME, user->get_ref<const std::string &>().c_str());
      std::string password = basic->value("password", "");
      curl_easy_setopt(h, CURLOPT_PASSWORD, password.c_str());
      // A server that echoes the Authorization header must not leak it either.
      if (!password.empty())
        ctx.add_secret(base64(user->get<std::string>() + ":" + password));
    } else if (bearer != auth->end()) {
      add_header("Authorization: Bearer " + bearer->get<std::string>());
    } else {
      throw seam::error("http.request: `auth` needs `basic = { user, password }` or `bearer`");
    }
  }

  // TLS: verification stays on unless the suite turns it off.
  if (auto tls = in.find("tls"); tls != in.end()) {
    if (!tls->is_object())
      throw seam::error("http.request: `tls` must be a table such as { ca_file = \"ca.pem\" }");
    for (const auto &[key, value] : tls->items()) {
      if (key == "verify") {
        if (!value.is_boolean())
          throw seam::error("http.request: `tls.verify` must be true or false");
        long on = value.get<bool>() ? 1L : 0L;
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, on);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, on ? 2L : 0L);
        continue;
      }
      if (key != "ca_file" && key != "client_cert" && key != "client_key" && key != "key_password")
        throw seam::error("http.request: `tls." + key +
                          "` is unknown; known: verify, ca_file, "
                          "client_cert, client_key, key_password");
      if (!value.is_string())
        throw seam::error("http.request: `tls." + key + "` must be a string");
      const std::string &text = value.get_ref<const std::string &>();
      if (key == "ca_file") {
        require_readable(text, "tls.ca_file");
        curl_easy_setopt(h, CURLOPT_CAINFO, text.c_str());
      } else if (key == "client_cert") {
        require_readable(text, "tls.client_cert");
        curl_easy_setopt(h, CURLOPT_SSLCERT, text.c_str());
      } else if (key == "client_key") {
        require_readable(text, "tls.client_key");
        curl_easy_setopt(h, CURLOPT_SSLKEY, text.c_str());
      } else {
        curl_easy_setopt(h, CURLOPT_KEYPASSWD, text.c_str());
      }
    }
  }

  // Redirects are reported, not followed, unless the suite asks.
  if (auto fr = in.find("follow_redirects"); fr != in.end()) {
    long max = -1;
    if (fr->is_boolean())
      max = fr->get<bool>() ? kDefaultMaxRedirects : 0;
    else if (fr->is_number_integer() && *fr >= 0)
      max = fr->get<long>();
    else
      throw seam::error("http.request: `follow_redirects` must be true, false or a maximum "
                        "number of redirects");
    if (max > 0) {
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, max);
    }
  }

  // Cookies: the test's own jar unless the request names one or says false.
  jar_ptr jar;
  if (auto c = in.find("cookies"); c != in.end() && c->is_string()) {
    jar = state.jars.named_jar(c->get_ref<const std::string &>());
  } else if (c == in.end() || c->get<bool>()) {
    jar = state.jars.test_jar(ctx.test_id(), test_jars_kept(ctx.jobs()));
  }

  time_limit limit = limit_for(in, ctx);

  // Attached last, after everything that may throw: the jar must never be
  // freed while a pooled handle still points at it.
  curl_easy_setopt(h, CURLOPT_SHARE, jar ? jar->share() : nullptr);
  struct share_detacher {
    CURL *h;
    ~share_detacher() {
      // Frees the list of cookie files: curl_easy_reset drops it unfreed
      // (libcurl 7.88), a leak per request on a pooled handle.
      curl_easy_setopt(h, CURLOPT_COOKIEFILE, nullptr);
      curl_easy_setopt(h, CURLOPT_SHARE, nullptr);
    }
  } detach_share{h};
  // The share holds the cookies; an empty cookie file turns the engine on.
  if (jar)
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");

  transfer t;
  t.ctx = &ctx;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_CURLU, u.get());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "seam/0.1");
  // The plugin's choice is final: an empty CURLOPT_PROXY turns off libcurl's
  // own reading of http_proxy & co, an empty CURLOPT_NOPROXY its reading of
  // no_proxy (which choose_proxy has applied already).
  curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy->url.c_str() : "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, limit.ms);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  if (has_payload) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  } else if (mime) {
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime.get());
  } else if (method == "POST" || method == "PUT" || method == "PATCH") {
    // "Content-Length: 0": servers wait for the body of these methods otherwise.
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
  }
  if (method == "HEAD")
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  else if (method != "POST" && (method != "GET" || has_payload || mime))
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl_easy_perform(h);
  // The handle goes back to the pool; nothing of this call may stay attached.
  curl_easy_setopt(h, CURLOPT_MIMEPOST, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_CURLU, nullptr);
  if (rc != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    throw seam::error(what + describe_failure(rc, os_errno, errbuf, host, limit, ctx, proxy));
  }

  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t dns = 0, connect = 0, tls_done = 0, ttfb = 0, total = 0;
  curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &dns);
  curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect);
  curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &tls_done);
  curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total);
  long connects = 0, redirects = 0;
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
  char *effective = nullptr;
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);

  // Built as a map directly: nlohmann's operator[] searches for each key, and
  // its initializer lists copy every value twice; together they took about
  // 10,000 instructions a step (callgrind, docs/performance.md).
  json out(json::value_t::object);
  auto &o = out.get_ref<json::object_t &>();
  o.emplace("status", status);
  o.emplace("headers", std::move(t.headers));
  o.emplace("set_cookies", std::move(t.set_cookies));
  o.emplace("size", t.body.size());
  // A body that parses as JSON is offered as `json` too; skip the attempt
  // for bodies that cannot be JSON (HTML, plain text) by their first byte.
  size_t first = t.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos &&
      std::string_view("{[\"-0123456789tfn").find(t.body[first]) != std::string_view::npos) {
    // Numbers a double cannot hold stay exact, as strings of their digits.
    json parsed = seam::parse_json_exact(t.body);
    if (!parsed.is_discarded())
      o.emplace("json", std::move(parsed));
  }
  o.emplace("body", std::move(t.body));
  o.emplace("time_ms", ms(total));
  json::object_t timing;
  timing.emplace("dns_ms", ms(dns));
  timing.emplace("connect_ms", ms(connect));
  timing.emplace("tls_ms", ms(tls_done));
  timing.emplace("ttfb_ms", ms(ttfb));
  timing.emplace("total_ms", ms(total));
  timing.emplace("new_connections", connects);
  o.emplace("timing", std::move(timing));
  o.emplace("url", effective != nullptr ? std::string(effective) : url);
  o.emplace("redirects", redirects);
  if (jar)
    o.emplace("cookies", cookies_of(h));
  return out;
}

} // namespace seam::http
