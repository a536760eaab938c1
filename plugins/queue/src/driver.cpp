// driver.cpp - the registry of queue drivers by URL scheme, and what all
// drivers share: URL masking and the message document.
#include "driver.hpp"

#include <array>
#include <cstdint>

namespace seam_queue {

namespace {

// Adding a broker: implement `driver`, add its scheme(s) here.
const std::array<driver_entry, 1> &drivers() {
  static const std::array<driver_entry, 1> table{{
      {"amqp", "RabbitMQ and other AMQP 0-9-1 brokers (rabbitmq-c)", make_amqp_driver},
  }};
  return table;
}

} // namespace

const driver_entry *find_driver(std::string_view scheme) {
  for (const auto &d : drivers())
    if (d.scheme == scheme)
      return &d;
  return nullptr;
}

std::string known_schemes() {
  std::string out;
  for (const auto &d : drivers()) {
    if (!out.empty())
      out += ", ";
    out += std::string(d.scheme) + "://";
  }
  return out;
}

std::string url_scheme(std::string_view url) {
  auto pos = url.find("://");
  if (pos == std::string_view::npos || pos == 0)
    return {};
  std::string scheme(url.substr(0, pos));
  for (auto &c : scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

std::pair<std::string, std::string> mask_url(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos)
    return {std::string(url), {}};
  start += 3;
  auto end = url.find_first_of("/?#", start);
  auto authority = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  auto at = authority.rfind('@');
  if (at == std::string_view::npos)
    return {std::string(url), {}};
  auto colon = authority.find(':');
  if (colon == std::string_view::npos || colon > at)
    return {std::string(url), {}};
  std::string password(authority.substr(colon + 1, at - colon - 1));
  if (password.empty())
    return {std::string(url), {}};
  std::string masked(url.substr(0, start + colon + 1));
  masked += "***";
  masked += url.substr(start + at);
  return {masked, password};
}

json to_json(message m) {
  json doc(json::value_t::object);
  auto &o = doc.get_ref<json::object_t &>();
  json parsed = json::parse(m.body, nullptr, false);
  if (parsed.is_discarded())
    parsed = nullptr;
  o.emplace("json", std::move(parsed));
  o.emplace("body", std::move(m.body));
  o.emplace("headers", std::move(m.headers));
  o.emplace("routing_key", std::move(m.routing_key));
  o.emplace("exchange", std::move(m.exchange));
  o.emplace("redelivered", m.redelivered);
  o.emplace("properties", std::move(m.properties));
  return doc;
}

} // namespace seam_queue
