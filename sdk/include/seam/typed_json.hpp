// seam/typed_json.hpp - a JSON value read as the C types of ABI 1.2's
// input_* functions (seam_json_type, int64_t, double, ...). The host answers a
// C plugin's input_* calls with these, and seam/testing.hpp's fake host does
// too, so that a value reads the same in a unit test as in a run.
#ifndef SEAM_TYPED_JSON_HPP
#define SEAM_TYPED_JSON_HPP

#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace seam::typed_json {

using json = nlohmann::json;

// An integer that int64_t holds (a larger unsigned one reads as a number).
inline bool fits_int64(const json &v) {
  if (v.is_number_unsigned())
    return v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return v.is_number_integer();
}

// The type input_type reports for v (nullptr: missing).
inline seam_json_type type_of(const json *v) {
  if (v == nullptr)
    return SEAM_JSON_MISSING;
  switch (v->type()) {
  case json::value_t::null:
    return SEAM_JSON_NULL;
  case json::value_t::boolean:
    return SEAM_JSON_BOOL;
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return fits_int64(*v) ? SEAM_JSON_INT : SEAM_JSON_NUMBER;
  case json::value_t::number_float:
    return SEAM_JSON_NUMBER;
  case json::value_t::string:
    return SEAM_JSON_STRING;
  case json::value_t::array:
    return SEAM_JSON_ARRAY;
  case json::value_t::object:
    return SEAM_JSON_OBJECT;
  default:
    return SEAM_JSON_MISSING;
  }
}

// Each returns 1 and sets what is not NULL when v holds that type, else 0
// (and leaves the outputs alone). Strings stay owned by v.
inline int read_string(const json *v, const char **out, size_t *len) {
  if (v == nullptr || !v->is_string())
    return 0;
  const std::string &s = v->get_ref<const std::string &>();
  if (out)
    *out = s.c_str();
  if (len)
    *len = s.size();
  return 1;
}

inline int read_int(const json *v, int64_t *out) {
  if (v == nullptr || !v->is_number_integer() || !fits_int64(*v))
    return 0;
  if (out)
    *out = v->is_number_unsigned() ? static_cast<int64_t>(v->get<uint64_t>()) : v->get<int64_t>();
  return 1;
}

inline int read_double(const json *v, double *out) {
  if (v == nullptr || !v->is_number())
    return 0;
  if (out)
    *out = v->get<double>();
  return 1;
}

inline int read_bool(const json *v, int *out) {
  if (v == nullptr || !v->is_boolean())
    return 0;
  if (out)
    *out = v->get<bool>() ? 1 : 0;
  return 1;
}

// Elements of an array or members of an object; -1 for anything else.
inline int64_t size_of(const json *v) {
  if (v == nullptr || !(v->is_array() || v->is_object()))
    return -1;
  return static_cast<int64_t>(v->size());
}

} // namespace seam::typed_json

#endif // SEAM_TYPED_JSON_HPP
