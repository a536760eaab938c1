// seam/testing.hpp - an in-process stand-in for seam's host, for a plugin's
// unit tests. It loads the plugin through its real C entry point (the .so
// with dlopen, or the entry function itself), starts it as seam does, and
// lets a test open resources, run steps and read what the plugin reported:
// output, error (and whether it was SEAM_UNAVAILABLE), logs, secrets. Each
// call can have a deadline, a test id, a jobs count, and be cancelled.
//
//   seam::testing::host h("build/plugins/seam-greet.so");
//   auto r = h.run("hello", {{"who", "you"}});
//   EXPECT_TRUE(r.ok) << r.error;
//   EXPECT_EQ(r.output["text"], "hello you");
//
// What it does not do: check inputs against the step's schema (seam does
// that before every call; `seam check` tests it), and its `match` is the
// plain-equality subset of seam's expect language (PATH = value, paths as in
// seam/json_path.hpp; a table of matchers such as { gt = 1 } is reported as
// malformed): give set_matcher() a real one when a test needs more.
// It depends on nothing of seam but the SDK headers.
#ifndef SEAM_TESTING_HPP
#define SEAM_TESTING_HPP

#include <seam/json_path.hpp>
#include <seam/plugin.h>
#include <seam/typed_json.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <dlfcn.h>

