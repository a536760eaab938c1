// seam/json_view.hpp - a step's input read where it lies, without building
// a json tree.
//
// A step may take `seam::json_view` instead of `const seam::json &`:
//
//   plugin.step<db>({.name = "get", ...},
//                   [](db &d, seam::json_view in, seam::context &ctx) {
//                     std::string_view key = in["key"].get_string();
//                     int64_t limit = in.value("limit", int64_t{100});
//                     ...
//                   });
//
// With SEAM_SDK_SIMDJSON (see seam/json_read.hpp) the view looks into
// simdjson's document of the input text, so that a step that reads a few
// fields of its input pays for no tree at all; without it, or for the rare
// text simdjson refuses (integers beyond 64 bits, nesting deeper than
// 1,024), it looks into the tree read_json builds. Either way a value reads
// as it would in that tree: a non-negative integer is unsigned, a number
// with a fraction or an exponent is a double, and of equal keys in one
// object the last counts. members() walks an object in the order of its
// text (seam writes every input's keys sorted, each once, as a tree would).
//
// A view, and every string_view it gives, lives as long as the call it was
// given to: copy what must outlive it. Asking a value for what it is not
// (get_string() of a number) throws std::domain_error naming both.
#ifndef SEAM_JSON_VIEW_HPP
#define SEAM_JSON_VIEW_HPP

#include <seam/json_read.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#ifdef SEAM_SDK_SIMDJSON
#include <simdjson.h>
#endif

namespace seam {

class json_view {
public:
  // A missing value: what [] gives for a key an object lacks.
  json_view() = default;
  // A view of a tree, which must outlive it.
  explicit json_view(const nlohmann::json &tree) : tree_(&tree) {}
#ifdef SEAM_SDK_SIMDJSON
  explicit json_view(simdjson::dom::element e) : dom_(e), in_dom_(true) {}
#endif

  // What the value is (a missing one is none of these).
  bool missing() const { return kind() == kind_t::missing; }
  bool is_null() const { return kind() == kind_t::null; }
  bool is_boolean() const { return kind() == kind_t::boolean; }
  bool is_number() const { return is_number_integer() || is_number_float(); }
  bool is_number_integer() const { return is_number_unsigned() || kind() == kind_t::negative; }
  bool is_number_unsigned() const { return kind() == kind_t::unsigned_int; }
  bool is_number_float() const { return kind() == kind_t::floating; }
  bool is_string() const { return kind() == kind_t::string; }
  bool is_array() const { return kind() == kind_t::array; }
  bool is_object() const { return kind() == kind_t::object; }

  // As nlohmann names it: "object", "array", "string", "number", "boolean",
  // "null"; "missing" for a missing value.
  const char *type_name() const {
    switch (kind()) {
    case kind_t::missing:
      return "missing";
    case kind_t::null:
      return "null";
    case kind_t::boolean:
      return "boolean";
    case kind_t::unsigned_int:
    case kind_t::negative:
    case kind_t::floating:
      return "number";
    case kind_t::string:
      return "string";
    case kind_t::array:
      return "array";
    case kind_t::object:
      return "object";
    }
    return "missing";
  }

  // Member `key` of an object (the last one, if the text gives it twice);
  // a missing value when this is no object or has no such member.
  json_view operator[](std::string_view key) const {
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_) {
      json_view found;
      if (dom_.type() == simdjson::dom::element_type::OBJECT) {
        // Named: a range over get_object()'s temporary would outlive it.
        simdjson::dom::object object = dom_.get_object().value_unsafe();
        for (auto field : object)
          if (field.key == key)
            found = json_view(field.value);
      }
      return found;
    }
#endif
    if (tree_ == nullptr || !tree_->is_object())
      return {};
    const auto &members = tree_->get_ref<const nlohmann::json::object_t &>();
    auto it = members.find(key);
    return it == members.end() ? json_view() : json_view(it->second);
  }
  json_view operator[](const char *key) const { return (*this)[std::string_view(key)]; }
  bool contains(std::string_view key) const { return !(*this)[key].missing(); }

