// seam/deadline.hpp - the time a plugin call may take, as one value.
//
// ctx.deadline() is the host's deadline for the call (the step's `timeout`,
// the test's, --timeout) and carries the host's cancellation (Ctrl-C): every
// blocking wait of a step draws on it, narrowed where the plugin has its own
// limit (deadline.within(5s)). A deadline is a plain value: copy it to the
// plugin's own threads; it stays usable while the call runs (the host's
// cancelled() may be asked from any thread until the call returns).
#ifndef SEAM_DEADLINE_HPP
#define SEAM_DEADLINE_HPP

#include <seam/plugin.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace seam {

class deadline {
public:
  using clock = std::chrono::steady_clock;

  // No deadline: never expires, never cancelled.
  deadline() = default;

  static deadline at(clock::time_point when) {
    deadline d;
    d.at_ = when;
    return d;
  }
  template <class Rep, class Period> static deadline after(std::chrono::duration<Rep, Period> d) {
    return at(clock::now() + std::chrono::duration_cast<clock::duration>(d));
  }

  // The host's deadline of the call in `ctx` (what context::deadline() gives).
  static deadline of_call(const seam_host_api *host, seam_ctx *ctx) {
    deadline d;
    d.host_ = host;
    d.ctx_ = ctx;
    int64_t ms = host->remaining_ms(ctx);
    // The host counts whole milliseconds, rounded down: one more makes sure
    // its own clock says "passed" first, so that it reports the time-out with
    // its own figure rather than the plugin with a vaguer one.
    if (ms >= 0)
      d.at_ = clock::now() + std::chrono::milliseconds(ms + 1);
    return d;
  }

  // When it expires; nullopt when never.
  std::optional<clock::time_point> when() const { return at_; }
  bool has_limit() const { return at_.has_value(); }

  // Time left: zero once passed, clock::duration::max() without a limit.
  clock::duration remaining() const {
    if (!at_)
      return clock::duration::max();
    return std::max(*at_ - clock::now(), clock::duration::zero());
  }
  std::chrono::milliseconds remaining_ms() const {
    if (!at_)
      return std::chrono::milliseconds::max();
    return std::chrono::duration_cast<std::chrono::milliseconds>(remaining());
  }

  // The time has passed (cancellation aside).
  bool expired() const { return at_ && clock::now() >= *at_; }
  // The host wants the call to stop (Ctrl-C, the test's own deadline).
  bool cancelled() const { return host_ != nullptr && host_->cancelled(ctx_) != 0; }
  // Time to give up: expired or cancelled.
  bool done() const { return expired() || cancelled(); }

  // `slice`, or what is left if that is less: the bound of one wait in a
  // loop that checks done() between waits.
  template <class Rep, class Period>
  clock::duration bounded(std::chrono::duration<Rep, Period> slice) const {
    auto s = std::chrono::duration_cast<clock::duration>(slice);
    return std::min(s, remaining());
  }

  // This deadline, or `limit` from now if that comes first (a step's own
  // `timeout` input, a connect timeout). Keeps the cancellation.
  template <class Rep, class Period>
  deadline within(std::chrono::duration<Rep, Period> limit) const {
    deadline d = *this;
    auto at = clock::now() + std::chrono::duration_cast<clock::duration>(limit);
    if (!at_ || at < *at_)
      d.at_ = at;
    return d;
  }

  // The same deadline, `reserve` earlier (but not before now): for a wait
  // that must leave time to clean up before the real deadline.
  template <class Rep, class Period>
  deadline minus(std::chrono::duration<Rep, Period> reserve) const {
    deadline d = *this;
    if (at_)
      d.at_ = std::max(*at_ - std::chrono::duration_cast<clock::duration>(reserve),
                       std::min(*at_, clock::now()));
    return d;
  }

  // The earlier of two deadlines (with this one's cancellation, or the other's).
  deadline earliest(const deadline &other) const {
    deadline d = *this;
    if (other.at_ && (!at_ || *other.at_ < *at_))
      d.at_ = other.at_;
    if (d.host_ == nullptr) {
      d.host_ = other.host_;
      d.ctx_ = other.ctx_;
    }
    return d;
  }

  // The same time limit without the host's cancellation: for work that
  // outlives the call (a resource's own threads after open returned).
  deadline detached() const {
    deadline d = *this;
    d.host_ = nullptr;
    d.ctx_ = nullptr;
    return d;
  }

private:
  std::optional<clock::time_point> at_;
  const seam_host_api *host_ = nullptr;
  seam_ctx *ctx_ = nullptr;
};

} // namespace seam

#endif // SEAM_DEADLINE_HPP
