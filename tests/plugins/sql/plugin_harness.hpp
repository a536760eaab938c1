// plugin_harness.hpp - loads seam-sql.so through its C ABI, as seam does, with
// a host of the test's own: steps can be called from many threads, secrets
// and logs are recorded, and cancellation and deadlines are under the test's
// control.
#ifndef SEAM_TESTS_SQL_PLUGIN_HARNESS_HPP
#define SEAM_TESTS_SQL_PLUGIN_HARNESS_HPP

#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <dlfcn.h>

namespace sqltest {

using json = nlohmann::json;

// One call's context: what the plugin handed back.
struct call {
  std::string output, error;
  std::vector<std::string> logs;
  int64_t remaining_ms = -1;
  bool cancelled = false;
  std::string test_id; // what the host's test_id() says (ABI 1.1)
  uint32_t jobs = 1;   // what the host's jobs() says (ABI 1.1)
};

// The host the harness plays: seam as of ABI 1.1 (test_id, jobs), or a 1.0
// host without them.
enum class host_abi { v1_1, v1_0 };

struct step_result {
  bool ok = false;
  json output;
  std::string error;
  std::vector<std::string> logs;
};

class harness {
public:
  explicit harness(host_abi abi = host_abi::v1_1, const std::string &path = SEAM_SQL_PLUGIN_FILE) {
    lib_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib_ == nullptr)
      throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib_, SEAM_PLUGIN_ENTRY_NAME));
    if (entry == nullptr)
      throw std::runtime_error("no entry symbol");
    plugin_ = entry();
    host_.struct_size = abi == host_abi::v1_1 ? sizeof host_ : offsetof(seam_host_api, test_id);
    host_.abi_major = SEAM_ABI_MAJOR;
    host_.abi_minor = SEAM_ABI_MINOR;
    host_.set_output = [](seam_ctx *c, const char *t, size_t n) { as(c)->output.assign(t, n); };
    host_.set_error = [](seam_ctx *c, const char *t, size_t n) { as(c)->error.assign(t, n); };
    host_.log = [](seam_ctx *c, seam_log_level, const char *t, size_t n) {
      as(c)->logs.emplace_back(t, n);
    };
    host_.cancelled = [](const seam_ctx *c) { return as(c)->cancelled ? 1 : 0; };
    host_.remaining_ms = [](const seam_ctx *c) { return as(c)->remaining_ms; };
    host_.add_secret = [](seam_ctx *, const char *t, size_t n) {
      std::lock_guard lk(secrets_mu());
      secrets().emplace_back(t, n);
    };
    host_.match = [](seam_ctx *, const char *, size_t, const char *, size_t) { return -1; };
    if (abi == host_abi::v1_1) {
      host_.test_id = [](const seam_ctx *c) { return as(c)->test_id.c_str(); };
      host_.jobs = [](const seam_ctx *c) { return as(c)->jobs; };
    }
    call c;
    if (plugin_->init && plugin_->init(&host_, ctx(c), &state_) != SEAM_OK)
      throw std::runtime_error("init failed: " + c.error);
  }

  const seam_plugin &plugin() const { return *plugin_; }

  const seam_step *step(const std::string &name) const {
    for (size_t i = 0; i < plugin_->step_count; ++i)
      if (name == plugin_->steps[i]->name)
        return plugin_->steps[i];
    throw std::runtime_error("no step " + name);
  }

  // Opens a resource; returns nullptr and sets *error on failure.
  // The test the calling thread's steps belong to, as the host tells them
  // (test_id()); "" outside a test. The hooks get it too.
  static std::string &current_test() {
    thread_local std::string id;
    return id;
  }
  struct in_test {
    explicit in_test(std::string id) : saved(std::move(current_test())) { current_test() = std::move(id); }
    ~in_test() { current_test() = saved; }
    std::string saved;
  };
  // What jobs() says to later calls (seam run --jobs).
  void set_jobs(uint32_t n) { jobs_ = n; }

  void *open(const json &config, std::string *error = nullptr, json *published = nullptr,
             const std::string &name = "db", std::vector<std::string> *logs = nullptr) {
    call c;
    c.jobs = jobs_;
    std::string text = config.dump();
    void *handle = nullptr;
    seam_status s = plugin_->resource_type->open(&host_, ctx(c), state_, name.c_str(),
                                                 text.data(), text.size(), &handle);
    if (error)
      *error = c.error;
    if (logs)
      *logs = c.logs;
    if (published && !c.output.empty())
      *published = json::parse(c.output);
    return s == SEAM_OK ? handle : nullptr;
  }

  void close(void *handle) { plugin_->resource_type->close(state_, handle); }

  // The host's per-test hooks, as seam's runner calls them around a test.
  std::string test_begin(void *handle, const std::string &test_id) {
    call c;
    c.test_id = test_id;
    c.jobs = jobs_;
    seam_status s = plugin_->resource_type->test_begin(&host_, ctx(c), state_, handle, test_id.c_str());
    return s == SEAM_OK ? "" : c.error.empty() ? "failed" : c.error;
  }
  std::vector<std::string> test_end(void *handle, const std::string &test_id) {
    call c;
    c.test_id = test_id;
    c.jobs = jobs_;
    plugin_->resource_type->test_end(&host_, ctx(c), state_, handle, test_id.c_str());
    return c.logs;
  }

  step_result run(const std::string &name, void *resource, const json &input,
                  int64_t remaining_ms = -1, bool cancelled = false) {
    const seam_step *st = step(name);
    call c;
    c.test_id = current_test();
    c.jobs = jobs_;
    c.remaining_ms = remaining_ms;
    c.cancelled = cancelled;
    std::string text = input.dump();
    seam_status s = st->run(&host_, ctx(c), st->data, state_, resource, text.data(), text.size());
    step_result r;
    r.ok = s == SEAM_OK;
    r.error = c.error;
    r.logs = c.logs;
    if (r.ok)
      r.output = json::parse(c.output);
    return r;
  }

  static std::vector<std::string> &secrets() {
    static std::vector<std::string> s;
    return s;
  }
  static std::mutex &secrets_mu() {
    static std::mutex m;
    return m;
  }

private:
  static call *as(const seam_ctx *c) { return reinterpret_cast<call *>(const_cast<seam_ctx *>(c)); }
  static seam_ctx *ctx(call &c) { return reinterpret_cast<seam_ctx *>(&c); }

  void *lib_ = nullptr; // never unloaded, as seam does
  const seam_plugin *plugin_ = nullptr;
  void *state_ = nullptr;
  seam_host_api host_{};
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
