// The values that must never leave the process: secret variables, and what
// plugins report (passwords in URLs, tokens). Every string bound for output,
// reports or logs goes through mask().
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

class Secrets {
public:
  void add(std::string_view value);
  // Called with each new value add() is given (not its forms), outside the
  // lock: a worker process tells its parent (core/src/run/worker.cpp). Set
  // before any thread may add.
  void on_add(std::function<void(std::string_view)> f) { on_add_ = std::move(f); }
  bool empty() const { return count_.load(std::memory_order_acquire) == 0; }

  std::string mask(std::string_view text) const;
  // Masks every string (and key) in a JSON value.
  nlohmann::json mask_json(const nlohmann::json &value) const;
  void mask_in_place(std::string &text) const;

private:
  mutable std::mutex mu_;
  std::vector<std::string> values_; // longest first
  std::atomic<size_t> count_{0};
  std::function<void(std::string_view)> on_add_;
};

} // namespace seam
