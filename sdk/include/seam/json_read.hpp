// seam/json_read.hpp - JSON text into a json tree: the tree json::parse
// makes, three times faster where simdjson is at hand.
//
// The SDK reads every step's input with read_json(); the core reads step
// outputs with it. With SEAM_SDK_SIMDJSON defined (seam's own build defines
// it; a plugin built elsewhere opts in by defining it and linking
// simdjson::simdjson), the text is read by simdjson and its document turned
// into the tree; what simdjson refuses
// (integers beyond 64 bits, nesting deeper than 1,024, text that is not
// JSON) is left to json::parse, which then decides. Without it, json::parse
// reads everything. The tree is the same either way: objects keep the last
// of equal keys, a non-negative integer is unsigned, a number with a
// fraction or an exponent is a double.
//
// simdjson reads a little past a text's end. Text in a std::string with
// that much spare capacity is read where it lies (`json_source`); any other
// text is first copied into a padded buffer of simdjson's. For a large text
// that copy is a fresh buffer, whose first writes can cost more than the
// parse (a 3 MB output on a virtual machine: milliseconds).
#ifndef SEAM_JSON_READ_HPP
#define SEAM_JSON_READ_HPP

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#ifdef SEAM_SDK_SIMDJSON
#include <simdjson.h>
#endif

namespace seam {

#ifdef SEAM_SDK_SIMDJSON
namespace json_read_detail {

using json = nlohmann::json;

// One simdjson parser per thread, its buffers reused from one text to the
// next; after a text larger than this, they are let go.
constexpr size_t kept_capacity = size_t{16} << 20;

inline simdjson::dom::parser &parser() {
  thread_local simdjson::dom::parser p;
  return p;
}

// The whole value `e` as json::parse builds it.
inline json from_dom(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
  case element_type::OBJECT: {
    json o(json::value_t::object);
    auto &members = o.get_ref<json::object_t &>();
    // The type is known: the get_* below cannot fail. (The object is
    // named: a range over the temporary result would outlive it.)
    simdjson::dom::object object = e.get_object().value_unsafe();
    for (auto field : object)
      members.insert_or_assign(std::string(field.key), from_dom(field.value));
    return o;
  }
  case element_type::ARRAY: {
    json a(json::value_t::array);
    auto &items = a.get_ref<json::array_t &>();
    simdjson::dom::array array = e.get_array().value_unsafe();
    for (auto item : array)
      items.push_back(from_dom(item));
    return a;
  }
  case element_type::INT64: {
    int64_t v = e.get_int64().value_unsafe();
    return v >= 0 ? json(static_cast<uint64_t>(v)) : json(v);
  }
  case element_type::UINT64:
    return json(e.get_uint64().value_unsafe());
  case element_type::DOUBLE:
    return json(e.get_double().value_unsafe());
  case element_type::STRING:
    return json(std::string(e.get_string().value_unsafe()));
  case element_type::BOOL:
    return json(e.get_bool().value_unsafe());
  case element_type::NULL_VALUE:
    return json(nullptr);
  }
  return json();
}

// `text` read by simdjson and its document handed to `use`; false when
// simdjson refuses it (then json::parse decides). `in_place`: the
// json_read_padding bytes after the text are readable, so simdjson need not
// copy it. A large text's buffers are let go either way.
template <typename Use> bool read_fast(std::string_view text, Use &&use, bool in_place = false) {
  auto &p = parser();
  simdjson::dom::element doc;
  bool read = p.parse(text.data(), text.size(), !in_place).get(doc) == simdjson::SUCCESS;
  if (read)
    use(doc);
  if (p.capacity() > kept_capacity)
    p = simdjson::dom::parser();
  return read;
}

// The whole tree of `text` into `out`; false when simdjson refuses it.
inline bool read_whole(std::string_view text, json &out, bool in_place = false) {
  return read_fast(
      text, [&](simdjson::dom::element doc) { out = from_dom(doc); }, in_place);
}

} // namespace json_read_detail
#endif

// How many readable bytes past a text's end let simdjson read it in place.
#ifdef SEAM_SDK_SIMDJSON
inline constexpr size_t json_read_padding = simdjson::SIMDJSON_PADDING;
#else
inline constexpr size_t json_read_padding = 64;
#endif

// The text a function below reads. A std::string whose spare capacity holds
// json_read_padding bytes past its end is read where it lies (give a large
// text that room with reserve(size() + json_read_padding) before it is
// written); any other text is copied into a padded buffer first.
class json_source {
public:
  json_source(const char *text) : text_(text) {}
  json_source(std::string_view text) : text_(text) {}
  json_source(const std::string &text)
      : text_(text), in_place_(text.capacity() - text.size() >= json_read_padding) {}

  std::string_view text() const { return text_; }
  // Whether json_read_padding bytes past the text are readable.
  bool in_place() const { return in_place_; }

private:
  std::string_view text_;
  bool in_place_ = false;
};

// The tree of `text`; throws what json::parse throws when it is not JSON
// (nlohmann::json::parse_error; out_of_range for a number beyond a double).
inline nlohmann::json read_json(json_source text) {
#ifdef SEAM_SDK_SIMDJSON
  if (nlohmann::json out; json_read_detail::read_whole(text.text(), out, text.in_place()))
    return out;
#endif
  return nlohmann::json::parse(text.text());
}

// The same, but a text that is not JSON gives a discarded value
// (is_discarded()) instead of an exception.
inline nlohmann::json read_json_or_discarded(json_source text) {
#ifdef SEAM_SDK_SIMDJSON
  if (nlohmann::json out; json_read_detail::read_whole(text.text(), out, text.in_place()))
    return out;
#endif
  return nlohmann::json::parse(text.text(), nullptr, false);
}

// Whether `text` is JSON, without building its tree.
inline bool is_json(json_source text) {
#ifdef SEAM_SDK_SIMDJSON
  if (json_read_detail::read_fast(
          text.text(), [](simdjson::dom::element) {}, text.in_place()))
    return true;
#endif
  return nlohmann::json::accept(text.text());
}

} // namespace seam

#endif // SEAM_JSON_READ_HPP