  // Element i of an array; a missing value past its end or for no array.
  json_view at(size_t i) const {
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_) {
      if (dom_.type() != simdjson::dom::element_type::ARRAY)
        return {};
      simdjson::dom::array array = dom_.get_array().value_unsafe();
      simdjson::dom::element e;
      if (array.at(i).get(e) != simdjson::SUCCESS)
        return {};
      return json_view(e);
    }
#endif
    if (tree_ == nullptr || !tree_->is_array() || i >= tree_->size())
      return {};
    return json_view((*tree_)[i]);
  }

  // Members of an object, elements of an array; 0 for anything else.
  size_t size() const {
    size_t n = 0;
    if (is_object())
      members([&](std::string_view, json_view) { ++n; });
    else if (is_array())
      elements([&](json_view) { ++n; });
    return n;
  }

  // fn(std::string_view key, json_view value) for each member of an object,
  // in the order of the text; nothing for anything else.
  template <class Fn> void members(Fn &&fn) const {
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_) {
      if (dom_.type() == simdjson::dom::element_type::OBJECT) {
        simdjson::dom::object object = dom_.get_object().value_unsafe();
        for (auto field : object)
          fn(field.key, json_view(field.value));
      }
      return;
    }
#endif
    if (tree_ != nullptr && tree_->is_object())
      for (const auto &[key, value] : tree_->get_ref<const nlohmann::json::object_t &>())
        fn(std::string_view(key), json_view(value));
  }

  // fn(json_view element) for each element of an array; nothing for
  // anything else.
  template <class Fn> void elements(Fn &&fn) const {
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_) {
      if (dom_.type() == simdjson::dom::element_type::ARRAY) {
        simdjson::dom::array array = dom_.get_array().value_unsafe();
        for (auto item : array)
          fn(json_view(item));
      }
      return;
    }
#endif
    if (tree_ != nullptr && tree_->is_array())
      for (const auto &item : tree_->get_ref<const nlohmann::json::array_t &>())
        fn(json_view(item));
  }

  // The value as a C++ value; each throws std::domain_error when the value
  // is of another type (get_double() takes any number, get_int64() an
  // integer int64_t holds, get_uint64() a non-negative integer).
  std::string_view get_string() const {
    if (!is_string())
      mismatch("a string");
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_)
      return dom_.get_string().value_unsafe();
#endif
    return tree_->get_ref<const std::string &>();
  }
  bool get_bool() const {
    if (!is_boolean())
      mismatch("a boolean");
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_)
      return dom_.get_bool().value_unsafe();
#endif
    return tree_->get<bool>();
  }
  uint64_t get_uint64() const {
    if (!is_number_unsigned())
      mismatch("a whole number >= 0");
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_)
      return dom_.type() == simdjson::dom::element_type::INT64
                 ? static_cast<uint64_t>(dom_.get_int64().value_unsafe())
                 : dom_.get_uint64().value_unsafe();
#endif
    return tree_->get<uint64_t>();
  }
  int64_t get_int64() const {
    if (kind() == kind_t::unsigned_int) {
      uint64_t v = get_uint64();
      if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        mismatch("a whole number int64_t holds");
      return static_cast<int64_t>(v);
    }
    if (kind() != kind_t::negative)
      mismatch("a whole number");
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_)
      return dom_.get_int64().value_unsafe();
