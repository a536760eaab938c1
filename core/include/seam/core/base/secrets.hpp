// The values that must never leave the process: secret variables, and what
// plugins report (passwords in URLs, tokens). Every string bound for output,
// reports or logs goes through mask().
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

class Secrets {
public:
  void add(std::string_view value);
  bool empty() const { return count_.load(std::memory_order_acquire) == 0; }

  std::string mask(std::string_view text) const;
  // Masks every string (and key) in a JSON value.
  nlohmann::json mask_json(const nlohmann::json &value) const;
  void mask_in_place(std::string &text) const;

private:
  mutable std::mutex mu_;
  std::vector<std::string> values_; // longest first
  std::atomic<size_t> count_{0};
};

} // namespace seam
