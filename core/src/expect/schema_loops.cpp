// Schemas that would send the validator round in circles on one value.
#include "schema_store.hpp"

#include <functional>
#include <map>
#include <set>

namespace seam {

using namespace schema_detail;

bool SchemaSet::Store::check_loops(const std::string &doc, const std::string &ptr,
                                   std::string *error) const {
  enum class Mark { Open, Done };
  std::map<std::string, Mark> marks; // "doc#ptr" -> state of the same-value walk
  std::set<std::string> seen;        // nodes whose parts were queued
  std::vector<std::pair<std::string, std::string>> todo{{doc, ptr}};
  auto node_at = [&](const std::string &d, const std::string &p) -> const json * {
    auto it = docs.find(d);
    if (it == docs.end())
      return nullptr;
    try {
      return &it->second->at(json::json_pointer(p));
    } catch (const json::exception &) {
      return nullptr;
    }
  };
  std::vector<std::string> stack;
  // Depth-first along the edges that stay on the same value.
  std::function<bool(const std::string &, const std::string &)> walk = [&](const std::string &d,
                                                                           const std::string &p) {
    std::string key = d + "#" + p;
    auto m = marks.find(key);
    if (m != marks.end()) {
      if (m->second == Mark::Done)
        return true;
      std::string loop;
      for (auto &k : stack)
        loop += display_path(k.substr(0, k.find('#'))) + k.substr(k.find('#')) + " -> ";
      *error =
          "the schema loops without looking into the value: " + loop + display_path(d) + "#" + p;
      return false;
    }
    const json *n = node_at(d, p);
    if (!n || !n->is_object()) {
      marks[key] = Mark::Done;
      return true;
    }
    if (stack.size() > kMaxSchemaDepth) {
      *error = "the schema's $ref chain at " + display_path(d) + "#" + p + " is too long";
      return false;
    }
    marks[key] = Mark::Open;
    stack.push_back(key);
    std::vector<std::pair<std::string, std::string>> same;
    if (auto r = n->find("$ref"); r != n->end() && r->is_string()) {
      auto [rd, rp] = split_fragment(r->get<std::string>());
      same.emplace_back(rd, pct_decode(rp));
    }
    for (const char *k : {"allOf", "anyOf", "oneOf"})
      if (auto a = n->find(k); a != n->end() && a->is_array())
        for (size_t i = 0; i < a->size(); ++i)
          same.emplace_back(d, p + "/" + k + "/" + std::to_string(i));
    for (const char *k : {"not", "if", "then", "else"})
      if (n->contains(k))
        same.emplace_back(d, p + "/" + k);
    if (auto deps = n->find("dependencies"); deps != n->end() && deps->is_object())
      for (auto it = deps->begin(); it != deps->end(); ++it)
        if (it->is_object())
          same.emplace_back(d, p + "/dependencies/" + escape_token(it.key()));
    for (auto &[sd, sp] : same)
      if (!walk(sd, sp))
        return false;
    stack.pop_back();
    marks[key] = Mark::Done;
    if (seen.insert(key).second) // the parts of the value: walked afresh
      for_each_subschema(*n, p,
                         [&](const json &, const std::string &cp) { todo.emplace_back(d, cp); });
    return true;
  };
  while (!todo.empty()) {
    auto [d, p] = todo.back();
    todo.pop_back();
    if (!walk(d, p))
      return false;
  }
  return true;
}

} // namespace seam
