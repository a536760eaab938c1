// config_duration.hpp - a duration from a resource's table ("200ms", "2s"),
// with the one error message every table of the pack gives for a bad one.
#pragma once

#include <seam/duration.hpp>
#include <seam/plugin.hpp>

#include <chrono>
#include <string>

namespace seam_stripe {

// table[key] as a duration, `fallback` when absent. Throws seam::error naming
// WHERE.KEY and the value when it is not a duration.
inline std::chrono::microseconds config_duration(const seam::json &table, const char *key,
                                                 const std::string &where,
                                                 std::chrono::microseconds fallback) {
  auto it = table.find(key);
  if (it == table.end())
    return fallback;
  auto d = it->is_string() ? seam::parse_duration(it->get<std::string>()) : std::nullopt;
  if (!d)
    throw seam::error(where + "." + key + " is " + it->dump() +
                      ", not a duration; hint: write it with a unit, such as \"200ms\" or \"2s\"");
  return *d;
}

} // namespace seam_stripe
