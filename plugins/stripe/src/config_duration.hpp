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
  if (!it->is_string())
    throw seam::error(where + "." + key + " is " + it->dump() +
                      ", not a duration; hint: write it with a unit, such as \"200ms\" or \"2s\"");
  auto d = seam::read_duration(it->get<std::string>());
  if (!d.value)
    throw seam::error(where + "." + key + ": " + d.message);
  return *d.value;
}

} // namespace seam_stripe
