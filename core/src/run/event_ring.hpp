// The road a worker's events take to its parent: a ring of bytes in memory
// the two share. The worker copies each finished test's frames into it - no
// system call, and nothing is lost if the worker dies right after, as the
// parent reads the ring once it has seen the worker end. The worker wakes
// the parent (a byte on a pipe) only when something cannot wait: the suite
// ended, a test failed, a test started under --jobs (when a reporter shows
// the running tests), or the ring is half full; otherwise the parent takes
// the frames when its watch wakes it. A pipe write per test woke the parent
// a thousand times a second and cost a third of a probe.noop step. Private
// to core/src/run.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace seam::stream {

class Reader;

class EventRing {
public:
  static constexpr size_t kSize = 4u << 20; // touched only as far as it is used

  // A ring in memory that a fork shares (mmap MAP_SHARED); throws
  // std::runtime_error if it cannot be mapped. Never unmapped: a runner
  // keeps one for all its workers.
  static EventRing *map();
  // Empty, before a worker is forked.
  void reset();

  // The worker's side. Copies `n` bytes in, waiting for the parent to make
  // room when the ring is full (a frame may be larger than the ring). Wakes
  // the parent through `wake_fd` when `wake`, when the ring is half full, or
  // while it waits for room.
  void put(const char *data, size_t n, bool wake, int wake_fd);

  // The parent's side: appends what the worker put since the last take to
  // `reader`, and lets a worker that waits for room go on.
  void take(Reader &reader);

private:
  static void wake_parent(int wake_fd);
  std::atomic<uint64_t> head_{0};    // bytes put, ever (the worker writes it)
  std::atomic<uint64_t> tail_{0};    // bytes taken, ever (the parent writes it)
  std::atomic<uint32_t> taken_{0};   // a futex word: bumped by every take
  std::atomic<uint32_t> waiting_{0}; // 1 while the worker waits for room
  char data_[kSize];
};

} // namespace seam::stream
