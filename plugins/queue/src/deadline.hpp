// deadline.hpp - the time a queue operation may take: the smaller of the
// step's own `timeout` input and what the host's step deadline leaves, and
// the host's cancellation (Ctrl-C), so that every blocking wait of a step
// draws on one budget and can be cut short.
#ifndef SEAM_QUEUE_DEADLINE_HPP
#define SEAM_QUEUE_DEADLINE_HPP

#include <seam/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace seam_queue {

class deadline {
public:
  using clock = std::chrono::steady_clock;
  using milliseconds = std::chrono::milliseconds;

  // ctx may be null (then only `timeout` counts).
  deadline(milliseconds timeout, const seam::context *ctx)
      : ctx_(ctx), timeout_(std::max(timeout, milliseconds(0))) {
    auto now = clock::now();
    at_ = now + timeout_;
    if (ctx != nullptr) {
      if (auto host = ctx->remaining(); host && *host < timeout_) {
        // The host counts in whole milliseconds, rounded down: one more
        // makes sure its own clock says "passed" first (see passed()), so
        // that it reports the time-out with its own figure.
        at_ = now + *host + milliseconds(1);
        host_bound_ = true;
      }
    }
  }

  milliseconds left() const {
    auto d = std::chrono::duration_cast<milliseconds>(at_ - clock::now());
    return std::max(d, milliseconds(0));
  }

  bool cancelled() const { return ctx_ != nullptr && ctx_->cancelled(); }
  bool passed() const { return clock::now() >= at_ || cancelled(); }

  // True when the host's deadline (the step's `timeout`, the test's) comes
  // before the step's own `timeout` input. The host then says that the step
  // timed out, and after how long; the plugin's message only says what it
  // was waiting for.
  bool host_bound() const { return host_bound_; }

  // The step's `timeout` as configured ("5s"), for messages.
  std::string describe() const { return format(timeout_); }
  // " within 5s", or "" when the host reports the time-out itself.
  std::string within() const { return host_bound_ ? std::string() : " within " + describe(); }

  // The same deadline, `reserve` earlier: for a wait that must leave time to
  // clean up (put messages back) before the deadline.
  deadline minus(milliseconds reserve) const {
    deadline d = *this;
    d.at_ = std::max(at_ - reserve, std::min(at_, clock::now()));
    return d;
  }

  // The same deadline, or `limit` from now if that comes first (a connect
  // timeout); messages then quote `limit`.
  deadline capped(milliseconds limit) const {
    deadline d = *this;
    auto at = clock::now() + limit;
    if (at < at_) {
      d.at_ = at;
      d.timeout_ = limit;
      d.host_bound_ = false;
    }
    return d;
  }

  static std::string format(milliseconds d) {
    char buf[32];
    auto ms = d.count();
    if (ms % 1000 == 0)
      std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
    else if (ms > 1000)
      std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
    else
      std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
    return buf;
  }

private:
  const seam::context *ctx_;
  milliseconds timeout_;
  clock::time_point at_;
  bool host_bound_ = false;
};

} // namespace seam_queue

#endif // SEAM_QUEUE_DEADLINE_HPP
