// address.cpp - parsing of "HOST:PORT".
#include "address.hpp"

#include <seam/plugin.hpp>

#include <charconv>

namespace seam_net {

address parse_address(std::string_view text, const std::string &what) {
  std::string example = what.find("listen") != std::string::npos
                            ? "\"127.0.0.1:0\" (0: a free port)"
                            : "\"127.0.0.1:5432\" or \"[::1]:5432\"";
  auto bad = [&](const std::string &why) {
    return seam::error(what + " \"" + std::string(text) + "\" is not HOST:PORT (" + why +
                       "); write e.g. " + example);
  };
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos)
    throw bad("no port");
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string_view::npos)
    throw bad("an IPv6 address goes in brackets");
  if (host.empty())
    throw bad("no host");
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':'))
      throw bad("the host has a '" + std::string(1, c) + "'");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
    throw bad("the port must be a number from 0 to 65535");
  return address{std::string(host), static_cast<uint16_t>(value)};
}

} // namespace seam_net
