// What a SchemaSet holds (private to core/src/expect): the documents, rewritten
// for valijson, and where each `$id` and anchor is.
#pragma once

#include "seam/core/expect/json_schema.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seam {

namespace schema_detail {

// Percent-encoding (RFC 3986) of a JSON pointer in a URI fragment, and back.
std::string pct_encode(std::string_view s);
std::string pct_decode(std::string_view s);
// A key as a JSON pointer token (RFC 6901): ~ -> ~0, / -> ~1.
std::string escape_token(const std::string &key);
// "uri#fragment" -> {"uri", "fragment"}.
std::pair<std::string, std::string> split_fragment(const std::string &uri);

// Pointer segments (about two per level of nesting), or `$ref`s in a chain.
constexpr size_t kMaxSchemaDepth = 512;

// Calls f(child, pointer) for every subschema of the schema object n.
template <class J, class F> void for_each_subschema(J &n, const std::string &ptr, F &&f) {
  static const char *single[] = {"additionalItems",
                                 "additionalProperties",
                                 "contains",
                                 "propertyNames",
                                 "not",
                                 "if",
                                 "then",
                                 "else",
                                 "unevaluatedItems",
                                 "unevaluatedProperties"};
  static const char *lists[] = {"allOf", "anyOf", "oneOf", "prefixItems"};
  static const char *maps[] = {"properties", "patternProperties", "definitions",
                               "$defs",      "dependentSchemas",  "dependencies"};
  auto schema_like = [](const json &v) { return v.is_object() || v.is_boolean(); };
  for (const char *k : single) {
    auto it = n.find(k);
    if (it != n.end() && schema_like(*it))
      f(*it, ptr + "/" + k);
  }
  if (auto it = n.find("items"); it != n.end()) {
    if (schema_like(*it))
      f(*it, ptr + "/items");
    else if (it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        f((*it)[i], ptr + "/items/" + std::to_string(i));
  }
  for (const char *k : lists) {
    auto it = n.find(k);
    if (it != n.end() && it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        f((*it)[i], ptr + "/" + k + "/" + std::to_string(i));
  }
  for (const char *k : maps) {
    auto it = n.find(k);
    if (it != n.end() && it->is_object())
      for (auto m = it->begin(); m != it->end(); ++m)
        if (schema_like(m.value()))
          f(m.value(), ptr + "/" + k + "/" + escape_token(m.key()));
  }
}

} // namespace schema_detail

struct SchemaSet::Store {
  DocumentFetch fetch;
  // By URI (no fragment); a document is never moved once added, so valijson
  // reads it in place.
  std::map<std::string, std::unique_ptr<json>> docs;
  std::map<std::string, SchemaDialect> dialects;
  // An absolute `$id` or "URI#anchor" -> (document, JSON pointer).
  std::map<std::string, std::pair<std::string, std::string>> ids;
  // Per document, the pointers below which it has been rewritten; and the
  // documents of which only some places are schemas (OpenAPI descriptions).
  std::map<std::string, std::vector<std::string>> walked;
  std::set<std::string> partial;

  bool add(const std::string &uri, json doc, SchemaDialect dialect, std::string *error,
           const std::vector<std::string> *schemas_at);
  // Rewrites the schema at `ptr` of `doc` (and what it reaches) unless done.
  bool reach(const std::string &doc, const std::string &ptr, std::string *error);
  // false and *error when the schema at `ptr` loops on one value ({"$ref": "#"}).
  bool check_loops(const std::string &doc, const std::string &ptr, std::string *error) const;
};

// "DOC#/pointer" in the form the rewritten `$ref`s take.
std::string schema_ref(const std::string &doc, const std::string &pointer);

} // namespace seam
