// plugin_harness.hpp - the sql tests' fixture over the SDK's stand-in host
// (seam/testing.hpp): loads seam-sql.so through its C ABI, as seam does;
// steps can be called from many threads, secrets and logs are recorded, and
// cancellation and deadlines are under the test's control.
#ifndef SEAM_TESTS_SQL_PLUGIN_HARNESS_HPP
#define SEAM_TESTS_SQL_PLUGIN_HARNESS_HPP

#include <seam/testing.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace sqltest {

using json = nlohmann::json;
// The host the harness plays: seam as of ABI 1.2 (the default), 1.1, or a
// 1.0 host without test_id and jobs.
using host_abi = seam::testing::host_abi;

struct step_result {
  bool ok = false;
  json output;
  std::string error;
  std::vector<std::string> logs;
};

class harness {
public:
  explicit harness(host_abi abi = host_abi::v1_2, const std::string &path = SEAM_SQL_PLUGIN_FILE)
      : host_(path, abi) {}

  const seam_plugin &plugin() const { return host_.plugin(); }

  // The test the calling thread's steps belong to, as the host tells them
  // (test_id()); "" outside a test. The hooks get it too.
  static std::string &current_test() {
    thread_local std::string id;
    return id;
  }
  struct in_test {
    explicit in_test(std::string id) : saved(std::move(current_test())) {
      current_test() = std::move(id);
    }
    ~in_test() { current_test() = saved; }
    std::string saved;
  };

  // What jobs() says to later calls (seam run --jobs).
  void set_jobs(uint32_t n) { jobs_ = n; }

  // Opens a resource; returns nullptr and sets *error on failure
  // (*unavailable: whether it was SEAM_UNAVAILABLE).
  void *open(const json &config, std::string *error = nullptr, json *published = nullptr,
             const std::string &name = "db", std::vector<std::string> *logs = nullptr,
             bool *unavailable = nullptr) {
    void *handle = nullptr;
    auto r = host_.open(name, config, &handle, {}, options());
    if (error)
      *error = r.ok ? "" : r.error;
    if (logs)
      *logs = r.logs;
    if (published && r.ok)
      *published = r.output;
    if (unavailable)
      *unavailable = r.unavailable();
    return handle;
  }
  void close(void *handle) { host_.close(handle); }

  // The host's per-test hooks, as seam's runner calls them around a test.
  std::string test_begin(void *handle, const std::string &test_id) {
    auto r = host_.test_begin(handle, test_id);
    return r.ok ? "" : r.error;
  }
  std::vector<std::string> test_end(void *handle, const std::string &test_id) {
    return host_.test_end(handle, test_id).logs;
  }

  step_result run(const std::string &name, void *resource, const json &input,
                  int64_t remaining_ms = -1, bool cancelled = false) {
    seam::testing::call_options o = options();
    if (remaining_ms >= 0)
      o.deadline = std::chrono::milliseconds(remaining_ms);
    if (cancelled)
      o.cancel_after = std::chrono::milliseconds(0);
    auto r = host_.run(name, input, resource, o);
    return {r.ok, std::move(r.output), std::move(r.error), std::move(r.logs)};
  }

  // Every value the plugin declared secret so far.
  std::vector<std::string> secrets() const { return host_.secrets(); }

private:
  seam::testing::call_options options() const {
    seam::testing::call_options o;
    o.test_id = current_test();
    o.jobs = jobs_;
    return o;
  }

  seam::testing::host host_;
  uint32_t jobs_ = 1;
};

// The URL of the PostgreSQL server the ctest fixture started, or "" when the
// tests run without one (then PostgreSQL cases skip, unless SEAM_SQL_REQUIRE_PG
// says the server must be there).
inline std::string pg_url() {
  const char *file = std::getenv("SEAM_SQL_PG_URL_FILE");
  if (file == nullptr)
    return "";
  std::ifstream f(file);
  std::string url;
  std::getline(f, url);
  return url;
}

inline bool pg_required() { return std::getenv("SEAM_SQL_REQUIRE_PG") != nullptr; }

} // namespace sqltest

#endif
