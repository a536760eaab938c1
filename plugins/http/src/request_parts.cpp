// request_parts.cpp - see request_parts.hpp.
#include "request_parts.hpp"

#include "ascii.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <fstream>

namespace seam::http {

using seam::json;

namespace {

constexpr long kDefaultMaxRedirects = 10;

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

} // namespace

void add_input_secrets(const json &in, const seam::context &ctx) {
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
}

request_target parse_target(const std::string &raw_url, const seam::context &ctx) {
  request_target target;
  target.url.reset(curl_url());
  CURLU *u = target.url.get();
  if (CURLUcode uc = curl_url_set(u, CURLUPART_URL, raw_url.c_str(), 0); uc != CURLUE_OK)
    throw seam::error("http.request: invalid URL \"" + raw_url + "\" (" + curl_url_strerror(uc) +
                      "); write it as http://host:port/path");
  char *part = nullptr;
  if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
    target.scheme = lower(std::string(part));
    curl_free(part);
    if (target.scheme != "http" && target.scheme != "https")
      throw seam::error("http.request: invalid URL \"" + raw_url + "\": scheme '" + target.scheme +
                        "' is not http or https");
  }
  add_url_secrets(u, ctx);
  if (curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    target.host = part;
    curl_free(part);
  }
  return target;
}

std::optional<proxy_choice> request_proxy(const json &in, const request_target &target,
                                          const seam::context &ctx) {
  // Decided here (not by libcurl) so that messages can name it.
  auto proxy = choose_proxy(in.contains("proxy") ? &in["proxy"] : nullptr, target.scheme,
                            target.host, [](const char *name) { return std::getenv(name); });
  if (proxy) {
    std::unique_ptr<CURLU, curl_url_deleter> pu(curl_url());
    if (curl_url_set(pu.get(), CURLUPART_URL, proxy->url.c_str(),
                     CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
      add_url_secrets(pu.get(), ctx);
  }
  return proxy;
}

void add_query(CURL *h, const request_target &target, const json &in) {
  if (auto q = in.find("query"); q != in.end() && !q->empty()) {
    std::string query = urlencode_table(h, *q, "query");
    curl_url_set(target.url.get(), CURLUPART_QUERY, query.c_str(), CURLU_APPENDQUERY);
  }
}

std::string url_text(const request_target &target) {
  char *full = nullptr;
  if (curl_url_get(target.url.get(), CURLUPART_URL, &full, 0) != CURLUE_OK || full == nullptr)
    return "(unprintable URL)"; // only when libcurl is out of memory
  std::string url = full;
  curl_free(full);
  return url;
}

void header_list::add(const std::string &line) {
  curl_slist *next = curl_slist_append(list_.get(), line.c_str());
  if (next == nullptr)
    throw seam::error("http.request: out of memory building headers");
  list_.release();
  list_.reset(next);
}

bool add_suite_headers(const json &in, header_list &headers) {
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
      headers.add(text.empty() ? name + ";" : name + ": " + text);
    }
  }
  // A 100-continue round trip costs time and some servers never answer it.
  if (!has_expect)
    headers.add("Expect:");
  return has_content_type;
}

request_body make_body(CURL *h, std::optional<std::string> json_body, const json &in,
                       header_list &headers, bool has_content_type) {
  request_body body;
  if (json_body) {
    body.payload = std::move(*json_body);
    body.has_payload = true;
    if (!has_content_type)
      headers.add("Content-Type: application/json");
  } else if (auto b = in.find("body"); b != in.end()) {
    body.payload = b->get<std::string>();
    body.has_payload = true;
    if (!has_content_type)
      headers.add("Content-Type: text/plain; charset=utf-8");
  } else if (auto f = in.find("form"); f != in.end()) {
    body.payload = urlencode_table(h, *f, "form");
    body.has_payload = true;
    if (!has_content_type)
      headers.add("Content-Type: application/x-www-form-urlencoded");
  } else if (auto m = in.find("multipart"); m != in.end()) {
    body.mime.reset(curl_mime_init(h));
    for (const auto &[name, value] : m->items()) {
      if (value.is_array())
        for (size_t i = 0; i < value.size(); ++i)
          add_part(body.mime.get(), name, value[i],
                   "multipart." + name + "[" + std::to_string(i) + "]");
      else
        add_part(body.mime.get(), name, value, "multipart." + name);
    }
  }
  return body;
}

void attach_body(CURL *h, const std::string &method, const request_body &body) {
  if (body.has_payload) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.payload.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.payload.size()));
  } else if (body.mime) {
    curl_easy_setopt(h, CURLOPT_MIMEPOST, body.mime.get());
  } else if (method == "POST" || method == "PUT" || method == "PATCH") {
    // "Content-Length: 0": servers wait for the body of these methods otherwise.
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
  }
  if (method == "HEAD")
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  else if (method != "POST" && (method != "GET" || body.has_payload || body.mime))
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
}

void apply_auth(CURL *h, const json &in, header_list &headers, const seam::context &ctx) {
  auto auth = in.find("auth");
  if (auth == in.end())
    return;
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
    headers.add("Authorization: Bearer " + bearer->get<std::string>());
  } else {
    throw seam::error("http.request: `auth` needs `basic = { user, password }` or `bearer`");
  }
}

void apply_tls(CURL *h, const json &in) {
  auto tls = in.find("tls");
  if (tls == in.end())
    return;
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

void apply_redirects(CURL *h, const json &in) {
  auto fr = in.find("follow_redirects");
  if (fr == in.end())
    return;
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

jar_ptr request_jar(const json &in, cookie_jars &jars, const seam::context &ctx) {
  auto c = in.find("cookies");
  if (c != in.end() && c->is_string())
    return jars.named_jar(c->get_ref<const std::string &>());
  if (c == in.end() || c->get<bool>())
    return jars.test_jar(ctx.test_id(), test_jars_kept(ctx.jobs()));
  return nullptr;
}

attached_jar::attached_jar(CURL *h, const jar_ptr &jar) : h_(h) {
  curl_easy_setopt(h, CURLOPT_SHARE, jar ? jar->share() : nullptr);
  // The share holds the cookies; an empty cookie file turns the engine on.
  if (jar)
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
}

attached_jar::~attached_jar() {
  // Frees the list of cookie files: curl_easy_reset drops it unfreed
  // (libcurl 7.88), a leak per request on a pooled handle.
  curl_easy_setopt(h_, CURLOPT_COOKIEFILE, nullptr);
  curl_easy_setopt(h_, CURLOPT_SHARE, nullptr);
}

} // namespace seam::http
