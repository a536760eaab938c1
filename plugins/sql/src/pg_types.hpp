// pg_types.hpp - PostgreSQL's built-in types by OID (their names, and for
// array types the element type), and the array text format: `{1,2,NULL}`,
// `{{1,2},{3,4}}`, `{"a,b","say \"hi\""}`, `[0:1]={1,2}`, read into JSON
// arrays and written from them for bound parameters.
#ifndef SEAM_SQL_PG_TYPES_HPP
#define SEAM_SQL_PG_TYPES_HPP

#include <seam/plugin.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace seam::sql {

struct pg_type {
  unsigned oid;
  const char *name;     // as format_type() spells it: "integer", "numeric[]"
  unsigned element;     // array types: the element's OID; 0 otherwise
  char delimiter = ','; // between array elements (box[] uses ';')
};

// A built-in type (pg_type.dat; OIDs below 10000 are fixed across server
// versions); nullptr for others (user-defined enums, domains, composites).
const pg_type *builtin_pg_type(unsigned oid);

// The name of a result column's type for the output's `types`; an OID that
// is no built-in type is given as its number ("16391").
std::string pg_type_name(unsigned oid);

// Reads array text; `element` turns each non-NULL element's text into JSON.
// nullopt when the text is no array (it is then returned as text).
std::optional<json>
pg_array_from_text(std::string_view text, char delimiter,
                   const std::function<json(const std::string &element)> &element);

// A JSON array as array text for a parameter: strings quoted and escaped,
// null as NULL, nested arrays as dimensions, objects as JSON text.
std::string pg_array_literal(const json &array);

} // namespace seam::sql

#endif
