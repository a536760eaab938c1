// http_call.cpp - see http_call.hpp.
#include "http_call.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace seam_stripe {

namespace {

size_t write_body(char *data, size_t size, size_t count, void *user) {
  static_cast<std::string *>(user)->append(data, size * count);
  return size * count;
}

size_t write_header(char *data, size_t size, size_t count, void *user) {
  auto *headers = static_cast<std::map<std::string, std::string> *>(user);
  std::string line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*headers)[name] = value;
  } else if (line.rfind("HTTP/", 0) == 0) {
    headers->clear(); // a new response (after 100 Continue): its own headers
  }
  return size * count;
}

int progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto *request = static_cast<const http_request *>(user);
  return (request->deadline.cancelled() || (request->stop && request->stop())) ? 1 : 0;
}

bool is_unreachable(CURLcode rc) {
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
         rc == CURLE_COULDNT_RESOLVE_PROXY;
}

} // namespace

http_result http_call(const http_request &request) {
  http_result result;
  if (request.deadline.done()) {
    result.error = request.deadline.cancelled() ? "cancelled" : "deadline passed before sending";
    return result;
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.error = "cannot make a libcurl handle";
    return result;
  }
  CURL *h = curl.get();
  curl_slist *list = nullptr;
  for (const auto &header : request.headers)
    list = curl_slist_append(list, header.c_str());
  // No "Expect: 100-continue" round trip for larger bodies.
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD")
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  // 0 is curl's "no limit": a deadline that has one gives at least 1 ms.
  int64_t limit_ms = 0;
  if (request.deadline.has_limit())
    limit_ms = std::max<int64_t>(1, request.deadline.remaining_ms().count());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(limit_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(limit_ms > 0 ? std::min<int64_t>(limit_ms, 10000) : 10000));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // Loopback servers (the emulator, a listener) must not go through a proxy
  // a CI runner sets; others follow the environment as curl does.
  curl_easy_setopt(h, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &result.headers);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &request);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    result.error = rc == CURLE_ABORTED_BY_CALLBACK ? "cancelled" : curl_easy_strerror(rc);
    result.status = 0;
    result.unreachable = is_unreachable(rc);
    return result;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

} // namespace seam_stripe
