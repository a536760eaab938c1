// cookie_jars.hpp - cookie jars for http.request's `cookies` input.
//
// A jar is a libcurl share handle that shares cookies only, so requests that
// use the same jar see each other's cookies, from any thread and any pooled
// easy handle. By default each test has a jar of its own, found by the test's
// id whichever thread runs it; suites may also name jars to share them.
//
// Jars are kept in two least-recently-used caches, so that a run of many
// thousand tests does not keep thousands of jars: a test's jar is dropped
// once many later tests used theirs (never while a request holds it).
#pragma once

#include <seam/plugin.hpp>

#include <curl/curl.h>

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seam::http {

class cookie_jar {
public:
  cookie_jar();
  ~cookie_jar();
  cookie_jar(const cookie_jar &) = delete;
  cookie_jar &operator=(const cookie_jar &) = delete;

  // The share handle to set as CURLOPT_SHARE (and unset before the jar goes).
  CURLSH *share() const { return share_; }

private:
  static void lock(CURL *, curl_lock_data data, curl_lock_access, void *self);
  static void unlock(CURL *, curl_lock_data data, void *self);

  CURLSH *share_ = nullptr;
  std::mutex locks_[CURL_LOCK_DATA_LAST];
};

using jar_ptr = std::shared_ptr<cookie_jar>;

// How many test jars are kept when `jobs` tests run at once: enough that a
// running test's jar is never dropped unless dozens of tests started and
// used theirs since its last request.
size_t test_jars_kept(unsigned jobs);
// How many named jars are kept.
constexpr size_t kNamedJarsKept = 1024;

// Jars by key, least recently used first out.
class jar_cache {
public:
  jar_ptr get(std::string_view key, size_t keep);

private:
  using entry = std::pair<std::string, jar_ptr>;
  std::mutex mutex_;
  std::list<entry> order_;
  std::unordered_map<std::string, std::list<entry>::iterator> index_;
};

// The plugin's jars (part of its state).
class cookie_jars {
public:
  // The jar of the test `test_id` ("" outside tests: one jar for setup and
  // teardown), created on first use; keeps the `keep` most recently used.
  jar_ptr test_jar(std::string_view test_id, size_t keep) { return tests_.get(test_id, keep); }
  // The jar `name`, shared by every request that names it.
  jar_ptr named_jar(std::string_view name) { return named_.get(name, kNamedJarsKept); }

private:
  jar_cache tests_, named_;
};

// The cookies a jar holds for the transfer's handle, as { name = value }.
seam::json cookies_of(CURL *handle);

} // namespace seam::http
