// cookie_jars.cpp - see cookie_jars.hpp.
#include "cookie_jars.hpp"

#include "handle_pool.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace seam_http {

namespace {

struct jar {
  CURLSH *share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
};

void lock_jar(CURL *, curl_lock_data data, curl_lock_access, void *user) {
  static_cast<jar *>(user)->locks[data].lock();
}

void unlock_jar(CURL *, curl_lock_data data, void *user) {
  static_cast<jar *>(user)->locks[data].unlock();
}

} // namespace

CURLSH *cookie_jar(const std::string &name) {
  static std::mutex mutex;
  static auto *jars = new std::map<std::string, std::unique_ptr<jar>>;
  std::lock_guard lock(mutex);
  auto &slot = (*jars)[name];
  if (!slot) {
    ensure_curl_initialized();
    auto j = std::make_unique<jar>();
    j->share = curl_share_init();
    if (j->share == nullptr)
      throw seam::error("libcurl could not create cookie jar '" + name + "'");
    curl_share_setopt(j->share, CURLSHOPT_LOCKFUNC, lock_jar);
    curl_share_setopt(j->share, CURLSHOPT_UNLOCKFUNC, unlock_jar);
    curl_share_setopt(j->share, CURLSHOPT_USERDATA, j.get());
    curl_share_setopt(j->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    slot = std::move(j);
  }
  return slot->share;
}

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

} // namespace seam_http
