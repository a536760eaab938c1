// seam/plugin.hpp - header-only C++ wrapper over the C ABI in seam/plugin.h.
//
// A plugin author writes steps as C++ functions that take and return
// nlohmann::json, and never sees the C layer:
//
//   #include <seam/plugin.hpp>
//
//   SEAM_PLUGIN(plugin) {
//     plugin.info("greet", "1.0.0", "Says hello");
//     plugin.step("hello", "Greets someone", R"({"type":"object"})", nullptr,
//                 [](const seam::json& in, seam::context& ctx) {
//                   return seam::json{{"text", "hello " + in.value("who", "world")}};
//                 });
//   }
//
// Everything the wrapper calls into the plugin is wrapped in try/catch: an
// exception becomes a failed step with its what() as the message. No C++ type
// crosses the boundary.
#ifndef SEAM_PLUGIN_HPP
#define SEAM_PLUGIN_HPP

#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

namespace seam {

using json = nlohmann::json;

// Thrown by a step to fail with a message; any std::exception works the same.
class error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The host services available during one call.
class context {
public:
  context(const seam_host_api *host, seam_ctx *ctx) : host_(host), ctx_(ctx) {}

  // True once the host wants the call to stop (deadline passed, Ctrl-C).
  bool cancelled() const { return host_->cancelled(ctx_) != 0; }

  // Time left before the call's deadline; nullopt when it has none.
  std::optional<std::chrono::milliseconds> remaining() const {
    int64_t ms = host_->remaining_ms(ctx_);
    if (ms < 0)
      return std::nullopt;
    return std::chrono::milliseconds(ms);
  }

  void log(seam_log_level level, std::string_view message) const {
    host_->log(ctx_, level, message.data(), message.size());
  }
  void debug(std::string_view message) const { log(SEAM_LOG_DEBUG, message); }
  void info(std::string_view message) const { log(SEAM_LOG_INFO, message); }
  void warn(std::string_view message) const { log(SEAM_LOG_WARN, message); }

  // A value that must never appear in output, reports or logs.
  void add_secret(std::string_view value) const {
    host_->add_secret(ctx_, value.data(), value.size());
  }

  // True when `document` satisfies `expect` ({"PATH": value-or-matcher, ...}),
  // in exactly the language of a step's `expect`. Throws seam::error when
  // `expect` is malformed.
  bool match(const json &expect, const json &document) const {
    std::string e = expect.dump(), d = document.dump(-1, ' ', false, json::error_handler_t::replace);
    int r = host_->match(ctx_, e.data(), e.size(), d.data(), d.size());
    if (r < 0)
      throw error("malformed match table: " + e);
    return r == 1;
  }

  // The ${test.id} of the test this call belongs to; empty outside a test
  // (and with a host older than ABI 1.1).
  std::string_view test_id() const {
    const char *id = SEAM_HOST_HAS(host_, test_id) ? host_->test_id(ctx_) : nullptr;
    return id ? std::string_view(id) : std::string_view();
  }

  // How many tests the run executes at once (1 with a host older than 1.1).
  unsigned jobs() const {
    uint32_t n = SEAM_HOST_HAS(host_, jobs) ? host_->jobs(ctx_) : 1;
    return n > 0 ? n : 1;
  }

  // For resource open: the attributes ${resources.NAME.ATTR} resolve to.
  void publish(const json &attributes) const { set_output(attributes); }

  // The C layer, for the rare plugin that needs it.
  const seam_host_api *host() const { return host_; }
  seam_ctx *raw() const { return ctx_; }

  void set_output(const json &value) const {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    host_->set_output(ctx_, text.data(), text.size());
  }
  void set_error(std::string_view message) const {
    host_->set_error(ctx_, message.data(), message.size());
  }

private:
  const seam_host_api *host_;
  seam_ctx *ctx_;
};

// Parses a duration as suites write it: "250ms", "2s", "1.5s", "1m", "500us",
// "1h". nullopt for anything else (a bare number has no unit and is refused).
inline std::optional<std::chrono::microseconds> parse_duration(std::string_view text) {
  size_t i = 0;
  double value = 0;
  bool digits = false, dot = false;
  double scale = 1;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (dot) {
        scale /= 10;
        value += (c - '0') * scale;
      } else {
        value = value * 10 + (c - '0');
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits)
    return std::nullopt;
  std::string_view unit = text.substr(i);
  double us;
  if (unit == "us")
    us = value;
  else if (unit == "ms")
    us = value * 1e3;
  else if (unit == "s")
    us = value * 1e6;
  else if (unit == "m")
    us = value * 60e6;
  else if (unit == "h")
    us = value * 3600e6;
  else
    return std::nullopt;
  if (us > 9.2e18)
    return std::nullopt;
  return std::chrono::microseconds(static_cast<int64_t>(us + 0.5));
}

namespace detail {

// Runs fn, turning any exception into SEAM_ERROR + message.
template <class Fn> seam_status guarded(const context &ctx, Fn &&fn) noexcept {
  try {
    fn();
    return SEAM_OK;
  } catch (const std::exception &e) {
    try {
      ctx.set_error(e.what());
    } catch (...) {
    }
  } catch (...) {
    ctx.set_error("unknown C++ exception thrown by the plugin");
  }
  return SEAM_ERROR;
}

inline json parse_input(const char *text, size_t len) {
  if (text == nullptr || len == 0)
    return json::object();
  return json::parse(text, text + len);
}

inline const char *schema_text(std::deque<std::string> &store, const json &schema) {
  if (schema.is_null())
    return nullptr;
  store.push_back(schema.is_string() ? schema.get<std::string>() : schema.dump());
  return store.back().c_str();
}

} // namespace detail

// What a plugin definition builds: owns every string and descriptor that the C
// layer points into, for the lifetime of the library.
class plugin_builder {
public:
  using step_fn = std::function<json(const json &, context &)>;
  using resource_step_fn = std::function<json(void *, const json &, context &)>;

