// What plugins, resource kinds, steps and pack fields may be called. Plain
// character checks rather than std::regex: a std::regex at namespace scope is
// compiled before main() by every seam command (about 0.1 ms each), and
// matching one costs a locale look-up per character.
#pragma once

#include <string_view>

namespace seam {

// A plugin, a resource kind, one part of a step name: [a-z][a-z0-9_]*.
bool is_plugin_name(std::string_view s);
// Parts joined by dots, as APIs group their calls: "payment_intents.create".
bool is_step_name(std::string_view s);

} // namespace seam
