// OutputProjection: a tree of the paths a step reads. An output is read by
// simdjson and only the values on those paths become a tree; what simdjson
// refuses is parsed again through nlohmann's SAX interface, which builds the
// same values (and refuses what json::parse refuses).
#include "seam/core/expect/output_projection.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace seam {

std::unique_ptr<OutputProjection> OutputProjection::of(const std::vector<const JsonPath *> &paths) {
  if (paths.empty())
    return nullptr;
  auto p = std::make_unique<OutputProjection>();
  for (const JsonPath *path : paths) {
    if (path->empty())
      return nullptr;
    Node *node = &p->root_;
    for (const auto &seg : path->segments()) {
      if (node->whole)
        break;
      if (const auto *key = std::get_if<std::string>(&seg)) {
        node = &node->keys[*key];
      } else if (long index = std::get<long>(seg); index >= 0) {
        node = &node->indices[index];
      } else {
        // Which element is meant is known only at the array's end.
        node->whole = true;
        break;
      }
    }
    node->whole = true;
  }
  return p;
}

namespace {

using Node = OutputProjection::Node;

// One simdjson parser per thread, its buffers reused from one output to the
// next; after an output larger than this, they are let go.
constexpr size_t kKeptCapacity = size_t{16} << 20;

simdjson::dom::parser &fast_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

void let_go_if_large(simdjson::dom::parser &parser) {
  if (parser.capacity() > kKeptCapacity)
    parser = simdjson::dom::parser();
}

// The value `e` as nlohmann builds it, keeping what `n` names (nullptr:
// everything). Equal keys: the last wins, as in json::parse. A non-negative
// integer is unsigned, as json::parse makes it.
json from_dom(simdjson::dom::element e, const Node *n) {
  using simdjson::dom::element_type;
  switch (e.type()) {
  case element_type::OBJECT: {
    json o(json::value_t::object);
    auto &members = o.get_ref<json::object_t &>();
    // The type is known: the get_* below cannot fail.
    simdjson::dom::object object = e.get_object().value_unsafe();
    for (auto field : object) {
      const Node *child = nullptr;
      if (n) {
        auto it = n->keys.find(field.key);
        if (it == n->keys.end())
          continue;
        child = it->second.whole ? nullptr : &it->second;
      }
      members.insert_or_assign(std::string(field.key), from_dom(field.value, child));
    }
    return o;
  }
  case element_type::ARRAY: {
    json a(json::value_t::array);
    auto &items = a.get_ref<json::array_t &>();
    long index = 0;
    simdjson::dom::array array = e.get_array().value_unsafe();
    for (auto item : array) {
      if (!n) {
        items.push_back(from_dom(item, nullptr));
      } else if (auto it = n->indices.find(index); it != n->indices.end()) {
        items.push_back(from_dom(item, it->second.whole ? nullptr : &it->second));
      } else {
        items.emplace_back(nullptr);
      }
      ++index;
    }
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

// `text` read by simdjson into `out` (what `n` names; nullptr: all of it).
// false when simdjson refuses it: then nlohmann decides.
bool fast_parse(std::string_view text, const Node *n, json &out) {
  auto &parser = fast_parser();
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS)
    return false;
  out = from_dom(doc, n);
  let_go_if_large(parser);
  return true;
}

// Builds the projected tree from the parser's events. `frames_` are the open
// containers being built; a value outside the projection is skipped whole
// (`skip_`: the depth inside it).
class Builder : public nlohmann::json_sax<json> {
public:
  explicit Builder(const Node &root) : root_(root) {}

  json take() { return std::move(result_); }

  bool null() override { return scalar(nullptr); }
  bool boolean(bool v) override { return scalar(v); }
  bool number_integer(number_integer_t v) override { return scalar(v); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(v); }
  bool number_float(number_float_t v, const string_t &) override { return scalar(v); }
  bool string(string_t &v) override { return scalar(v); }
  bool binary(binary_t &) override { return false; } // not in JSON text

  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t &k) override {
    if (skip_ == 0)
      frames_.back().key = k;
    return true;
  }

  bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override {
    return false;
  }

private:
  struct Frame {
    json *value;      // the container being built
    const Node *node; // what its elements keep; nullptr: everything
    std::string key;  // an object's current key
    long index = 0;   // an array's next index
  };

  // Where the value the parser reports next goes: the slot to fill, and what
  // under it is kept (nullptr: everything); no slot when it is skipped.
  std::pair<json *, const Node *> place() {
    if (frames_.empty())
      return {&result_, root_.whole ? nullptr : &root_};
    Frame &f = frames_.back();
    const Node *child = nullptr;
    bool keep = f.node == nullptr;
    if (f.value->is_object()) {
      if (!keep)
        if (auto it = f.node->keys.find(f.key); it != f.node->keys.end()) {
          keep = true;
          child = it->second.whole ? nullptr : &it->second;
        }
      if (!keep)
        return {nullptr, nullptr};
      return {&(*f.value)[f.key], child};
    }
    long index = f.index++;
    if (!keep)
      if (auto it = f.node->indices.find(index); it != f.node->indices.end()) {
        keep = true;
        child = it->second.whole ? nullptr : &it->second;
      }
    // An array keeps its length: an element no path names stays null.
    f.value->push_back(nullptr);
    if (!keep)
      return {nullptr, nullptr};
    return {&f.value->back(), child};
  }

  template <typename T> bool scalar(T &&v) {
    if (skip_ > 0)
      return true;
    if (json *slot = place().first)
      *slot = std::forward<T>(v);
    return true;
  }

  bool open(json empty) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    auto [slot, node] = place();
    if (!slot) {
      skip_ = 1;
      return true;
    }
    *slot = std::move(empty);
    frames_.push_back(Frame{slot, node, {}, 0});
    return true;
  }

  bool close() {
    if (skip_ > 0)
      --skip_;
    else
      frames_.pop_back();
    return true;
  }

  const Node &root_;
  json result_;
  std::vector<Frame> frames_;
  int skip_ = 0;
};

} // namespace

json OutputProjection::parse(std::string_view text) const {
  if (json out; fast_parse(text, root_.whole ? nullptr : &root_, out))
    return out;
  Builder b(root_);
  if (!json::sax_parse(text.begin(), text.end(), &b, json::input_format_t::json, true))
    return json(json::value_t::discarded);
  return b.take();
}

json parse_output(std::string_view text) {
  if (json out; fast_parse(text, nullptr, out))
    return out;
  return json::parse(text, nullptr, false);
}

bool is_json_output(std::string_view text) {
  auto &parser = fast_parser();
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc) == simdjson::SUCCESS) {
    let_go_if_large(parser);
    return true;
  }
  return json::accept(text);
}

} // namespace seam
