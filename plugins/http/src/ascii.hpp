// ascii.hpp - ASCII case folding for what HTTP compares without case (header
// names, URL schemes, host names), the same in every locale.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace seam::http {

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline std::string lower(std::string_view s) { return lower(std::string(s)); }

} // namespace seam::http