#endif
    return tree_->get<int64_t>();
  }
  double get_double() const {
    switch (kind()) {
    case kind_t::unsigned_int:
      return static_cast<double>(get_uint64());
    case kind_t::negative:
      return static_cast<double>(get_int64());
    case kind_t::floating:
#ifdef SEAM_SDK_SIMDJSON
      if (in_dom_)
        return dom_.get_double().value_unsafe();
#endif
      return tree_->get<double>();
    default:
      mismatch("a number");
    }
  }

  // Member `key` as a T (bool, an integer type, double, std::string or
  // std::string_view), or `fallback` when the member is missing, as
  // json::value() does; a member of another type throws.
  template <class T> T value(std::string_view key, T fallback) const {
    json_view v = (*this)[key];
    if (v.missing())
      return fallback;
    if constexpr (std::is_same_v<T, bool>)
      return v.get_bool();
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
      return static_cast<T>(v.get_int64());
    else if constexpr (std::is_integral_v<T>)
      return static_cast<T>(v.get_uint64());
    else if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(v.get_double());
    else
      return T(v.get_string());
  }
  std::string_view value(std::string_view key, const char *fallback) const {
    return value<std::string_view>(key, fallback);
  }

  // The value as a tree, the one read_json would build (null for a missing
  // value): for the parts a step keeps or hands on whole.
  nlohmann::json to_json() const {
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_)
      return json_read_detail::from_dom(dom_);
#endif
    return tree_ ? *tree_ : nlohmann::json();
  }

private:
  enum class kind_t {
    missing,
    null,
    boolean,
    unsigned_int,
    negative,
    floating,
    string,
    array,
    object
  };

  kind_t kind() const {
#ifdef SEAM_SDK_SIMDJSON
    if (in_dom_) {
      using simdjson::dom::element_type;
      switch (dom_.type()) {
      case element_type::OBJECT:
        return kind_t::object;
      case element_type::ARRAY:
        return kind_t::array;
      case element_type::INT64:
        return dom_.get_int64().value_unsafe() >= 0 ? kind_t::unsigned_int : kind_t::negative;
      case element_type::UINT64:
        return kind_t::unsigned_int;
      case element_type::DOUBLE:
        return kind_t::floating;
      case element_type::STRING:
        return kind_t::string;
      case element_type::BOOL:
        return kind_t::boolean;
      case element_type::NULL_VALUE:
        return kind_t::null;
      }
      return kind_t::missing;
    }
#endif
    if (tree_ == nullptr)
      return kind_t::missing;
    switch (tree_->type()) {
    case nlohmann::json::value_t::object:
      return kind_t::object;
    case nlohmann::json::value_t::array:
      return kind_t::array;
    case nlohmann::json::value_t::number_unsigned:
      return kind_t::unsigned_int;
    case nlohmann::json::value_t::number_integer:
      return tree_->get<int64_t>() >= 0 ? kind_t::unsigned_int : kind_t::negative;
    case nlohmann::json::value_t::number_float:
      return kind_t::floating;
    case nlohmann::json::value_t::string:
      return kind_t::string;
    case nlohmann::json::value_t::boolean:
      return kind_t::boolean;
    case nlohmann::json::value_t::null:
      return kind_t::null;
    default: // binary, discarded: never in an input
      return kind_t::missing;
    }
  }

  [[noreturn]] void mismatch(const char *wanted) const {
    throw std::domain_error(std::string("expected ") + wanted + ", got " +
                            (missing() ? "nothing (a missing value)" : type_name()));
  }

  const nlohmann::json *tree_ = nullptr;
#ifdef SEAM_SDK_SIMDJSON
  simdjson::dom::element dom_;
  bool in_dom_ = false;
#endif
};

namespace detail {

// Hands `use` a view of the input `text` (an empty text: an empty object).
// Inputs have a simdjson parser per thread of their own, so that a step may
// call read_json while its view lives.
template <class Use> void with_input_view(const char *text, size_t len, Use &&use) {
  if (text == nullptr || len == 0) {
    static const nlohmann::json empty = nlohmann::json::object();
    use(json_view(empty));
    return;
  }
#ifdef SEAM_SDK_SIMDJSON
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text, len).get(doc) == simdjson::SUCCESS) {
    struct let_go { // a large text's buffers go, whatever use() does
      simdjson::dom::parser &p;
      ~let_go() {
        if (p.capacity() > json_read_detail::kept_capacity)
          p = simdjson::dom::parser();
      }
    } guard{parser};
    use(json_view(doc));
    return;
  }
#endif
  const nlohmann::json tree = read_json(std::string_view(text, len));
  use(json_view(tree));
}

} // namespace detail

} // namespace seam

#endif // SEAM_JSON_VIEW_HPP
