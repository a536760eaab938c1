// handle_pool.cpp - see handle_pool.hpp.
#include "handle_pool.hpp"

#include <seam/plugin.hpp>

namespace seam_http {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw seam::error("libcurl could not be initialized (curl_global_init failed)");
  });
}

handle_pool &handle_pool::instance() {
  // Never destroyed: handles may still be returned while the process exits.
  static auto *pool = new handle_pool;
  return *pool;
}

CURL *handle_pool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      CURL *h = idle_.back();
      idle_.pop_back();
      curl_easy_reset(h);
      return h;
    }
  }
  ensure_curl_initialized();
  CURL *h = curl_easy_init();
  if (h == nullptr)
    throw seam::error("libcurl could not create a handle (out of memory?)");
  return h;
}

void handle_pool::release(CURL *handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(handle);
}

} // namespace seam_http
