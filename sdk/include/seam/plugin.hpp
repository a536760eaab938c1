// seam/plugin.hpp - header-only C++ wrapper over the C ABI in seam/plugin.h.
//
// A plugin author writes steps as C++ functions that take nlohmann::json
// (or seam::json_view, which reads the input without a tree) and return it
// (or seam::json_text, written with seam::json_builder), and never sees the
// C layer:
//
//   #include <seam/plugin.hpp>
//
//   SEAM_PLUGIN(plugin) {
//     plugin.info("greet", "1.0.0", "Says hello");
//     plugin.step({.name = "hello", .summary = "Greets someone",
//                  .input = R"({"type":"object"})"},
//                 [](const seam::json& in, seam::context& ctx) {
//                   return seam::json{{"text", "hello " + in.value("who", "world")}};
//                 });
//   }
//
// The pieces: plugin.state<T>() (state the framework owns: built at init,
// destroyed at shutdown, reached with ctx.state<T>()), plugin.resource<R>()
// (one per kind of resource), plugin.step() and plugin.step<R>() (steps, on
// no resource or on an R). Everything the wrapper calls into the plugin is
// wrapped in try/catch: an exception becomes a failed call with its what()
// as the message (seam::unavailable: an unavailable one). No C++ type crosses
// the boundary.
#ifndef SEAM_PLUGIN_HPP
#define SEAM_PLUGIN_HPP

#include <seam/context.hpp>
#include <seam/deadline.hpp>
#include <seam/duration.hpp>
#include <seam/json_path.hpp>
#include <seam/json_read.hpp>
#include <seam/json_view.hpp>
#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

