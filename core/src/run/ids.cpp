// Run ids, UUIDs, timestamps and durations as reports and ${...} show them.
#include "run_state.hpp"

#include <seam/duration.hpp>

#include <cstdio>
#include <ctime>
#include <random>

namespace seam {

std::string iso_now() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  // Written by hand: strftime reads the time zone (/etc/localtime) on every
  // call, which a UTC time never needs.
  char out[96];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return out;
}

namespace {

std::mt19937_64 &rng() {
  thread_local std::mt19937_64 g{std::random_device{}()};
  return g;
}

} // namespace

std::string random_hex(size_t n) {
  static const char *hex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i)
    s += hex[rng()() & 15];
  return s;
}

std::string uuid4() {
  std::string h = random_hex(32);
  h[12] = '4';
  h[16] = "89ab"[rng()() & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string duration_text(Micros d) {
  if (d.count() % 1000 == 0)
    return format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fms", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

std::string failure_text(const CallResult &r) {
  return r.status == CallStatus::Unavailable ? "unavailable: " + r.error : r.error;
}

} // namespace seam