  // Name ([a-z][a-z0-9_]*; the library is seam-NAME.so), version, summary.
  plugin_builder &info(std::string name, std::string version, std::string summary) {
    name_ = std::move(name);
    version_ = std::move(version);
    summary_ = std::move(summary);
    return *this;
  }

  // A step that needs no resource. Schemas are JSON text (or json values);
  // nullptr means "any object" for inputs and "undocumented" for outputs.
  template <class Fn>
  plugin_builder &step(std::string name, std::string summary, json input_schema,
                       json output_schema, Fn fn) {
    static_assert(std::is_invocable_r_v<json, Fn, const json &, context &>,
                  "a step is json(const json& input, seam::context& ctx)");
    auto &s = add_step(std::move(name), std::move(summary), input_schema, output_schema,
                       SEAM_RESOURCE_NONE);
    s.fn = [f = std::move(fn)](void *, const json &in, context &ctx) { return f(in, ctx); };
    return *this;
  }

  // The plugin's resource type: open builds an R from the suite's table (and
  // may ctx.publish() attributes); close is R's destructor.
  template <class R, class OpenFn>
  plugin_builder &resource(std::string summary, json config_schema, OpenFn open) {
    static_assert(std::is_invocable_r_v<std::unique_ptr<R>, OpenFn, const std::string &,
                                        const json &, context &>,
                  "open is std::unique_ptr<R>(const std::string& name, const json& config, "
                  "seam::context& ctx)");
    resource_type_ = std::type_index(typeid(R));
    resource_summary_ = std::move(summary);
    resource_schema_ = detail::schema_text(strings_, config_schema);
    open_ = [f = std::move(open)](const std::string &name, const json &config,
                                  context &ctx) -> void * {
      return f(name, config, ctx).release();
    };
    close_ = [](void *handle) { delete static_cast<R *>(handle); };
    return *this;
  }

  // Per-test hooks of resource R: begin runs before a test's first step and
  // end after its last cleanup step (e.g. begin a transaction, roll it back).
  template <class R, class BeginFn, class EndFn>
  plugin_builder &test_hooks(BeginFn begin, EndFn end) {
    static_assert(std::is_invocable_v<BeginFn, R *, const std::string &, context &>,
                  "begin is void(R* resource, const std::string& test_id, seam::context&)");
    static_assert(std::is_invocable_v<EndFn, R *, const std::string &, context &>,
                  "end is void(R* resource, const std::string& test_id, seam::context&)");
    if (!resource_type_ || *resource_type_ != std::type_index(typeid(R)))
      throw std::logic_error("test_hooks<R>: declare resource<R> first, with the same R");
    begin_ = [f = std::move(begin)](void *r, const std::string &id, context &ctx) {
      f(static_cast<R *>(r), id, ctx);
    };
    end_ = [f = std::move(end)](void *r, const std::string &id, context &ctx) {
      f(static_cast<R *>(r), id, ctx);
    };
    return *this;
  }

  // A step that works on the plugin's resource R (declared with resource<R>).
  // Required by default: the suite's `on` names it, or the suite has one.
  template <class R, class Fn>
  plugin_builder &resource_step(std::string name, std::string summary, json input_schema,
                                json output_schema, Fn fn,
                                seam_resource_use use = SEAM_RESOURCE_REQUIRED) {
    static_assert(std::is_invocable_r_v<json, Fn, R *, const json &, context &>,
                  "a resource step is json(R* resource, const json& input, seam::context&)");
    if (!resource_type_ || *resource_type_ != std::type_index(typeid(R)))
      throw std::logic_error("resource_step<R>: declare resource<R> first, with the same R");
    auto &s = add_step(std::move(name), std::move(summary), input_schema, output_schema, use);
    s.fn = [f = std::move(fn)](void *r, const json &in, context &ctx) {
      return f(static_cast<R *>(r), in, ctx);
    };
    return *this;
  }

