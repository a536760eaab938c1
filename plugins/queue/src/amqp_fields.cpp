// amqp_fields.cpp - JSON <-> AMQP field tables and basic properties.
#include "amqp_fields.hpp"

#include <seam/plugin.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace seam::queue::amqp {

amqp_bytes_t field_arena::bytes(std::string_view text) {
  auto &s = strings_.emplace_front(text);
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = s.data();
  return b;
}

amqp_field_value_t field_arena::value(const json &v) {
  amqp_field_value_t f{};
  switch (v.type()) {
  case json::value_t::string:
    f.kind = AMQP_FIELD_KIND_UTF8;
    f.value.bytes = bytes(v.get_ref<const std::string &>());
    break;
  case json::value_t::boolean:
    f.kind = AMQP_FIELD_KIND_BOOLEAN;
    f.value.boolean = v.get<bool>() ? 1 : 0;
    break;
  case json::value_t::number_integer:
    f.kind = AMQP_FIELD_KIND_I64;
    f.value.i64 = v.get<int64_t>();
    break;
  case json::value_t::number_unsigned: {
    auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      // RabbitMQ reads signed longs for arguments such as x-max-length.
      f.kind = AMQP_FIELD_KIND_I64;
      f.value.i64 = static_cast<int64_t>(u);
    } else {
      f.kind = AMQP_FIELD_KIND_U64;
      f.value.u64 = u;
    }
    break;
  }
  case json::value_t::number_float:
    f.kind = AMQP_FIELD_KIND_F64;
    f.value.f64 = v.get<double>();
    break;
  case json::value_t::object:
    f.kind = AMQP_FIELD_KIND_TABLE;
    f.value.table = table(v);
    break;
  case json::value_t::array: {
    std::vector<amqp_field_value_t> items;
    items.reserve(v.size());
    for (const auto &item : v)
      items.push_back(value(item));
    auto &kept = arrays_.emplace_front(std::move(items));
    f.kind = AMQP_FIELD_KIND_ARRAY;
    f.value.array.num_entries = static_cast<int>(kept.size());
    f.value.array.entries = kept.data();
    break;
  }
  default:
    f.kind = AMQP_FIELD_KIND_VOID;
    break;
  }
  return f;
}

amqp_table_t field_arena::table(const json &object) {
  if (!object.is_object())
    throw std::invalid_argument("expected an object (a field table), got " +
                                std::string(object.type_name()));
  std::vector<amqp_table_entry_t> entries;
  entries.reserve(object.size());
  for (const auto &[key, v] : object.items()) {
    amqp_table_entry_t e{};
    e.key = bytes(key);
    e.value = value(v);
    entries.push_back(e);
  }
  auto &kept = tables_.emplace_front(std::move(entries));
  amqp_table_t t;
  t.num_entries = static_cast<int>(kept.size());
  t.entries = kept.data();
  return t;
}

std::string to_string(amqp_bytes_t b) { return std::string(as_view(b)); }

json to_json(const amqp_field_value_t &f) {
  switch (f.kind) {
  case AMQP_FIELD_KIND_BOOLEAN:
    return f.value.boolean != 0;
  case AMQP_FIELD_KIND_I8:
    return f.value.i8;
  case AMQP_FIELD_KIND_U8:
    return f.value.u8;
  case AMQP_FIELD_KIND_I16:
    return f.value.i16;
  case AMQP_FIELD_KIND_U16:
    return f.value.u16;
  case AMQP_FIELD_KIND_I32:
    return f.value.i32;
  case AMQP_FIELD_KIND_U32:
    return f.value.u32;
  case AMQP_FIELD_KIND_I64:
    return f.value.i64;
  case AMQP_FIELD_KIND_U64:
  case AMQP_FIELD_KIND_TIMESTAMP:
    return f.value.u64;
  case AMQP_FIELD_KIND_F32:
    return static_cast<double>(f.value.f32);
  case AMQP_FIELD_KIND_F64:
    return f.value.f64;
  case AMQP_FIELD_KIND_DECIMAL:
    return static_cast<double>(f.value.decimal.value) / std::pow(10.0, f.value.decimal.decimals);
  case AMQP_FIELD_KIND_UTF8:
  case AMQP_FIELD_KIND_BYTES:
    return to_string(f.value.bytes);
  case AMQP_FIELD_KIND_ARRAY: {
    json out = json::array();
    for (int i = 0; i < f.value.array.num_entries; ++i)
      out.push_back(to_json(f.value.array.entries[i]));
    return out;
  }
  case AMQP_FIELD_KIND_TABLE:
    return to_json(f.value.table);
  default:
    return nullptr;
  }
}