namespace seam::testing {

using json = nlohmann::json;

// How one call is made.
struct call_options {
  // The call's deadline, from its start; none when unset.
  std::optional<std::chrono::milliseconds> deadline = {};
  // cancelled() answers true this long after the call starts (Ctrl-C).
  std::optional<std::chrono::milliseconds> cancel_after = {};
  std::string test_id = {}; // what ctx.test_id() says ("" as in setup)
  unsigned jobs = 1;        // what ctx.jobs() says
};

// What one call produced.
struct result {
  seam_status status = SEAM_ERROR;
  bool ok = false;
  json output;       // null unless ok
  std::string error; // empty when ok
  std::vector<std::string> logs;
  bool unavailable() const { return status == SEAM_UNAVAILABLE; }
};

// Which host ABI to play: 1.2 (everything), 1.1 (no input_*/output_*), 1.0
// (no test_id, jobs either).
enum class host_abi { v1_0, v1_1, v1_2 };

// (expect, document) -> 1 match, 0 no match, -1 malformed (why in *why).
using matcher = std::function<int(const json &expect, const json &doc, std::string *why)>;

class host {
public:
  // Loads the plugin library at `path` (never unloaded, as seam does).
  explicit host(const std::string &path, host_abi abi = host_abi::v1_2) {
    void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr)
      throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib, SEAM_PLUGIN_ENTRY_NAME));
    if (entry == nullptr)
      throw std::runtime_error("no " SEAM_PLUGIN_ENTRY_NAME " in " + path);
    start(entry, abi);
  }
  // Takes the entry function of a plugin linked into the test itself.
  explicit host(seam_plugin_entry_fn entry, host_abi abi = host_abi::v1_2) { start(entry, abi); }

  ~host() {
    if (plugin_ != nullptr && plugin_->shutdown != nullptr)
      plugin_->shutdown(state_);
    if (current() == this)
      current() = nullptr;
  }
  host(const host &) = delete;
  host &operator=(const host &) = delete;

  const seam_plugin &plugin() const { return *plugin_; }

  const seam_step *find_step(std::string_view name) const {
    for (size_t i = 0; i < plugin_->step_count; ++i)
      if (name == plugin_->steps[i]->name)
        return plugin_->steps[i];
    return nullptr;
  }

  // The resource type of `kind` ("" the default); nullptr when none.
  const seam_resource_type *resource_type(std::string_view kind = {}) const {
    if (plugin_->resource_type != nullptr)
      return kind.empty() ? plugin_->resource_type : nullptr;
    for (size_t i = 0; i < plugin_->resource_type_count; ++i) {
      const seam_resource_type *t = plugin_->resource_types[i];
      if (kind == (t->kind != nullptr ? t->kind : ""))
        return t;
    }
    return nullptr;
  }

  // Runs step NAME with `input` on `resource` (nullptr: none).
  result run(std::string_view name, const json &input = json::object(), void *resource = nullptr,
             const call_options &opts = {}) {
    const seam_step *s = find_step(name);
    if (s == nullptr)
      throw std::invalid_argument("the plugin has no step \"" + std::string(name) + "\"");
    call c(*this, opts, input);
    std::string text = input.dump();
    return c.finish(s->run(&api_, c.ctx(), s->data, state_, resource, text.data(), text.size()));
  }

  // Opens resource NAME from `config`; *handle is set when it succeeds.
  result open(const std::string &name, const json &config, void **handle,
              std::string_view kind = {}, const call_options &opts = {}) {
    const seam_resource_type *t = type_or_throw(kind);
    call c(*this, opts, config);
    std::string text = config.dump();
    void *h = nullptr;
    result r =
        c.finish(t->open(&api_, c.ctx(), state_, name.c_str(), text.data(), text.size(), &h));
    *handle = r.ok ? h : nullptr;
    return r;
  }

  // Closes what open gave, as seam does after teardown: through
  // close_with_context when the type has one (its logs and output are the
  // result), else through close.
  result close(void *handle, std::string_view kind = {}) {
    const seam_resource_type *t = type_or_throw(kind);
    if (t->struct_size >=
            offsetof(seam_resource_type, close_with_context) + sizeof t->close_with_context &&
        t->close_with_context) {
      call c(*this, {}, json::object());
      t->close_with_context(&api_, c.ctx(), state_, handle);
      return c.finish(SEAM_OK);
    }
    t->close(state_, handle);
    result r;
    r.status = SEAM_OK;
    r.ok = true;
    r.output = json::object();
    return r;
  }

  // The per-test hooks, as seam's runner calls them around a test; a type
  // without hooks succeeds.
  result test_begin(void *handle, const std::string &test_id, std::string_view kind = {}) {
    const seam_resource_type *t = type_or_throw(kind);
    call_options o;
    o.test_id = test_id;
    call c(*this, o, json::object());
    if (t->test_begin == nullptr)
      return c.finish(SEAM_OK);
    return c.finish(t->test_begin(&api_, c.ctx(), state_, handle, test_id.c_str()));
  }
  result test_end(void *handle, const std::string &test_id, std::string_view kind = {}) {
    const seam_resource_type *t = type_or_throw(kind);
    call_options o;
    o.test_id = test_id;
    call c(*this, o, json::object());
    if (t->test_end != nullptr)
      t->test_end(&api_, c.ctx(), state_, handle, test_id.c_str());
    return c.finish(SEAM_OK);
  }

  // Every value the plugin declared secret so far (from any call or thread).
  std::vector<std::string> secrets() const {
    std::lock_guard lock(mutex_);
    return secrets_;
  }
  // True when `text` contains one of them.
  bool shows_secret(std::string_view text) const {
    for (const auto &s : secrets())
      if (!s.empty() && text.find(s) != std::string_view::npos)
        return true;
    return false;
  }

  // Replaces the plain-equality `match` (e.g. with seam's own matcher).
  void set_matcher(matcher m) { matcher_ = std::move(m); }

  // What the plugin's init reported (logs; error when it failed, which
  // throws from the constructor).
  const result &init_result() const { return init_; }

