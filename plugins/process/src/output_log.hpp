// output_log.hpp - a service's captured output: a bounded ring of bytes with
// marks (byte offsets since the resource opened) that steps pass around.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace seam_process {

class output_log {
public:
  explicit output_log(size_t capacity);

  void append(const char *data, size_t len);

  // The offset just past the last byte written so far.
  uint64_t mark() const;

  struct slice {
    std::string text;
    uint64_t from = 0;      // offset of text's first byte
    uint64_t to = 0;        // offset just past its last byte: the next mark
    bool truncated = false; // bytes after `since` were already dropped
  };
  // Everything kept from offset `since` on.
  slice since(uint64_t since) const;

  // The last n lines kept (for error messages), joined with '\n'.
  std::string tail(size_t lines) const;

  // Waits until more than `seen` bytes were written, or until `until`.
  void wait_past(uint64_t seen, std::chrono::steady_clock::time_point until) const;

  // Wakes waiters (the process exited: nothing more will come).
  void notify() const;

private:
  size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<char> ring_;
  uint64_t total_ = 0; // bytes ever written; ring_ holds the last min(total_, capacity_)
};

// Splits text in lines (without their '\n'; a last line without one counts).
std::vector<std::string> split_lines(const std::string &text);

} // namespace seam_process