json to_json(const amqp_table_t &table) {
  json out = json::object();
  for (int i = 0; i < table.num_entries; ++i)
    out[to_string(table.entries[i].key)] = to_json(table.entries[i].value);
  return out;
}

namespace {

// The text properties: where each is held on both sides, and its flag.
struct text_property {
  std::optional<std::string> properties::*ours;
  amqp_flags_t flag;
  amqp_bytes_t amqp_basic_properties_t::*theirs;
};
const text_property text_properties[] = {
    {&properties::content_type, AMQP_BASIC_CONTENT_TYPE_FLAG,
     &amqp_basic_properties_t::content_type},
    {&properties::content_encoding, AMQP_BASIC_CONTENT_ENCODING_FLAG,
     &amqp_basic_properties_t::content_encoding},
    {&properties::correlation_id, AMQP_BASIC_CORRELATION_ID_FLAG,
     &amqp_basic_properties_t::correlation_id},
    {&properties::reply_to, AMQP_BASIC_REPLY_TO_FLAG, &amqp_basic_properties_t::reply_to},
    {&properties::expiration, AMQP_BASIC_EXPIRATION_FLAG, &amqp_basic_properties_t::expiration},
    {&properties::message_id, AMQP_BASIC_MESSAGE_ID_FLAG, &amqp_basic_properties_t::message_id},
    {&properties::type, AMQP_BASIC_TYPE_FLAG, &amqp_basic_properties_t::type},
    {&properties::user_id, AMQP_BASIC_USER_ID_FLAG, &amqp_basic_properties_t::user_id},
    {&properties::app_id, AMQP_BASIC_APP_ID_FLAG, &amqp_basic_properties_t::app_id},
};

} // namespace

amqp_basic_properties_t to_amqp(const properties &props, const json &headers, field_arena &arena) {
  amqp_basic_properties_t p{};
  for (const auto &t : text_properties)
    if (const auto &v = props.*t.ours) {
      p.*t.theirs = view(*v);
      p._flags |= t.flag;
    }
  if (props.persistent) {
    p.delivery_mode = *props.persistent ? 2 : 1;
    p._flags |= AMQP_BASIC_DELIVERY_MODE_FLAG;
  }
  if (props.priority) {
    p.priority = *props.priority;
    p._flags |= AMQP_BASIC_PRIORITY_FLAG;
  }
  if (props.timestamp) {
    p.timestamp = *props.timestamp;
    p._flags |= AMQP_BASIC_TIMESTAMP_FLAG;
  }
  if (!headers.is_null() && !headers.empty()) {
    p.headers = arena.table(headers);
    p._flags |= AMQP_BASIC_HEADERS_FLAG;
  }
  return p;
}

properties properties_of(const amqp_basic_properties_t &p) {
  properties out;
  for (const auto &t : text_properties)
    if (p._flags & t.flag)
      out.*t.ours = to_string(p.*t.theirs);
  if (p._flags & AMQP_BASIC_PRIORITY_FLAG)
    out.priority = p.priority;
  if (p._flags & AMQP_BASIC_TIMESTAMP_FLAG)
    out.timestamp = p.timestamp;
  // Always said: a message without delivery_mode is not persistent.
  out.persistent = (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) && p.delivery_mode == 2;
  return out;
}

json headers_of(const amqp_basic_properties_t &p) {
  if (p._flags & AMQP_BASIC_HEADERS_FLAG)
    return to_json(p.headers);
  return json(); // none (message::headers): no table to allocate
}

} // namespace seam::queue::amqp
