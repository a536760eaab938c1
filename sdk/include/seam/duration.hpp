// seam/duration.hpp - durations as suites write them ("250ms", "2s", "1.5s",
// "1m", "500us", "1h"): parsed by the host (timeouts, retry delays) and by
// plugins (their own `timeout`-like inputs) with one set of rules.
#ifndef SEAM_DURATION_HPP
#define SEAM_DURATION_HPP

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace seam {

// nullopt for anything else (a bare number has no unit and is refused).
inline std::optional<std::chrono::microseconds> parse_duration(std::string_view text) {
  size_t i = 0;
  double value = 0;
  bool digits = false, dot = false;
  double scale = 1;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (dot) {
        scale /= 10;
        value += (c - '0') * scale;
      } else {
        value = value * 10 + (c - '0');
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits)
    return std::nullopt;
  std::string_view unit = text.substr(i);
  double us;
  if (unit == "us")
    us = value;
  else if (unit == "ms")
    us = value * 1e3;
  else if (unit == "s")
    us = value * 1e6;
  else if (unit == "m")
    us = value * 60e6;
  else if (unit == "h")
    us = value * 3600e6;
  else
    return std::nullopt;
  if (us > 9.2e18)
    return std::nullopt;
  return std::chrono::microseconds(static_cast<int64_t>(us + 0.5));
}

// A duration for messages, in the syntax parse_duration reads: "5s", "1.5s",
// "250ms".
inline std::string format_duration(std::chrono::milliseconds d) {
  char buf[32];
  auto ms = static_cast<long long>(d.count());
  if (ms % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%llds", ms / 1000);
  else if (ms > 1000)
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  else
    std::snprintf(buf, sizeof buf, "%lldms", ms);
  return buf;
}

} // namespace seam

#endif // SEAM_DURATION_HPP
