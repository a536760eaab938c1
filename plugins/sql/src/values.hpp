// values.hpp - how database values become JSON and JSON parameters become
// database values, the same way on every backend:
//   integers -> numbers, floating point -> numbers (NaN/Infinity as strings),
//   NUMERIC -> a number when a double holds it exactly, else the string of
//   its exact digits (seam/exact_numbers.hpp), arrays -> JSON arrays,
//   booleans -> true/false, NULL -> null, text -> strings,
//   dates and timestamps -> ISO 8601 strings ("2024-05-01T12:30:00+00:00"),
//   binary -> base64 strings, json/jsonb -> the JSON value itself.
#ifndef SEAM_SQL_VALUES_HPP
#define SEAM_SQL_VALUES_HPP

#include <seam/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace seam::sql {

std::string base64_encode(std::string_view bytes);

// "2024-05-01 12:30:00.5+02" -> "2024-05-01T12:30:00.5+02:00". Text that is no
// timestamp is returned unchanged.
std::string iso8601(std::string_view text);

// A floating point value as JSON: a number, or "NaN"/"Infinity"/"-Infinity".
json double_value(double v);

// PostgreSQL's text output of a value of type `oid` as JSON.
json pg_value(unsigned oid, const char *text, int len);

// A JSON parameter as PostgreSQL text (nullopt: NULL); lists and tables as
// JSON text.
std::optional<std::string> pg_param(const json &value);

// The same for a parameter the server typed `param_oid` (0: unknown): a
// list becomes array text (`{1,2}`), unless the type is json, jsonb or text.
std::optional<std::string> pg_param(const json &value, unsigned param_oid);

// The kind of SQLite column declaration ("BOOLEAN", "TIMESTAMP", "JSON") that
// refines a stored value's type.
// "DECIMAL(30,10)", "NUMERIC" (decimal): text stored there that is a decimal
// number is read as an exact number.
enum class sqlite_decl { none, boolean, datetime, json, decimal };
sqlite_decl classify_decltype(const char *decltype_text);

} // namespace seam::sql

#endif
