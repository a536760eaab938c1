// A worker's events on their way to the parent (event_ring.hpp).
#include "event_ring.hpp"

#include "event_stream.hpp"

#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <new>
#include <stdexcept>
#include <string>

namespace seam::stream {

static_assert(std::atomic<uint64_t>::is_always_lock_free &&
                  std::atomic<uint32_t>::is_always_lock_free,
              "the ring's counters are shared between processes");

EventRing *EventRing::map() {
  void *p =
      ::mmap(nullptr, sizeof(EventRing), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw std::runtime_error(std::string("cannot map memory for a worker's events: ") +
                             std::strerror(errno));
  // Default-initialised: the counters are set, the data is left as the
  // kernel gave it and touched only as it is used.
  return new (p) EventRing;
}

void EventRing::reset() {
  head_.store(0);
  tail_.store(0);
  taken_.store(0);
  waiting_.store(0);
}

void EventRing::wake_parent(int wake_fd) {
  char byte = 1;
  ssize_t n;
  while ((n = ::write(wake_fd, &byte, 1)) < 0 && errno == EINTR) {
  }
  // A full pipe has a wake-up in it already; a closed one means the parent
  // is gone, and nobody is left to report to.
  if (n < 0 && errno != EAGAIN)
    ::_exit(1);
}

void EventRing::put(const char *data, size_t n, bool wake, int wake_fd) {
  uint64_t head = head_.load(std::memory_order_relaxed);
  while (n > 0) {
    uint64_t used = head - tail_.load(std::memory_order_acquire);
    if (used == kSize) {
      // Full: the parent must take some first. The word is read before the
      // ring is looked at again, so a take in between ends the wait at once.
      uint32_t seen = taken_.load();
      waiting_.store(1);
      if (head - tail_.load() == kSize) {
        wake_parent(wake_fd);
        timespec limit{0, 100'000'000}; // and look again, whatever woke it
        ::syscall(SYS_futex, reinterpret_cast<uint32_t *>(&taken_), FUTEX_WAIT, seen, &limit,
                  nullptr, 0);
      }
      waiting_.store(0);
      continue;
    }
    size_t at = static_cast<size_t>(head % kSize);
    size_t k = std::min({n, static_cast<size_t>(kSize - used), kSize - at});
    std::memcpy(data_ + at, data, k);
    head += k;
    head_.store(head, std::memory_order_release);
    data += k;
    n -= k;
  }
  if (wake || head - tail_.load(std::memory_order_relaxed) >= kSize / 2)
    wake_parent(wake_fd);
}

void EventRing::take(Reader &reader) {
  uint64_t head = head_.load(std::memory_order_acquire);
  uint64_t tail = tail_.load(std::memory_order_relaxed);
  while (tail < head) {
    size_t at = static_cast<size_t>(tail % kSize);
    size_t k = static_cast<size_t>(std::min<uint64_t>(head - tail, kSize - at));
    reader.append(data_ + at, k);
    tail += k;
  }
  tail_.store(tail, std::memory_order_release);
  taken_.fetch_add(1);
  if (waiting_.load())
    ::syscall(SYS_futex, reinterpret_cast<uint32_t *>(&taken_), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

} // namespace seam::stream
