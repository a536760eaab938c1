// ascii.hpp - ASCII case folding for what HTTP compares without case (header
// names, URL schemes, host names), the same in every locale.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace seam::http {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ascii_lower);
  return s;
}

inline std::string lower(std::string_view s) { return lower(std::string(s)); }

} // namespace seam::http
