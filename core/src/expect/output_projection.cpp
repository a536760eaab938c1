// OutputProjection: a tree of the paths a step reads. An output is read by
// simdjson (through the SDK's seam/json_read.hpp) and only the values on
// those paths become a tree; what simdjson refuses is left to json::parse,
// whose whole tree the paths read alike.
#include "seam/core/expect/output_projection.hpp"

#include <seam/json_read.hpp>

#include <simdjson.h>

#ifndef SEAM_SDK_SIMDJSON
#error "the core reads outputs with simdjson: Seam::sdk defines SEAM_SDK_SIMDJSON"
#endif

#include <string>
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
using seam::json_read_detail::read_fast;

// The value `e` as json::parse builds it, keeping only what `n` names (the
// SDK's from_dom builds what is kept whole).
json from_dom(simdjson::dom::element e, const Node &n) {
  using simdjson::dom::element_type;
  auto kept = [](simdjson::dom::element v, const Node &child) {
    return child.whole ? json_read_detail::from_dom(v) : from_dom(v, child);
  };
  switch (e.type()) {
  case element_type::OBJECT: {
    json o(json::value_t::object);
    auto &members = o.get_ref<json::object_t &>();
    // The type is known: get_object() cannot fail.
    simdjson::dom::object object = e.get_object().value_unsafe();
    for (auto field : object) {
      auto it = n.keys.find(field.key);
      if (it != n.keys.end())
        members.insert_or_assign(std::string(field.key), kept(field.value, it->second));
    }
    return o;
  }
  case element_type::ARRAY: {
    json a(json::value_t::array);
    auto &items = a.get_ref<json::array_t &>();
    long index = 0;
    simdjson::dom::array array = e.get_array().value_unsafe();
    for (auto item : array) {
      if (auto it = n.indices.find(index); it != n.indices.end())
        items.push_back(kept(item, it->second));
      else
        items.emplace_back(nullptr);
      ++index;
    }
    return a;
  }
  default:
    return json_read_detail::from_dom(e);
  }
}

} // namespace

json OutputProjection::parse(const json_source &text) const {
  if (root_.whole)
    return read_json_or_discarded(text);
  json out;
  if (read_fast(
          text.text(), [&](simdjson::dom::element doc) { out = from_dom(doc, root_); },
          text.in_place()))
    return out;
  // Rare (integers beyond 64 bits, deep nesting, not JSON): the whole tree,
  // in which every path finds what it finds in a projection.
  return json::parse(text.text(), nullptr, false);
}

} // namespace seam
