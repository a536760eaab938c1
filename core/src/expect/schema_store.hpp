// What a SchemaSet holds (private to core/src/expect): the documents, rewritten
// for valijson, and where each `$id` and anchor is.
#pragma once

#include "seam/core/expect/json_schema.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace seam {

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
