#include "size_option.hpp"

#include <cctype>
#include <limits>

namespace seam {

std::optional<uint64_t> parse_size(const std::string &text) {
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > std::numeric_limits<uint64_t>::max() / 10)
      return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(text[i++] - '0');
  }
  if (i == 0)
    return std::nullopt;
  std::string unit = text.substr(i);
  int shift = 0;
  if (unit.empty() || unit == "B")
    shift = 0;
  else if (unit == "K" || unit == "KiB")
    shift = 10;
  else if (unit == "M" || unit == "MiB")
    shift = 20;
  else if (unit == "G" || unit == "GiB")
    shift = 30;
  else if (unit == "T" || unit == "TiB")
    shift = 40;
  else
    return std::nullopt;
  if (shift > 0 && n > (std::numeric_limits<uint64_t>::max() >> shift))
    return std::nullopt;
  return n << shift;
}

} // namespace seam
