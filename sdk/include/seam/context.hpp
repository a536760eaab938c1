// seam/context.hpp - what a C++ plugin's code sees of the host during one
// call: cancellation and the deadline, logs, secrets, the host's matcher,
// the test's id, the plugin's own state. Also the exceptions that end a call.
#ifndef SEAM_CONTEXT_HPP
#define SEAM_CONTEXT_HPP

#include <seam/deadline.hpp>
#include <seam/json_builder.hpp>
#include <seam/json_write.hpp>
#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>

namespace seam {

using json = nlohmann::json;

// Thrown by a step to fail with a message; any std::exception works the same.
class error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Thrown when a dependency cannot be reached (server down, connection
// refused): the call returns SEAM_UNAVAILABLE with the message, and a
// resource open that throws it lets `seam run --skip-unavailable` skip the
// suite. The message says what is missing; no "unavailable:" prefix.
class unavailable : public error {
public:
  using error::error;
};

namespace detail {
// The plugin's state as the framework keeps it (see plugin_builder::state).
struct state_slot {
  void *value = nullptr;
  const std::type_info *type = nullptr;
};
} // namespace detail

// The host services available during one call.
class context {
public:
  context(const seam_host_api *host, seam_ctx *ctx, const detail::state_slot *state = nullptr)
      : host_(host), ctx_(ctx), state_(state) {}

  // True once the host wants the call to stop (deadline passed, Ctrl-C).
  // May be asked from the plugin's own threads while the call runs.
  bool cancelled() const { return host_->cancelled(ctx_) != 0; }

  // The call's deadline, with the host's cancellation: pass it to the
  // plugin's own waits (deadline.bounded(50ms), deadline.within(timeout)).
  seam::deadline deadline() const { return seam::deadline::of_call(host_, ctx_); }

  // Time left before the call's deadline; nullopt when it has none. (The
  // older form of deadline().remaining_ms().)
  std::optional<std::chrono::milliseconds> remaining() const {
    int64_t ms = host_->remaining_ms(ctx_);
    if (ms < 0)
      return std::nullopt;
    return std::chrono::milliseconds(ms);
  }

  // The plugin's state (declared with plugin.state<T>()); throws
  // std::logic_error when T is not the declared type.
  template <class T> T &state() const {
    if (state_ == nullptr || state_->type == nullptr || *state_->type != typeid(T))
      throw std::logic_error(std::string("ctx.state<") + typeid(T).name() +
                             ">(): the plugin declares no state of that type "
                             "(plugin.state<T>() in SEAM_PLUGIN)");
    return *static_cast<T *>(state_->value);
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
    std::string e = expect.dump();
    std::string d = document.dump(-1, ' ', false, json::error_handler_t::replace);
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
    std::string text = write_json(value);
    host_->set_output(ctx_, text.data(), text.size());
  }
  void set_output(const json_text &text) const {
    host_->set_output(ctx_, text.str().data(), text.str().size());
  }
  void set_error(std::string_view message) const {
    host_->set_error(ctx_, message.data(), message.size());
  }

private:
  const seam_host_api *host_;
  seam_ctx *ctx_;
  const detail::state_slot *state_;
};

} // namespace seam

#endif // SEAM_CONTEXT_HPP
