// cookie_jars.cpp - see cookie_jars.hpp.
#include "cookie_jars.hpp"

#include <list>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace seam::http {

jar_ptr jar_cache::get(std::string_view key, size_t keep) {
  std::lock_guard lock(mutex_);
  std::string k(key);
  if (auto it = index_.find(k); it != index_.end()) {
    order_.splice(order_.end(), order_, it->second);
    return it->second->second;
  }
  auto jar = std::make_shared<cookie_jar>();
  order_.emplace_back(k, jar);
  index_[k] = std::prev(order_.end());
  // A request that still holds a dropped jar keeps it until it is done.
  while (order_.size() > std::max<size_t>(keep, 1)) {
    index_.erase(order_.front().first);
    order_.pop_front();
  }
  return jar;
}

cookie_jar::cookie_jar() {
  share_ = curl_share_init();
  if (share_ == nullptr)
    throw seam::error("http.request: libcurl could not create a cookie jar (out of memory?)");
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &cookie_jar::lock);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &cookie_jar::unlock);
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
}

cookie_jar::~cookie_jar() { curl_share_cleanup(share_); }

void cookie_jar::lock(CURL *, curl_lock_data data, curl_lock_access, void *self) {
  static_cast<cookie_jar *>(self)->locks_[data].lock();
}

void cookie_jar::unlock(CURL *, curl_lock_data data, void *self) {
  static_cast<cookie_jar *>(self)->locks_[data].unlock();
}

size_t test_jars_kept(unsigned jobs) { return 64 + 16 * static_cast<size_t>(jobs); }

seam::json cookies_of(CURL *handle) {
  seam::json out = seam::json::object();
  curl_slist *list = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_COOKIELIST, &list) != CURLE_OK)
    return out;
  // Netscape format: domain, tailmatch, path, secure, expires, name, value.
  for (curl_slist *it = list; it != nullptr; it = it->next) {
    std::string line = it->data;
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, '\t');)
      fields.push_back(field);
    if (fields.size() >= 6)
      out[fields[5]] = fields.size() >= 7 ? fields[6] : "";
  }
  curl_slist_free_all(list);
  return out;
}

} // namespace seam::http
