// values.hpp - how database values become JSON and JSON parameters become
// database values, the same way on every backend:
//   integers -> numbers, floating point -> numbers (NaN/Infinity as strings),
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

// A JSON parameter as PostgreSQL text (nullopt: NULL).
std::optional<std::string> pg_param(const json &value);

// The kind of SQLite column declaration ("BOOLEAN", "TIMESTAMP", "JSON") that
// refines a stored value's type.
enum class sqlite_decl { none, boolean, datetime, json };
sqlite_decl classify_decltype(const char *decltype_text);

} // namespace seam::sql

#endif
