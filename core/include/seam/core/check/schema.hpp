// Checks step inputs against the JSON Schema a plugin declares, so that
// `seam check` catches a wrong input before anything runs. Supports the subset
// plugins are told to use (docs/plugin-authoring.md): type, properties,
// required, additionalProperties, items, enum, const, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, minItems,
// maxItems, oneOf, anyOf, allOf, not; annotations are ignored. A `discarded`
// json value (an interpolated part, unknown until run time) passes any schema.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace seam {

using json = nlohmann::json;

struct SchemaError {
  std::vector<std::variant<std::string, size_t>> path; // where in the value
  std::string message;                                 // names the field and the rule
  std::string hint;
};

// `at` is where `value` sits in a larger document (a schema of one input
// checks `with.ms`): messages and paths name the whole location.
std::vector<SchemaError> validate_schema(const json &schema, const json &value,
                                         std::vector<std::variant<std::string, size_t>> at = {});

// Values at places the schema marks "x-seam-secret": true (a password, a
// token), as text, so that they can be masked even when no plugin runs.
void collect_secret_values(const json &schema, const json &value, std::vector<std::string> &out);
// Whether a value with holes (parts known at run time only) is fully
// checked at run time by checking each property that holds a hole on its
// own: true when nothing at the top level relates values across keys.
bool schema_checks_per_property(const json &schema);
// Whether a schema marks anything secret (checked once per schema).
bool schema_has_secrets(const json &schema);
// Where an object's schema lets a secret in, worked out once per schema (a
// step target's) for the question the checker asks of every step.
struct SecretInputs {
  bool any = false;        // the schema marks something secret (schema_has_secrets)
  bool whole = false;      // the object itself, or one of its oneOf/anyOf/allOf
  bool additional = false; // additionalProperties, for a member no property names
  std::map<std::string, bool, std::less<>> properties; // each property's subschema

  // Whether an object with members named `keys` can hold a value that
  // collect_secret_values finds.
  bool may_hold(const std::vector<std::string_view> &keys) const;
};
SecretInputs secret_inputs_of(const json &schema);

// "with.headers.accept" style name of a location, for messages.
std::string describe_path(const std::vector<std::variant<std::string, size_t>> &path);

} // namespace seam
