// address.hpp - "HOST:PORT" as suites write listen and upstream addresses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seam_net {

struct address {
  std::string host; // without the brackets of an IPv6 literal
  uint16_t port = 0;
};

// Parses "127.0.0.1:8080", "localhost:0", "[::1]:5432". Throws seam::error
// naming `what` (e.g. "net: `upstream`") and the text when it is no such thing.
address parse_address(std::string_view text, const std::string &what);

} // namespace seam_net