  // Builds the C descriptor; called once by SEAM_PLUGIN's entry function.
  const seam_plugin *descriptor() {
    for (auto &s : steps_) {
      s.c.struct_size = sizeof(seam_step);
      s.c.name = s.name.c_str();
      s.c.summary = s.summary.c_str();
      s.c.run = &run_step;
      s.c.data = &s;
      step_ptrs_.push_back(&s.c);
    }
    plugin_.struct_size = sizeof(seam_plugin);
    plugin_.abi_major = SEAM_ABI_MAJOR;
    plugin_.abi_minor = SEAM_ABI_MINOR;
    plugin_.name = name_.c_str();
    plugin_.version = version_.c_str();
    plugin_.summary = summary_.c_str();
    plugin_.steps = step_ptrs_.data();
    plugin_.step_count = step_ptrs_.size();
    if (open_) {
      rt_.struct_size = sizeof(seam_resource_type);
      rt_.summary = resource_summary_.c_str();
      rt_.config_schema = resource_schema_;
      rt_.open = &open_resource;
      rt_.close = &close_resource;
      if (begin_) {
        rt_.test_begin = &test_begin;
        rt_.test_end = &test_end;
      }
      plugin_.resource_type = &rt_;
    }
    plugin_.init = &init;
    return &plugin_;
  }

private:
  struct step_entry {
    std::string name, summary;
    resource_step_fn fn;
    seam_step c{};
  };

  step_entry &add_step(std::string name, std::string summary, const json &in,
                       const json &out, seam_resource_use use) {
    steps_.emplace_back();
    auto &s = steps_.back();
    s.name = std::move(name);
    s.summary = std::move(summary);
    s.c.input_schema = detail::schema_text(strings_, in);
    s.c.output_schema = detail::schema_text(strings_, out);
    s.c.resource = use;
    return s;
  }

  static seam_status run_step(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                              void *, void *resource, const char *input, size_t len) {
    context c(host, ctx);
    auto *s = static_cast<step_entry *>(step_data);
    return detail::guarded(c, [&] { c.set_output(s->fn(resource, detail::parse_input(input, len), c)); });
  }

  // The builder itself is the plugin state, so that open/close reach the
  // functions registered above.
  static seam_status init(const seam_host_api *, seam_ctx *, void **state) {
    *state = instance();
    return SEAM_OK;
  }

  static seam_status open_resource(const seam_host_api *host, seam_ctx *ctx, void *state,
                                   const char *name, const char *config, size_t len,
                                   void **handle) {
    context c(host, ctx);
    auto *self = static_cast<plugin_builder *>(state);
    return detail::guarded(c, [&] {
      *handle = self->open_(name, detail::parse_input(config, len), c);
    });
  }

  static seam_status test_begin(const seam_host_api *host, seam_ctx *ctx, void *state,
                                void *handle, const char *test_id) {
    context c(host, ctx);
    auto *self = static_cast<plugin_builder *>(state);
    return detail::guarded(c, [&] { self->begin_(handle, test_id, c); });
  }

  static void test_end(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                       const char *test_id) {
    context c(host, ctx);
    auto *self = static_cast<plugin_builder *>(state);
    detail::guarded(c, [&] { self->end_(handle, test_id, c); });
  }

  static void close_resource(void *state, void *handle) {
    auto *self = static_cast<plugin_builder *>(state);
    try {
      self->close_(handle);
    } catch (...) {
    }
  }

public:
  // The one builder of this library (each plugin library has its own copy of
  // this inline function, since symbols are hidden).
  static plugin_builder *&instance() {
    static plugin_builder *self = nullptr;
    return self;
  }

private:
  std::string name_, version_, summary_;
  std::deque<step_entry> steps_;
  std::deque<std::string> strings_;
  std::vector<const seam_step *> step_ptrs_;
  std::optional<std::type_index> resource_type_;
  std::string resource_summary_;
  const char *resource_schema_ = nullptr;
  std::function<void *(const std::string &, const json &, context &)> open_;
  std::function<void(void *)> close_;
  std::function<void(void *, const std::string &, context &)> begin_, end_;
  seam_resource_type rt_{};
  seam_plugin plugin_{};
};

} // namespace seam

// Defines the plugin's entry function; the block that follows fills in the
// builder named VAR. An exception thrown there yields an empty descriptor,
// which the host refuses with a message.
#define SEAM_PLUGIN(VAR)                                                                        \
  static void seam_define_plugin_(seam::plugin_builder &VAR);                                  \
  extern "C" SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) {                          \
    static const seam_plugin *descriptor = []() -> const seam_plugin * {                       \
      static seam::plugin_builder builder;                                                     \
      seam::plugin_builder::instance() = &builder;                                             \
      try {                                                                                    \
        seam_define_plugin_(builder);                                                          \
        return builder.descriptor();                                                           \
      } catch (...) {                                                                          \
        static seam_plugin empty{};                                                            \
        empty.struct_size = sizeof(seam_plugin);                                               \
        empty.abi_major = SEAM_ABI_MAJOR;                                                      \
        empty.abi_minor = SEAM_ABI_MINOR;                                                      \
        return &empty;                                                                         \
      }                                                                                        \
    }();                                                                                       \
    return descriptor;                                                                         \
  }                                                                                            \
  static void seam_define_plugin_(seam::plugin_builder &VAR)

#endif // SEAM_PLUGIN_HPP
