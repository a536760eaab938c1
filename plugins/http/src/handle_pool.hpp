// handle_pool.hpp - libcurl easy handles kept for reuse between steps.
//
// A curl easy handle owns a connection cache, a DNS cache and a TLS session
// cache. Taking the most recently returned handle for each request means a
// sequential suite talks to a host over one kept-alive connection, whatever
// thread the host runs each step on; parallel steps get handles of their own.
#pragma once

#include <curl/curl.h>

#include <mutex>
#include <vector>

namespace seam::http {

// curl_global_init for as long as the plugin runs (curl_global_cleanup after).
class curl_library {
public:
  curl_library();
  ~curl_library();
  curl_library(const curl_library &) = delete;
  curl_library &operator=(const curl_library &) = delete;
};

class handle_pool {
public:
  handle_pool() = default;
  ~handle_pool();
  handle_pool(const handle_pool &) = delete;
  handle_pool &operator=(const handle_pool &) = delete;

  // A handle reset to defaults (connections and caches kept). Never null.
  CURL *acquire();
  void release(CURL *handle);

private:
  std::mutex mutex_;
  std::vector<CURL *> idle_;
};

// Holds a pooled handle for one request.
class pooled_handle {
public:
  explicit pooled_handle(handle_pool &pool) : pool_(pool), handle_(pool.acquire()) {}
  ~pooled_handle() { pool_.release(handle_); }
  pooled_handle(const pooled_handle &) = delete;
  pooled_handle &operator=(const pooled_handle &) = delete;
  CURL *get() const { return handle_; }

private:
  handle_pool &pool_;
  CURL *handle_;
};

} // namespace seam::http
