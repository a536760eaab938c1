// budget.hpp - the time a queue operation may take: the host's deadline for
// the call (with its cancellation), narrowed to the step's own `timeout`
// input, so that every blocking wait of a step draws on one seam::deadline;
// and what the plugin's messages say about it.
#ifndef SEAM_QUEUE_BUDGET_HPP
#define SEAM_QUEUE_BUDGET_HPP

#include <seam/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <string>

namespace seam::queue {

class budget {
public:
  using milliseconds = std::chrono::milliseconds;

  // `host` is the call's deadline (ctx.deadline()), or seam::deadline() for
  // none: then only `timeout` counts.
  budget(milliseconds timeout, const seam::deadline &host)
      : timeout_(std::max(timeout, milliseconds(0))), dl_(host.within(timeout_)) {
    host_bound_ = host.when() && dl_.when() == host.when();
  }

  milliseconds left() const { return std::max(dl_.remaining_ms(), milliseconds(0)); }
  bool cancelled() const { return dl_.cancelled(); }
  bool passed() const { return dl_.done(); }
  const seam::deadline &deadline() const { return dl_; }

  // True when the host's deadline (the step's `timeout`, the test's) comes
  // before the step's own `timeout` input. The host then says that the step
  // timed out, and after how long; the plugin's message only says what it
  // was waiting for.
  bool host_bound() const { return host_bound_; }

  // The step's `timeout` as configured ("5s"), for messages.
  std::string describe() const { return seam::format_duration(timeout_); }
  // " within 5s"; "" when the host reports the time-out itself; and when
  // Ctrl-C ended the wait before any limit did, " before the step was
  // cancelled".
  std::string within() const {
    if (host_bound_)
      return std::string();
    return cancelled() ? " before the step was cancelled" : " within " + describe();
  }
  // How a message about a wait that ran out ends: the hint to raise
  // `timeout` only when that was the limit.
  std::string slow_hint() const {
    return host_bound_ || cancelled() ? "." : "; raise `timeout` if it is only slow.";
  }

  // The same budget, `reserve` earlier: for a wait that must leave time to
  // clean up (put messages back) before the deadline.
  budget minus(milliseconds reserve) const {
    budget b = *this;
    b.dl_ = dl_.minus(reserve);
    return b;
  }

  // The same budget, or `limit` from now if that comes first (a connect
  // timeout); messages then quote `limit`.
  budget capped(milliseconds limit) const {
    budget b = *this;
    b.dl_ = dl_.within(limit);
    if (b.dl_.when() != dl_.when()) {
      b.timeout_ = limit;
      b.host_bound_ = false;
    }
    return b;
  }

private:
  milliseconds timeout_;
  seam::deadline dl_;
  bool host_bound_ = false;
};

} // namespace seam::queue

#endif // SEAM_QUEUE_BUDGET_HPP
