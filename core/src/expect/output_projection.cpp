// OutputProjection: a tree of the paths a step reads. An output is read by
// simdjson and only the values on those paths become a tree; what simdjson
// refuses is left to json::parse, whose whole tree the paths read alike.
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

// `text` read by simdjson, and its document handed to `use`; false when
// simdjson refuses it: then nlohmann decides. A large output's buffers are
// let go either way.
template <typename Use> bool read_fast(std::string_view text, Use use) {
  auto &parser = fast_parser();
  simdjson::dom::element doc;
  bool read = parser.parse(text.data(), text.size()).get(doc) == simdjson::SUCCESS;
  if (read)
    use(doc);
  let_go_if_large(parser);
  return read;
}

} // namespace

json OutputProjection::parse(std::string_view text) const {
  json out;
  if (read_fast(text, [&](simdjson::dom::element doc) {
        out = from_dom(doc, root_.whole ? nullptr : &root_);
      }))
    return out;
  // Rare (integers beyond 64 bits, deep nesting, not JSON): the whole tree,
  // in which every path finds what it finds in a projection.
  return json::parse(text, nullptr, false);
}

json parse_output(std::string_view text) {
  json out;
  if (read_fast(text, [&](simdjson::dom::element doc) { out = from_dom(doc, nullptr); }))
    return out;
  return json::parse(text, nullptr, false);
}

bool is_json_output(std::string_view text) {
  return read_fast(text, [](simdjson::dom::element) {}) || json::accept(text);
}

} // namespace seam