private:
  // One call's context: the seam_ctx* the plugin gets points at one of these.
  class call {
  public:
    call(host &h, const call_options &o, const json &input)
        : host_(h), opts_(o), input_(input), started_(std::chrono::steady_clock::now()) {}
    seam_ctx *ctx() { return reinterpret_cast<seam_ctx *>(this); }
    static call &of(const seam_ctx *c) {
      return *reinterpret_cast<call *>(const_cast<seam_ctx *>(c));
    }

    result finish(seam_status st) {
      result r;
      r.status = st;
      r.ok = st == SEAM_OK;
      std::lock_guard lock(mutex_);
      r.logs = logs_;
      if (r.ok) {
        if (output_set_)
          r.output = json::parse(output_);
        else
          r.output = built_.is_null() ? json() : built_;
      } else {
        r.error = error_.empty() ? "the plugin failed without a message" : error_;
      }
      return r;
    }

    int64_t remaining_ms() const {
      if (!opts_.deadline)
        return -1;
      auto left = *opts_.deadline - elapsed();
      return left.count() < 0 ? 0 : left.count();
    }
    bool cancelled() const {
      if (opts_.cancel_after && elapsed() >= *opts_.cancel_after)
        return true;
      return opts_.deadline && elapsed() >= *opts_.deadline;
    }

    host &host_;
    const call_options &opts_;
    const json &input_;
    std::string scratch_; // what input_string/input_json last handed out
    std::mutex mutex_;    // logs may come from the plugin's own threads
    std::string output_, error_;
    bool output_set_ = false;
    json built_;
    std::vector<std::string> logs_;

  private:
    std::chrono::milliseconds elapsed() const {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started_);
    }
    std::chrono::steady_clock::time_point started_;
  };

  const seam_resource_type *type_or_throw(std::string_view kind) const {
    const seam_resource_type *t = resource_type(kind);
    if (t == nullptr)
      throw std::invalid_argument("the plugin has no resource type of kind \"" + std::string(kind) +
                                  "\"");
    return t;
  }

  static host *self_of(const seam_ctx *c) { return c ? &call::of(c).host_ : nullptr; }

  // Sets PATH of `root`, making the objects and arrays on the way (a path
  // that cannot be made sets nothing).
  static void put(json &root, const char *path, json value) {
    auto p = json_path::parse(path != nullptr ? path : "");
    if (json *slot = p ? p->make(root) : nullptr)
      *slot = std::move(value);
  }
  static const json *at(const seam_ctx *c, const char *path) {
    return json_path::lookup(call::of(c).input_, path != nullptr ? path : "");
  }
  static void built(seam_ctx *c, const char *path, json v) {
    std::lock_guard lock(call::of(c).mutex_);
    put(call::of(c).built_, path, std::move(v));
  }

  void start(seam_plugin_entry_fn entry, host_abi abi) {
    plugin_ = entry();
    if (plugin_ == nullptr)
      throw std::runtime_error("the entry function returned no descriptor");
    if (plugin_->name == nullptr)
      throw std::runtime_error(std::string("the plugin failed to describe itself: ") +
                               (plugin_->summary ? plugin_->summary : "no reason given"));
    api_.struct_size = abi == host_abi::v1_0   ? offsetof(seam_host_api, test_id)
                       : abi == host_abi::v1_1 ? offsetof(seam_host_api, input_type)
                                               : sizeof(seam_host_api);
    api_.abi_major = SEAM_ABI_MAJOR;
    api_.abi_minor = abi == host_abi::v1_0 ? 0 : abi == host_abi::v1_1 ? 1 : 2;
    api_.set_output = [](seam_ctx *c, const char *t, size_t n) {
      std::lock_guard lock(call::of(c).mutex_);
      call::of(c).output_.assign(t, n);
      call::of(c).output_set_ = true;
    };
    api_.set_error = [](seam_ctx *c, const char *t, size_t n) {
      std::lock_guard lock(call::of(c).mutex_);
      call::of(c).error_.assign(t, n);
    };
    api_.log = [](seam_ctx *c, seam_log_level, const char *t, size_t n) {
      std::lock_guard lock(call::of(c).mutex_);
      call::of(c).logs_.emplace_back(t, n);
    };
    api_.cancelled = [](const seam_ctx *c) { return call::of(c).cancelled() ? 1 : 0; };
    api_.remaining_ms = [](const seam_ctx *c) { return call::of(c).remaining_ms(); };
    api_.add_secret = [](seam_ctx *c, const char *t, size_t n) {
      host *h = self_of(c);
      std::lock_guard lock(h->mutex_);
      h->secrets_.emplace_back(t, n);
    };
    // A NULL context is allowed (a plugin's own threads, after the call).
    api_.match = [](seam_ctx *c, const char *e, size_t el, const char *d, size_t dl) {
      host *h = c ? self_of(c) : current();
      json expect = json::parse(e, e + el, nullptr, false);
      json doc = json::parse(d, d + dl, nullptr, false);
      std::string why;
      int r = h && h->matcher_ ? h->matcher_(expect, doc, &why) : equal_match(expect, doc, &why);
      if (r < 0 && c != nullptr) {
        std::lock_guard lock(call::of(c).mutex_);
        call::of(c).logs_.push_back(why);
      }
      return r;
    };
    if (abi != host_abi::v1_0) {
      api_.test_id = [](const seam_ctx *c) { return c ? call::of(c).opts_.test_id.c_str() : ""; };
      api_.jobs = [](const seam_ctx *c) {
        return c ? static_cast<uint32_t>(call::of(c).opts_.jobs) : 1u;
      };
    }
    if (abi == host_abi::v1_2)
      add_1_2();
    current() = this;
    if (plugin_->init != nullptr) {
      call_options o;
      call c(*this, o, json::object());
      init_ = c.finish(plugin_->init(&api_, c.ctx(), &state_));
      if (!init_.ok)
        throw std::runtime_error("the plugin failed to start: " + init_.error);
    }
  }

  void add_1_2() {
    api_.input_type = [](seam_ctx *c, const char *path) {
      return typed_json::type_of(at(c, path));
    };
    api_.input_string = [](seam_ctx *c, const char *path, const char **out, size_t *len) {
      return typed_json::read_string(at(c, path), out, len);
    };
    api_.input_int = [](seam_ctx *c, const char *path, int64_t *out) {
      return typed_json::read_int(at(c, path), out);
    };
    api_.input_double = [](seam_ctx *c, const char *path, double *out) {
      return typed_json::read_double(at(c, path), out);
    };
    api_.input_bool = [](seam_ctx *c, const char *path, int *out) {
      return typed_json::read_bool(at(c, path), out);
    };
    api_.input_json = [](seam_ctx *c, const char *path, const char **out, size_t *len) {
      const json *v = at(c, path);
      if (v == nullptr)
        return 0;
      call::of(c).scratch_ = v->dump();
      *out = call::of(c).scratch_.c_str();
      *len = call::of(c).scratch_.size();
      return 1;
    };
    api_.input_size = [](seam_ctx *c, const char *path) -> int64_t {
      return typed_json::size_of(at(c, path));
    };
    api_.output_string = [](seam_ctx *c, const char *path, const char *v, size_t n) {
      built(c, path, std::string(v, n));
    };
    api_.output_int = [](seam_ctx *c, const char *path, int64_t v) { built(c, path, v); };
    api_.output_double = [](seam_ctx *c, const char *path, double v) { built(c, path, v); };
    api_.output_bool = [](seam_ctx *c, const char *path, int v) { built(c, path, v != 0); };
    api_.output_null = [](seam_ctx *c, const char *path) { built(c, path, nullptr); };
    api_.output_json = [](seam_ctx *c, const char *path, const char *text, size_t n) {
      json v = json::parse(text, text + n, nullptr, false);
      if (v.is_discarded())
        return 0;
      built(c, path, std::move(v));
      return 1;
    };
  }

  // The plain-equality subset of seam's expect language.
  static int equal_match(const json &expect, const json &doc, std::string *why) {
    if (!expect.is_object()) {
      *why = "a match table is { PATH = value, ... }";
      return -1;
    }
    for (const auto &[path, want] : expect.items()) {
      std::string err;
      auto p = json_path::parse(path, &err);
      if (!p) {
        *why = path + ": " + err;
        return -1;
      }
      if (want.is_object()) {
        *why = path + ": seam::testing's matcher compares values only (set_matcher for more)";
        return -1;
      }
      const json *got = p->find(doc);
      if (got == nullptr || *got != want)
        return 0;
    }
    return 1;
  }

  // The host a NULL-context match call belongs to: the last one started
  // (none once it is gone: then the plain-equality matcher answers).
  static host *&current() {
    static host *h = nullptr;
    return h;
  }

  const seam_plugin *plugin_ = nullptr;
  void *state_ = nullptr;
  seam_host_api api_{};
  matcher matcher_;
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
  result init_;
};

} // namespace seam::testing

#endif // SEAM_TESTING_HPP
