// seam/duration.hpp - durations as suites write them ("250ms", "2s", "1.5s",
// "1m", "500us", "1h"): parsed by the host (timeouts, retry delays) and by
// plugins (their own `timeout`-like inputs) with one set of rules, up to ten
// years.
#ifndef SEAM_DURATION_HPP
#define SEAM_DURATION_HPP

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace seam {

// The longest duration seam takes: ten years (of 365.25 days). A deadline
// "now + d" must fit the steady clock's nanoseconds (about 292 years from
// its epoch); anything longer is a typo, not a wait.
inline constexpr std::chrono::hours max_duration{87660};

// What read_duration made of a text: the duration, or why it is none.
struct duration_reading {
  std::optional<std::chrono::microseconds> value;
  // Why it is refused, without the text: "it has no unit (...)", "it is
  // longer than 10 years (...)". Empty when value is set.
  std::string reason;
  bool too_long = false; // a well-formed duration over max_duration
  // The reason with the text (clipped to 40 bytes), for a message:
  // "'99999999h' is longer than 10 years (87660h), the longest seam takes".
  std::string message;
};

// "250ms", "2s", "1.5s", "1m", "500us", "1h": a number and a unit. Anything
// else, and anything over max_duration (an overflow included), is refused
// with the reason.
inline duration_reading read_duration(std::string_view text) {
  duration_reading r;
  auto refuse = [&](std::string reason, bool too_long = false) {
    std::string shown(text.substr(0, 40));
    if (text.size() > 40)
      shown += "...";
    r.reason = std::move(reason);
    r.too_long = too_long;
    r.message = "'" + shown + "' " + r.reason;
    return r;
  };
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
        value = value * 10 + (c - '0'); // inf after ~308 digits: refused below
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits)
    return refuse("is not a duration: a number and a unit, such as \"500ms\" or \"2s\"");
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
  else if (unit.empty())
    return refuse("has no unit: us, ms, s, m or h, such as \"500ms\"");
  else
    return refuse("has no known unit: us, ms, s, m or h, such as \"500ms\"");
  constexpr double max_us = std::chrono::duration<double, std::micro>(max_duration).count();
  if (!(us <= max_us))
    return refuse("is longer than 10 years (87660h), the longest duration seam takes", true);
  r.value = std::chrono::microseconds(static_cast<int64_t>(us + 0.5));
  return r;
}

// The duration, or nullopt (read_duration says why).
inline std::optional<std::chrono::microseconds> parse_duration(std::string_view text) {
  return read_duration(text).value;
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
