// deadline.hpp - the time a queue operation may take: the smaller of the
// step's own `timeout` input and what the host's step deadline leaves, and
// the host's cancellation (Ctrl-C), so blocking waits can be cut short.
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

  // ctx may be null (then only `timeout` counts).
  deadline(std::chrono::milliseconds timeout, const seam::context *ctx) : ctx_(ctx) {
    budget_ = timeout;
    if (ctx != nullptr) {
      if (auto host = ctx->remaining(); host && *host < budget_)
        budget_ = *host;
    }
    budget_ = std::max(budget_, std::chrono::milliseconds(0));
    at_ = clock::now() + budget_;
  }

  std::chrono::milliseconds left() const {
    auto d = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - clock::now());
    return std::max(d, std::chrono::milliseconds(0));
  }

  bool cancelled() const { return ctx_ != nullptr && ctx_->cancelled(); }
  bool passed() const { return clock::now() >= at_ || cancelled(); }

  // The time the operation was given, for messages ("within 5s").
  std::chrono::milliseconds budget() const { return budget_; }
  std::string describe() const { return format(budget_); }

  static std::string format(std::chrono::milliseconds d) {
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
  std::chrono::milliseconds budget_{};
  clock::time_point at_;
};

} // namespace seam_queue

#endif // SEAM_QUEUE_DEADLINE_HPP
