// amqp_wait.hpp - waits on the broker's socket go in slices of the step's
// budget, so that they see the host's cancellation (Ctrl-C) in time.
#ifndef SEAM_QUEUE_AMQP_WAIT_HPP
#define SEAM_QUEUE_AMQP_WAIT_HPP

#include "budget.hpp"

#include <sys/time.h>

#include <algorithm>
#include <chrono>

namespace seam::queue::amqp {

// How often waits look at the host's cancellation.
constexpr std::chrono::milliseconds wait_slice{100};

// The next slice of a wait: what is left of dl, at least 1ms (0 would not
// wait at all) and at most wait_slice.
inline std::chrono::milliseconds next_slice(const budget &dl) {
  return std::clamp(dl.left(), std::chrono::milliseconds(1), wait_slice);
}

inline timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

} // namespace seam::queue::amqp

#endif // SEAM_QUEUE_AMQP_WAIT_HPP
