// The platform this seam runs on, named as pack manifests name it.
#include "seam/core/host/pack/platform.hpp"

#include <string_view>

namespace seam::pack {

std::string host_platform() {
#if defined(__linux__)
  std::string os = "linux";
#elif defined(__APPLE__)
  std::string os = "macos";
#elif defined(_WIN32)
  std::string os = "windows";
#else
  std::string os = "unknown";
#endif
#if defined(__x86_64__) || defined(_M_X64)
  return os + "-x86_64";
#elif defined(__aarch64__) || defined(_M_ARM64)
  return os + "-aarch64";
#elif defined(__riscv) && __riscv_xlen == 64
  return os + "-riscv64";
#elif defined(__i386__)
  return os + "-x86";
#elif defined(__arm__)
  return os + "-arm";
#else
  return os + "-unknown";
#endif
}

// OS-MACHINE: [a-z][a-z0-9]*-[a-z0-9_]+
bool valid_platform(const std::string &name) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  size_t dash = name.find('-');
  if (dash == 0 || dash == std::string::npos || dash + 1 == name.size() || name[0] < 'a' ||
      name[0] > 'z')
    return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (i != dash && !lower_or_digit(name[i]) && !(i > dash && name[i] == '_'))
      return false;
  return true;
}

} // namespace seam::pack
