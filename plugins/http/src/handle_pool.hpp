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

namespace seam_http {

// curl_global_init, once per process, before the first handle.
void ensure_curl_initialized();

class handle_pool {
public:
  static handle_pool &instance();

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
  pooled_handle() : handle_(handle_pool::instance().acquire()) {}
  ~pooled_handle() { handle_pool::instance().release(handle_); }
  pooled_handle(const pooled_handle &) = delete;
  pooled_handle &operator=(const pooled_handle &) = delete;
  CURL *get() const { return handle_; }

private:
  CURL *handle_;
};

} // namespace seam_http
