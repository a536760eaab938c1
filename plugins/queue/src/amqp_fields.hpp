// amqp_fields.hpp - JSON <-> AMQP 0-9-1 field tables and basic properties.
//
// Headers, queue arguments and binding arguments are field tables; suites
// write them as JSON objects. Tables built here point into an arena that
// must outlive the rabbitmq-c call that sends them.
#ifndef SEAM_QUEUE_AMQP_FIELDS_HPP
#define SEAM_QUEUE_AMQP_FIELDS_HPP

#include "driver.hpp"

#include <amqp.h>
#include <amqp_framing.h>

#include <nlohmann/json.hpp>

#include <forward_list>
#include <string>
#include <string_view>
#include <vector>

namespace seam::queue::amqp {

using json = nlohmann::json;

// Owns the strings and entry arrays that built tables point to. Allocates
// nothing until it is used (publish makes one per message).
class field_arena {
public:
  amqp_bytes_t bytes(std::string_view text);
  // A JSON object as a field table: strings as UTF-8 strings, integers as
  // 64-bit integers, other numbers as doubles, booleans, null as void,
  // objects as tables, arrays as arrays. Throws std::invalid_argument when
  // `object` is not an object.
  amqp_table_t table(const json &object);
  amqp_field_value_t value(const json &v);

private:
  std::forward_list<std::string> strings_;
  std::forward_list<std::vector<amqp_table_entry_t>> tables_;
  std::forward_list<std::vector<amqp_field_value_t>> arrays_;
};

std::string to_string(amqp_bytes_t b);
// The bytes of `b` where rabbitmq-c keeps them, while it keeps them.
inline std::string_view as_view(amqp_bytes_t b) {
  return b.len == 0 || b.bytes == nullptr
             ? std::string_view()
             : std::string_view(static_cast<const char *>(b.bytes), b.len);
}
// The bytes of `s`, for rabbitmq-c to send while `s` lives.
inline amqp_bytes_t view(const std::string &s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char *>(s.data());
  return b;
}
json to_json(const amqp_table_t &table);
json to_json(const amqp_field_value_t &value);

// Properties (driver.hpp) and headers to send. Text properties point into
// `props`, which must outlive the result.
amqp_basic_properties_t to_amqp(const properties &props, const json &headers, field_arena &arena);
// The properties of a received message, without headers (see headers_of).
properties properties_of(const amqp_basic_properties_t &p);
// The headers of a received message; null when it has none.
json headers_of(const amqp_basic_properties_t &p);

} // namespace seam::queue::amqp

#endif // SEAM_QUEUE_AMQP_FIELDS_HPP
