// handle_pool.cpp - see handle_pool.hpp.
#include "handle_pool.hpp"

#include <seam/plugin.hpp>

namespace seam::http {

curl_library::curl_library() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    throw seam::error("libcurl could not be initialized (curl_global_init failed)");
}

curl_library::~curl_library() { curl_global_cleanup(); }

// The host shuts the plugin down after its last call: no handle is out.
handle_pool::~handle_pool() {
  for (CURL *h : idle_)
    curl_easy_cleanup(h);
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
  CURL *h = curl_easy_init();
  if (h == nullptr)
    throw seam::error("libcurl could not create a handle (out of memory?)");
  return h;
}

void handle_pool::release(CURL *handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(handle);
}

} // namespace seam::http
