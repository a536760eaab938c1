// worker_pool.hpp - the mock server's threads: as many as its connections need.
//
// cpp-httplib serves each connection on one task-queue thread for as long as
// the connection lives, idle keep-alive waits included. A fixed pool stalls as
// soon as clients hold more idle connections than it has threads (a service
// under test with a connection pool of its own does exactly that), so this
// pool starts a thread whenever a connection arrives and none is free, up to
// a limit far above what a test opens.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace seam::http {

class worker_pool : public httplib::TaskQueue {
public:
  // Starts `initial` threads now; grows to at most `limit`.
  worker_pool(size_t initial, size_t limit);
  ~worker_pool() override;
  worker_pool(const worker_pool &) = delete;
  worker_pool &operator=(const worker_pool &) = delete;

  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then joins every thread.
  void shutdown() override;

  size_t threads() const;

private:
  void work();
  void start_thread(); // mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  size_t limit_;
  bool shutdown_ = false;
};

} // namespace seam::http