namespace seam {

// A step, by named fields:
//   plugin.step({.name = "query", .summary = "...", .input = R"({...})"}, fn)
// Schemas are JSON text or json values; null means "any object" for inputs
// and "undocumented" for outputs.
struct step_spec {
  std::string name;    // [a-z][a-z0-9_]*: the suite's `use = "PLUGIN.NAME"`
  std::string summary; // one line for `seam plugins info`
  json input = nullptr;
  json output = nullptr;
  // For plugin.step<R>: the kind of resource it works on; empty: R's kind.
  std::string resource_kind = {};
  // For plugin.step<R>: whether the suite must give a resource.
  seam_resource_use resource = SEAM_RESOURCE_REQUIRED;
};

// A kind of resource, by named fields:
//   plugin.resource<R>({.kind = "mock", .summary = "...", .config = R"({...})"}, open)
struct resource_spec {
  // [a-z][a-z0-9_]*, picked by `kind = "..."` in [resources.NAME]; empty:
  // the default kind (a table without `kind`).
  std::string kind = {};
  std::string summary = {};
  json config = nullptr; // the schema of the [resources.NAME] table
};

namespace detail {

// Whether resource type R has `void close(seam::context&)` (C++17: no concepts).
template <class R, class = void> struct has_close_with_context : std::false_type {};
template <class R>
struct has_close_with_context<
    R, std::void_t<decltype(std::declval<R &>().close(std::declval<context &>()))>>
    : std::true_type {};

// Whether a step function called with Args returns what a step may: a json
// tree or a seam::json_text.
template <class Fn, class... Args>
inline constexpr bool returns_output =
    std::is_invocable_r_v<json, Fn, Args...> || std::is_invocable_r_v<json_text, Fn, Args...>;

// True when the host table is ABI 1.2's (it then reads SEAM_UNAVAILABLE).
inline bool host_speaks_1_2(const seam_host_api *host) { return SEAM_HOST_HAS(host, input_type); }

// Runs fn, turning any exception into SEAM_ERROR (or SEAM_UNAVAILABLE) + message.
template <class Fn> seam_status guarded(const context &ctx, Fn &&fn) noexcept {
  try {
    fn();
    return SEAM_OK;
  } catch (const unavailable &e) {
    try {
      // A host older than 1.2 knows the status by the message's prefix.
      if (host_speaks_1_2(ctx.host())) {
        ctx.set_error(e.what());
        return SEAM_UNAVAILABLE;
      }
      ctx.set_error(std::string("unavailable: ") + e.what());
    } catch (...) {
    }
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
  return read_json(std::string_view(text, len));
}

// Hands `use` the input `text` as the step takes it: a json_view (View) or
// the tree.
template <bool View, class Use> void with_input(std::string_view text, Use &&use) {
  if constexpr (View)
    with_input_view(text.data(), text.size(), use);
  else
    use(parse_input(text.data(), text.size()));
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
  // Runs a step on (resource, input text) and hands its output to the host.
  using step_fn = std::function<void(void *, std::string_view, context &)>;

  // Name ([a-z][a-z0-9_]*; the library is seam-NAME.so), version, summary.
  plugin_builder &info(std::string name, std::string version, std::string summary) {
    name_ = std::move(name);
    version_ = std::move(version);
    summary_ = std::move(summary);
    return *this;
  }

  // The plugin's state: one T, built when the host starts the plugin (from
  // the init call's context if T(seam::context&) exists, else T()) and
  // destroyed when it shuts the plugin down. Steps and resources reach it
  // with ctx.state<T>(); nothing of the plugin needs a static.
  template <class T> plugin_builder &state() {
    make_state_ = [](context &ctx) -> std::pair<void *, void (*)(void *)> {
      T *t;
      if constexpr (std::is_constructible_v<T, context &>)
        t = new T(ctx);
      else
        t = new T();
      return {t, [](void *p) { delete static_cast<T *>(p); }};
    };
    state_type_ = &typeid(T);
    return *this;
  }

  // A step that needs no resource: json fn(const json& input, seam::context&).
  // It may take seam::json_view (seam/json_view.hpp) instead of the tree,
  // and return seam::json_text (seam/json_builder.hpp) instead of json.
  template <class Fn> plugin_builder &step(step_spec spec, Fn fn) {
    constexpr bool view = detail::returns_output<Fn, json_view, context &>;
    static_assert(view || detail::returns_output<Fn, const json &, context &>,
                  "a step is json(const json& input, seam::context& ctx) (or takes "
                  "seam::json_view, or returns seam::json_text)");
    auto &s = add_step(spec, SEAM_RESOURCE_NONE, nullptr);
    s.fn = [f = std::move(fn)](void *, std::string_view text, context &ctx) {
      detail::with_input<view>(text, [&](const auto &in) { ctx.set_output(f(in, ctx)); });
    };
    return *this;
  }

  // A step on a resource R (declared with resource<R>):
  // json fn(R& resource, const json& input, seam::context&) (or returning
  // seam::json_text). Its kind is R's unless spec.resource_kind says otherwise.
  template <class R, class Fn> plugin_builder &step(step_spec spec, Fn fn) {
    constexpr bool view = detail::returns_output<Fn, R &, json_view, context &> ||
                          detail::returns_output<Fn, R *, json_view, context &>;
    using input = std::conditional_t<view, json_view, const json &>;
    constexpr bool by_ref = detail::returns_output<Fn, R &, input, context &>;
    constexpr bool by_ptr = detail::returns_output<Fn, R *, input, context &>;
    static_assert(by_ref || by_ptr,
                  "a resource step is json(R& resource, const json& input, seam::context&) (or "
                  "takes seam::json_view, or returns seam::json_text)");
    const resource_entry &r = find_resource<R>("step<R>");
    if (!spec.resource_kind.empty() && spec.resource_kind != r.kind)
      throw std::logic_error("step \"" + spec.name + "\": resource_kind \"" + spec.resource_kind +
                             "\" is not the kind of its resource type (\"" + r.kind + "\")");
    auto &s = add_step(spec, spec.resource, r.kind.empty() ? nullptr : r.kind.c_str());
    s.fn = [f = std::move(fn)](void *res, std::string_view text, context &ctx) {
      if constexpr (by_ref) {
        if (res == nullptr)
          throw error("this step needs a resource (`on = \"NAME\"`)");
      }
      detail::with_input<view>(text, [&](const auto &in) {
        if constexpr (by_ref)
          ctx.set_output(f(*static_cast<R *>(res), in, ctx));
        else
          ctx.set_output(f(static_cast<R *>(res), in, ctx));
      });
    };
    return *this;
  }

  // A kind of resource: open builds an R from the suite's table and may
  // ctx.publish() attributes ${resources.NAME.ATTR}; R's destructor closes
  // it. open is std::unique_ptr<R>(const std::string& name, const json& config,
  // seam::context&). One type per kind. An R with a member
  // `void close(seam::context&)` has it called first, with a context: what it
  // logs or publishes there (a service's last output) is in the run's report.
  template <class R, class OpenFn> plugin_builder &resource(resource_spec spec, OpenFn open) {
    static_assert(std::is_invocable_r_v<std::unique_ptr<R>, OpenFn, const std::string &,
                                        const json &, context &>,
                  "open is std::unique_ptr<R>(const std::string& name, const json& config, "
                  "seam::context& ctx)");
    for (const auto &r : resources_) {
      if (r.type == std::type_index(typeid(R)))
        throw std::logic_error("resource<R>: R already names the kind \"" + r.kind +
                               "\"; each kind needs its own type");
      if (r.kind == spec.kind)
        throw std::logic_error("resource kind \"" + spec.kind + "\" declared twice");
    }
    resources_.emplace_back(std::type_index(typeid(R)));
    resource_entry &r = resources_.back();
    r.kind = std::move(spec.kind);
    r.summary = std::move(spec.summary);
    r.schema = detail::schema_text(strings_, spec.config);
    r.open = [f = std::move(open)](const std::string &name, const json &config,
                                   context &ctx) -> void * {
      return f(name, config, ctx).release();
    };
    r.c.open = &open_resource<R>;
    r.c.close = &close_resource<R>;
    if constexpr (detail::has_close_with_context<R>::value)
      r.c.close_with_context = &close_resource_with_context<R>;
    return *this;
  }

  // Per-test hooks of resource R: begin runs before a test's first step on it
  // and end after its last cleanup step (e.g. begin a transaction, roll it
  // back). Each is void(R& resource, const std::string& test_id, seam::context&).
  template <class R, class BeginFn, class EndFn>
  plugin_builder &test_hooks(BeginFn begin, EndFn end) {
    resource_entry &r = find_resource<R>("test_hooks<R>");
    r.begin = adapt_hook<R>(std::move(begin));
    r.end = adapt_hook<R>(std::move(end));
    r.c.test_begin = &test_begin<R>;
    r.c.test_end = &test_end<R>;
    return *this;
  }

  // ---- The older, positional form (kept so that plugins written for it
  // still compile; new code uses the named-field forms above). ----

  template <class Fn>
  plugin_builder &step(std::string name, std::string summary, json input_schema, json output_schema,
                       Fn fn) {
    return step(step_spec{std::move(name), std::move(summary), std::move(input_schema),
                          std::move(output_schema)},
                std::move(fn));
  }

  template <class R, class OpenFn>
  plugin_builder &resource(std::string summary, json config_schema, OpenFn open) {
    return resource<R>(resource_spec{{}, std::move(summary), std::move(config_schema)},
                       std::move(open));
  }

  template <class R, class Fn>
  plugin_builder &resource_step(std::string name, std::string summary, json input_schema,
                                json output_schema, Fn fn,
                                seam_resource_use use = SEAM_RESOURCE_REQUIRED) {
    static_assert(std::is_invocable_r_v<json, Fn, R *, const json &, context &>,
                  "a resource step is json(R* resource, const json& input, seam::context&)");
    step_spec spec{std::move(name), std::move(summary), std::move(input_schema),
                   std::move(output_schema)};
    spec.resource = use;
    return step<R>(std::move(spec), std::move(fn));
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
    for (auto &r : resources_) {
      r.c.struct_size = sizeof(seam_resource_type);
      r.c.summary = r.summary.c_str();
      r.c.config_schema = r.schema;
      r.c.kind = r.kind.empty() ? nullptr : r.kind.c_str();
      resource_ptrs_.push_back(&r.c);
    }
    // One default kind goes where every host looks (resource_type, ABI
    // 1.0); named or several kinds need a 1.2 host (resource_types).
    if (resources_.size() == 1 && resources_.front().kind.empty()) {
      plugin_.resource_type = &resources_.front().c;
    } else if (!resources_.empty()) {
      plugin_.resource_types = resource_ptrs_.data();
      plugin_.resource_type_count = resource_ptrs_.size();
    }
    plugin_.init = &init;
    plugin_.shutdown = &shutdown;
    return &plugin_;
  }

  // The one builder of this library (each plugin library has its own copy of
  // this inline function, since symbols are hidden).
  static plugin_builder *&instance() {
    static plugin_builder *self = nullptr;
    return self;
  }

private:
  struct step_entry {
    std::string name, summary, kind;
    step_fn fn;
    seam_step c{};
  };

  using hook_fn = std::function<void(void *, const std::string &, context &)>;
  struct resource_entry {
    explicit resource_entry(std::type_index t) : type(t) {}
    std::type_index type;
    std::string kind, summary;
    const char *schema = nullptr;
    std::function<void *(const std::string &, const json &, context &)> open;
    hook_fn begin, end;
    seam_resource_type c{};
  };

  // What init hands the host as the plugin's state: the builder (for the
  // functions registered above) and the plugin's own state.
  struct running {
    plugin_builder *builder;
    detail::state_slot slot;
    void (*destroy)(void *) = nullptr;
  };

  template <class R> resource_entry &find_resource(const char *what) {
    for (auto &r : resources_)
      if (r.type == std::type_index(typeid(R)))
        return r;
    throw std::logic_error(std::string(what) + ": declare resource<R> first, with the same R");
  }

  template <class R, class Fn> static hook_fn adapt_hook(Fn fn) {
    constexpr bool by_ref = std::is_invocable_v<Fn, R &, const std::string &, context &>;
    static_assert(by_ref || std::is_invocable_v<Fn, R *, const std::string &, context &>,
                  "a test hook is void(R& resource, const std::string& test_id, seam::context&)");
    return [f = std::move(fn)](void *r, const std::string &id, context &ctx) {
      if constexpr (by_ref)
        f(*static_cast<R *>(r), id, ctx);
      else
        f(static_cast<R *>(r), id, ctx);
    };
  }

  step_entry &add_step(step_spec &spec, seam_resource_use use, const char *kind) {
    steps_.emplace_back();
    auto &s = steps_.back();
    s.name = std::move(spec.name);
    s.summary = std::move(spec.summary);
    s.kind = kind ? kind : "";
    s.c.input_schema = detail::schema_text(strings_, spec.input);
    s.c.output_schema = detail::schema_text(strings_, spec.output);
    s.c.resource = use;
    s.c.resource_kind = kind ? s.kind.c_str() : nullptr;
    return s;
  }

  static const detail::state_slot *slot_of(void *state) {
    return state ? &static_cast<running *>(state)->slot : nullptr;
  }

  static seam_status run_step(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                              void *state, void *resource, const char *input, size_t len) {
    context c(host, ctx, slot_of(state));
    auto *s = static_cast<step_entry *>(step_data);
    return detail::guarded(
        c, [&] { s->fn(resource, input ? std::string_view(input, len) : std::string_view(), c); });
  }

  static seam_status init(const seam_host_api *host, seam_ctx *ctx, void **state) {
    context c(host, ctx);
    return detail::guarded(c, [&] {
      auto run = std::make_unique<running>();
      run->builder = instance();
      if (run->builder->make_state_) {
        auto [value, destroy] = run->builder->make_state_(c);
        run->slot = {value, run->builder->state_type_};
        run->destroy = destroy;
      }
      *state = run.release();
    });
  }

  static void shutdown(void *state) {
    auto *run = static_cast<running *>(state);
    if (run == nullptr)
      return;
    try {
      if (run->destroy)
        run->destroy(run->slot.value);
    } catch (...) {
    }
    delete run;
  }

  template <class R>
  static seam_status open_resource(const seam_host_api *host, seam_ctx *ctx, void *state,
                                   const char *name, const char *config, size_t len,
                                   void **handle) {
    context c(host, ctx, slot_of(state));
    return detail::guarded(c, [&] {
      *handle =
          instance()->find_resource<R>("open").open(name, detail::parse_input(config, len), c);
    });
  }

  template <class R>
  static seam_status test_begin(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                                const char *test_id) {
    context c(host, ctx, slot_of(state));
    return detail::guarded(
        c, [&] { instance()->find_resource<R>("test_begin").begin(handle, test_id, c); });
  }

  template <class R>
  static void test_end(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                       const char *test_id) {
    context c(host, ctx, slot_of(state));
    detail::guarded(c, [&] { instance()->find_resource<R>("test_end").end(handle, test_id, c); });
  }

  template <class R> static void close_resource(void *, void *handle) {
    try {
      delete static_cast<R *>(handle);
    } catch (...) {
    }
  }

  template <class R>
  static void close_resource_with_context(const seam_host_api *host, seam_ctx *ctx, void *state,
                                          void *handle) {
    context c(host, ctx, slot_of(state));
    detail::guarded(c, [&] { static_cast<R *>(handle)->close(c); });
    close_resource<R>(state, handle);
  }

  std::string name_, version_, summary_;
  std::deque<step_entry> steps_;
  std::deque<resource_entry> resources_;
  std::deque<std::string> strings_;
  std::vector<const seam_step *> step_ptrs_;
  std::vector<const seam_resource_type *> resource_ptrs_;
  std::function<std::pair<void *, void (*)(void *)>(context &)> make_state_;
  const std::type_info *state_type_ = nullptr;
  seam_plugin plugin_{};
};

namespace detail {
// The descriptor of a plugin whose definition threw: no name (the host
// refuses it) and the exception's message as summary, which the host shows
// ("the plugin failed to describe itself: MESSAGE").
inline const seam_plugin *failed_descriptor(const char *message) {
  static std::string text;
  static seam_plugin failed{};
  text = message;
  failed.struct_size = sizeof(seam_plugin);
  failed.abi_major = SEAM_ABI_MAJOR;
  failed.abi_minor = SEAM_ABI_MINOR;
  failed.summary = text.c_str();
  return &failed;
}
} // namespace detail

} // namespace seam

// Defines the plugin's entry function; the block that follows fills in the
// builder named VAR. An exception thrown there yields a descriptor without a
// name whose summary is the exception's message; the host refuses it with
// that message.
#define SEAM_PLUGIN(VAR)                                                                           \
  static void seam_define_plugin_(seam::plugin_builder &VAR);                                      \
  extern "C" SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) {                              \
    static const seam_plugin *descriptor = []() -> const seam_plugin * {                           \
      static seam::plugin_builder builder;                                                         \
      seam::plugin_builder::instance() = &builder;                                                 \
      try {                                                                                        \
        seam_define_plugin_(builder);                                                              \
        return builder.descriptor();                                                               \
      } catch (const std::exception &e) {                                                          \
        return seam::detail::failed_descriptor(e.what());                                          \
      } catch (...) {                                                                              \
        return seam::detail::failed_descriptor("unknown C++ exception in SEAM_PLUGIN");            \
      }                                                                                            \
    }();                                                                                           \
    return descriptor;                                                                             \
  }                                                                                                \
  static void seam_define_plugin_(seam::plugin_builder &VAR)

#endif // SEAM_PLUGIN_HPP
