// worker_pool.cpp - see worker_pool.hpp.
#include "worker_pool.hpp"

#include <algorithm>

namespace seam::http {

worker_pool::worker_pool(size_t initial, size_t limit) : limit_(std::max(limit, size_t{1})) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < initial && threads_.size() < limit_; ++i)
    start_thread();
}

// httplib calls shutdown() itself before it deletes the queue; this covers a
// pool destroyed without it.
worker_pool::~worker_pool() { worker_pool::shutdown(); }

void worker_pool::start_thread() {
  ++idle_;
  threads_.emplace_back([this] { work(); });
}

void worker_pool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(fn));
    // Each queued job needs an idle thread; a connection must never wait for
    // another client's idle keep-alive connection to time out.
    if (!shutdown_ && jobs_.size() > idle_ && threads_.size() < limit_)
      start_thread();
  }
  ready_.notify_one();
}

void worker_pool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    threads.swap(threads_);
  }
  ready_.notify_all();
  for (auto &t : threads)
    if (t.joinable())
      t.join();
}

size_t worker_pool::threads() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

void worker_pool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
      if (jobs_.empty())
        return; // shutting down, nothing left to serve
      job = std::move(jobs_.front());
      jobs_.pop_front();
      --idle_;
    }
    job();
    std::lock_guard lock(mutex_);
    ++idle_;
  }
}

} // namespace seam::http
