// JSON Schema validation of a value (the `schema` and `openapi` matchers), on
// valijson. A SchemaSet holds the documents a schema is made of: the one the
// suite names and every document its `$ref`s reach, each rewritten once into
// the form valijson reads (see schema_documents.cpp for why and how).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace valijson {
class Schema;
}

namespace seam {

using json = nlohmann::json;

// The rules a document's schemas follow: chosen by its `$schema`, or by the
// OpenAPI version of the document that holds them.
enum class SchemaDialect { Draft7, Draft2020_12, OpenApi30 };

// The dialect a `$schema` URI names; nullopt for one seam does not support.
std::optional<SchemaDialect> dialect_of(const std::string &schema_uri);

struct SchemaViolation {
  std::string path;    // where in the value, as a suffix of a seam path: ".items[2].id"
  std::string keyword; // the schema keyword that does not hold: "type", "required", "format"
  std::string message; // what is wrong, without the path
};

// A document that a `$ref` names and that is not in the set yet: its JSON,
// or nullopt with *error saying why. `uri` has no fragment.
using DocumentFetch =
    std::function<std::optional<json>(const std::string &uri, std::string *error)>;

// Reads file:// URIs from the file system; YAML when the name ends in .yaml/.yml.
std::optional<json> fetch_file(const std::string &uri, std::string *error);

class SchemaSet {
public:
  explicit SchemaSet(DocumentFetch fetch = fetch_file);
  ~SchemaSet();
  SchemaSet(const SchemaSet &) = delete;
  SchemaSet &operator=(const SchemaSet &) = delete;

  // Adds a document under `uri` (absolute, no fragment). A schema document
  // takes its dialect from its own `$schema`, else from `dialect`; with
  // `schemas_at`, the document is no schema (an OpenAPI description) and
  // only the schemas at those JSON pointers are read. false and *error when
  // a schema in it is wrong (a `$ref` that leads nowhere, a bad pattern).
  bool add(const std::string &uri, json doc, SchemaDialect dialect, std::string *error,
           const std::vector<std::string> *schemas_at = nullptr);
  bool contains(const std::string &uri) const;
  const json *document(const std::string &uri) const;

  // The pieces the set is made of, shared with the compiled schemas.
  struct Store;

private:
  friend class CompiledSchema;
  std::shared_ptr<Store> store_;
};

class CompiledSchema {
public:
  // The schema at `ref` ("URI#/json/pointer", or a URI alone: the document's
  // root), with every document it reaches. nullptr and *error when it cannot
  // be compiled.
  static std::shared_ptr<const CompiledSchema> compile(SchemaSet &set, const std::string &ref,
                                                       std::string *error);
  ~CompiledSchema();

  // Every violation of `value`, in document order.
  std::vector<SchemaViolation> validate(const json &value) const;

private:
  CompiledSchema();
  std::unique_ptr<valijson::Schema> schema_;
  std::shared_ptr<SchemaSet::Store> store_; // the documents the schema was read from
};

// Whether `value` has `format` (date-time, date, time, email, uuid, uri,
// uri-reference, ipv4, ipv6, hostname, json-pointer, regex); true for a format
// seam does not know: the specification makes those annotations.
bool format_holds(const std::string &format, const std::string &value);

// The file name given to an inline schema (its $refs are relative to the suite).
inline constexpr const char *kInlineName = "(inline schema)";
// A document's name in messages: a path relative to the working directory
// when below it, "the inline schema", or the URI.
std::string display_path(const std::string &uri);

// "file:///abs/dir/x.json" for a path (made absolute); and back.
std::string file_uri(const std::string &path);
std::optional<std::string> file_path_of(const std::string &uri);

// `ref` resolved against `base` (RFC 3986, section 5.2).
std::string resolve_uri(const std::string &base, const std::string &ref);

} // namespace seam
