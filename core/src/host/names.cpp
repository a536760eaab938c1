// Name checks; see names.hpp.
#include "seam/core/host/names.hpp"

namespace seam {

namespace {

bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

bool is_plugin_name(std::string_view s) {
  if (s.empty() || !lower(s.front()))
    return false;
  for (char c : s)
    if (!lower(c) && !digit(c) && c != '_')
      return false;
  return true;
}

bool is_step_name(std::string_view s) {
  for (size_t start = 0;;) {
    size_t dot = s.find('.', start);
    if (!is_plugin_name(s.substr(start, dot == std::string_view::npos ? dot : dot - start)))
      return false;
    if (dot == std::string_view::npos)
      return true;
    start = dot + 1;
  }
}

} // namespace seam
