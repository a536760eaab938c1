// The platform this seam runs on, named as pack manifests name it.
#include "seam/core/host/pack/platform.hpp"

#include <regex>

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

bool valid_platform(const std::string &name) {
  static const std::regex re("^[a-z][a-z0-9]*-[a-z0-9_]+$");
  return std::regex_match(name, re);
}

} // namespace seam::pack
