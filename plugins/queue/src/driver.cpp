// driver.cpp - the registry of queue drivers by URL scheme, and what all
// drivers share: URL masking, message properties and the message document.
#include "driver.hpp"

#include <seam/exact_numbers.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace seam::queue {

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

namespace {

std::string text_of(seam::json_view v) { return seam::json_builder().value(v).take().str(); }

// AMQP's expiration is a string of milliseconds; suites may also write a
// duration ("30s") or a number of milliseconds.
std::string expiration_ms(seam::json_view v) {
  if (v.is_number_integer() && v.get_int64() >= 0)
    return std::to_string(v.get_int64());
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos)
      return std::string(s);
    if (auto d = seam::parse_duration(s))
      return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(*d).count());
  }
  throw std::invalid_argument("properties.expiration must be milliseconds or a duration such "
                              "as \"30s\", got " +
                              text_of(v));
}

} // namespace

properties read_properties(seam::json_view in) {
  properties p;
  if (in.missing() || in.is_null())
    return p;
  if (!in.is_object())
    throw std::invalid_argument(std::string("properties must be a table, got ") + in.type_name());
  static const std::pair<std::string_view, std::optional<std::string> properties::*> texts[] = {
      {"app_id", &properties::app_id},
      {"content_encoding", &properties::content_encoding},
      {"content_type", &properties::content_type},
      {"correlation_id", &properties::correlation_id},
      {"message_id", &properties::message_id},
      {"reply_to", &properties::reply_to},
      {"type", &properties::type},
      {"user_id", &properties::user_id},
  };
  in.members([&](std::string_view name, seam::json_view v) {
    for (const auto &[text_name, member] : texts)
      if (name == text_name) {
        if (!v.is_string())
          throw std::invalid_argument("properties." + std::string(name) +
                                      " must be a string, got " + v.type_name());
        p.*member = std::string(v.get_string());
        return;
      }
    if (name == "expiration") {
      p.expiration = expiration_ms(v);
    } else if (name == "persistent") {
      if (!v.is_boolean())
        throw std::invalid_argument("properties.persistent must be true or false, got " +
                                    text_of(v));
      p.persistent = v.get_bool();
    } else if (name == "priority") {
      if (!v.is_number_integer() || v.get_int64() < 0 || v.get_int64() > 255)
        throw std::invalid_argument("properties.priority must be an integer 0..255, got " +
                                    text_of(v));
      p.priority = static_cast<uint8_t>(v.get_int64());
    } else if (name == "timestamp") {
      if (!v.is_number_integer() || v.get_int64() < 0)
        throw std::invalid_argument(
            "properties.timestamp must be seconds since 1970 (an integer), got " + text_of(v));
      p.timestamp = static_cast<uint64_t>(v.get_int64());
    }
    // Anything else the step's schema refuses before the step runs.
  });
  return p;
}

void write_properties(seam::json_builder &out, const properties &p) {
  // The names, escaped once: a consume writes them for each message.
  static const struct {
    seam::json_key app_id{"app_id"};
    seam::json_key content_encoding{"content_encoding"};
    seam::json_key content_type{"content_type"};
    seam::json_key correlation_id{"correlation_id"};
    seam::json_key expiration{"expiration"};
    seam::json_key message_id{"message_id"};
    seam::json_key persistent{"persistent"};
    seam::json_key priority{"priority"};
    seam::json_key reply_to{"reply_to"};
    seam::json_key timestamp{"timestamp"};
    seam::json_key type{"type"};
    seam::json_key user_id{"user_id"};
  } k;
  out.begin_object();
  auto text = [&](const seam::json_key &name, const std::optional<std::string> &v) {
    if (v)
      out.key(name).value(*v);
  };
  text(k.app_id, p.app_id);
  text(k.content_encoding, p.content_encoding);
  text(k.content_type, p.content_type);
  text(k.correlation_id, p.correlation_id);
  text(k.expiration, p.expiration);
  text(k.message_id, p.message_id);
  if (p.persistent)
    out.key(k.persistent).value(*p.persistent);
  if (p.priority)
    out.key(k.priority).value(static_cast<unsigned>(*p.priority));
  text(k.reply_to, p.reply_to);
  if (p.timestamp)
    out.key(k.timestamp).value(*p.timestamp);
  text(k.type, p.type);
  text(k.user_id, p.user_id);
  out.end_object();
}

void write_message(seam::json_builder &out, const message &m) {
  // The message's names, escaped once: a consume writes them for each.
  static const struct {
    seam::json_key body{"body"};
    seam::json_key body_base64{"body_base64"};
    seam::json_key exchange{"exchange"};
    seam::json_key headers{"headers"};
    seam::json_key json{"json"};
    seam::json_key properties{"properties"};
    seam::json_key redelivered{"redelivered"};
    seam::json_key routing_key{"routing_key"};
  } k;
  // A body that is not UTF-8 is no JSON either (and comes as base64 too).
  const bool utf8 = valid_utf8(m.body);
  // Keys in sorted order, as a tree would write them.
  out.begin_object();
  out.key(k.body).value(m.body);
  if (!utf8)
    out.key(k.body_base64).value(base64_encode(m.body));
  out.key(k.exchange).value(m.exchange);
  out.key(k.headers);
  if (m.headers.is_null())
    out.begin_object().end_object();
  else
    out.value(m.headers);
  // Numbers a double cannot hold stay exact, as strings of their digits.
  out.key(k.json);
  if (!utf8 || !seam::append_json_exact(out, m.body))
    out.value(nullptr);
  out.key(k.properties);
  write_properties(out, m.properties);
  out.key(k.redelivered).value(m.redelivered);
  out.key(k.routing_key).value(m.routing_key);
  out.end_object();
}

json to_json(const message &m) {
  seam::json_builder out;
  write_message(out, m);
  return seam::read_json(out.take().str());
}

namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int shift : {18, 12, 6, 0})
      out += base64_alphabet[(n >> shift) & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
    out += base64_alphabet[(n >> 18) & 63];
    out += base64_alphabet[(n >> 12) & 63];
    out += rest == 2 ? base64_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0)
    return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      uint32_t v = 0;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
      } else {
        auto pos = base64_alphabet.find(c);
        if (pos == std::string_view::npos || pad > 0)
          return std::nullopt;
        v = static_cast<uint32_t>(pos);
      }
      n = n << 6 | v;
    }
    out += static_cast<char>(n >> 16);
    if (pad < 2)
      out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1)
      out += static_cast<char>(n & 0xff);
  }
  return out;
}

bool valid_utf8(std::string_view text) {
  size_t i = 0, n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n)
      return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80)
        return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    static constexpr uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
      return false;
    i += len;
  }
  return true;
}

} // namespace seam::queue
