// output_log.cpp - see output_log.hpp.
#include "output_log.hpp"

#include <algorithm>

namespace seam_process {

output_log::output_log(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  ring_.resize(capacity_);
}

void output_log::append(const char *data, size_t len) {
  {
    std::lock_guard lock(mu_);
    if (len > capacity_) { // only the end can be kept
      total_ += len - capacity_;
      data += len - capacity_;
      len = capacity_;
    }
    size_t pos = total_ % capacity_;
    size_t first = std::min(len, capacity_ - pos);
    std::copy(data, data + first, ring_.begin() + static_cast<std::ptrdiff_t>(pos));
    std::copy(data + first, data + len, ring_.begin());
    total_ += len;
  }
  cv_.notify_all();
}

uint64_t output_log::mark() const {
  std::lock_guard lock(mu_);
  return total_;
}

output_log::slice output_log::since(uint64_t since) const {
  std::lock_guard lock(mu_);
  slice s;
  uint64_t oldest = total_ > capacity_ ? total_ - capacity_ : 0;
  s.truncated = since < oldest;
  s.from = std::clamp(since, oldest, total_);
  s.to = total_;
  s.text.reserve(static_cast<size_t>(s.to - s.from));
  for (uint64_t i = s.from; i < s.to; ++i)
    s.text.push_back(ring_[i % capacity_]);
  return s;
}

std::string output_log::tail(size_t lines) const {
  std::string all = since(0).text;
  while (!all.empty() && all.back() == '\n')
    all.pop_back();
  size_t pos = all.size();
  for (size_t n = 0; n < lines && pos > 0; ++n) {
    size_t nl = all.rfind('\n', pos - 1);
    pos = nl == std::string::npos ? 0 : nl;
  }
  return all.substr(pos == 0 ? 0 : pos + 1);
}

void output_log::wait_past(uint64_t seen, std::chrono::steady_clock::time_point until) const {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, until, [&] { return total_ > seen; });
}

void output_log::notify() const {
  { std::lock_guard lock(mu_); }
  cv_.notify_all();
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

} // namespace seam_process
