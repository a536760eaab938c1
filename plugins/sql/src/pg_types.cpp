// pg_types.cpp - built-in PostgreSQL types and the array text format
// (https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO).
#include "pg_types.hpp"

#include <array>
#include <cctype>
#include <unordered_map>
#include <vector>

namespace seam::sql {

namespace {

// Scalar types with their array types: {oid, name, array oid}.
struct scalar_entry {
  unsigned oid;
  const char *name;
  unsigned array_oid;
  const char *array_name;
  char delimiter;
};

constexpr std::array<scalar_entry, 41> kScalars{{
    {16, "boolean", 1000, "boolean[]", ','},
    {17, "bytea", 1001, "bytea[]", ','},
    {18, "\"char\"", 1002, "\"char\"[]", ','},
    {19, "name", 1003, "name[]", ','},
    {20, "bigint", 1016, "bigint[]", ','},
    {21, "smallint", 1005, "smallint[]", ','},
    {23, "integer", 1007, "integer[]", ','},
    {25, "text", 1009, "text[]", ','},
    {26, "oid", 1028, "oid[]", ','},
    {114, "json", 199, "json[]", ','},
    {142, "xml", 143, "xml[]", ','},
    {600, "point", 1017, "point[]", ','},
    {601, "lseg", 1018, "lseg[]", ','},
    {602, "path", 1019, "path[]", ','},
    {603, "box", 1020, "box[]", ';'},
    {604, "polygon", 1027, "polygon[]", ','},
    {628, "line", 629, "line[]", ','},
    {718, "circle", 719, "circle[]", ','},
    {650, "cidr", 651, "cidr[]", ','},
    {700, "real", 1021, "real[]", ','},
    {701, "double precision", 1022, "double precision[]", ','},
    {790, "money", 791, "money[]", ','},
    {829, "macaddr", 1040, "macaddr[]", ','},
    {869, "inet", 1041, "inet[]", ','},
    {1042, "character", 1014, "character[]", ','},
    {1043, "character varying", 1015, "character varying[]", ','},
    {1082, "date", 1182, "date[]", ','},
    {1083, "time without time zone", 1183, "time without time zone[]", ','},
    {1114, "timestamp without time zone", 1115, "timestamp without time zone[]", ','},
    {1184, "timestamp with time zone", 1185, "timestamp with time zone[]", ','},
    {1186, "interval", 1187, "interval[]", ','},
    {1266, "time with time zone", 1270, "time with time zone[]", ','},
    {1560, "bit", 1561, "bit[]", ','},
    {1562, "bit varying", 1563, "bit varying[]", ','},
    {1700, "numeric", 1231, "numeric[]", ','},
    {2950, "uuid", 2951, "uuid[]", ','},
    {3802, "jsonb", 3807, "jsonb[]", ','},
    {3904, "int4range", 3905, "int4range[]", ','},
    {3906, "numrange", 3907, "numrange[]", ','},
    {3912, "daterange", 3913, "daterange[]", ','},
    {3926, "int8range", 3927, "int8range[]", ','},
}};

// Filled once from kScalars: every scalar and every array type.
const std::vector<pg_type> &all_types() {
  static const std::vector<pg_type> types = [] {
    std::vector<pg_type> v;
    for (const auto &s : kScalars) {
      v.push_back({s.oid, s.name, 0, ','});
      v.push_back({s.array_oid, s.array_name, s.oid, s.delimiter});
    }
    v.push_back({3908, "tsrange", 0, ','});
    v.push_back({3909, "tsrange[]", 3908, ','});
    v.push_back({3910, "tstzrange", 0, ','});
    v.push_back({3911, "tstzrange[]", 3910, ','});
    v.push_back({1033, "aclitem", 0, ','});
    v.push_back({2249, "record", 0, ','});
    v.push_back({2287, "record[]", 2249, ','});
    return v;
  }();
  return types;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

class array_reader {
public:
  array_reader(std::string_view text, char delimiter,
               const std::function<json(const std::string &)> &element)
      : s_(text), delim_(delimiter), element_(element) {}

  std::optional<json> read() {
    // `[1:3]={...}`: bounds other than the default 1; JSON arrays have none.
    if (!s_.empty() && s_[0] == '[') {
      size_t eq = s_.find('=');
      if (eq == std::string_view::npos)
        return std::nullopt;
      i_ = eq + 1;
    }
    auto v = dimension();
    skip_space();
    if (!v || i_ != s_.size())
      return std::nullopt;
    return v;
  }

private:
  void skip_space() {
    while (i_ < s_.size() && is_space(s_[i_]))
      ++i_;
  }

  std::optional<json> dimension() {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != '{')
      return std::nullopt;
    ++i_;
    json out = json::array();
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return out;
    }
    for (;;) {
      skip_space();
      if (i_ >= s_.size())
        return std::nullopt;
      if (s_[i_] == '{') {
        auto inner = dimension();
        if (!inner)
          return std::nullopt;
        out.push_back(std::move(*inner));
      } else {
        auto e = item();
        if (!e)
          return std::nullopt;
        out.push_back(std::move(*e));
      }
      skip_space();
      if (i_ >= s_.size())
        return std::nullopt;
      if (s_[i_] == '}') {
        ++i_;
        return out;
      }
      if (s_[i_] != delim_)
        return std::nullopt;
      ++i_;
    }
  }

  // One element: "quoted" (backslash escapes anything) or bare (up to the
  // delimiter or '}', surrounding spaces dropped; bare NULL is NULL).
  std::optional<json> item() {
    std::string text;
    if (s_[i_] == '"') {
      ++i_;
      for (;; ++i_) {
        if (i_ >= s_.size())
          return std::nullopt;
        char c = s_[i_];
        if (c == '"')
          break;
        if (c == '\\') {
          if (++i_ >= s_.size())
            return std::nullopt;
          c = s_[i_];
        }
        text += c;
      }
      ++i_;
      return element_(text);
    }
    size_t last_kept = 0; // length of text up to its last non-space character
    for (; i_ < s_.size() && s_[i_] != delim_ && s_[i_] != '}'; ++i_) {
      char c = s_[i_];
      if (c == '"' || c == '{')
        return std::nullopt;
      if (c == '\\') {
        if (++i_ >= s_.size())
          return std::nullopt;
        text += s_[i_];
        last_kept = text.size();
        continue;
      }
      text += c;
      if (!is_space(c))
        last_kept = text.size();
    }
    text.resize(last_kept);
    if (text.empty())
      return std::nullopt;
    if (text.size() == 4 && (text[0] | 0x20) == 'n' && (text[1] | 0x20) == 'u' &&
        (text[2] | 0x20) == 'l' && (text[3] | 0x20) == 'l')
      return json(nullptr);
    return element_(text);
  }

  std::string_view s_;
  char delim_;
  const std::function<json(const std::string &)> &element_;
  size_t i_ = 0;
};

void append_literal(std::string &out, const json &v);

void append_quoted(std::string &out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  out += '"';
}

void append_literal(std::string &out, const json &v) {
  switch (v.type()) {
  case json::value_t::null:
    out += "NULL";
    return;
  case json::value_t::array: {
    out += '{';
    bool first = true;
    for (const auto &e : v) {
      if (!first)
        out += ',';
      first = false;
      append_literal(out, e);
    }
    out += '}';
    return;
  }
  case json::value_t::string:
    append_quoted(out, v.get_ref<const std::string &>());
    return;
  case json::value_t::boolean:
    out += v.get<bool>() ? "true" : "false";
    return;
  case json::value_t::object:
    append_quoted(out, v.dump());
    return;
  default: // numbers: JSON's text is PostgreSQL's
    out += v.dump();
    return;
  }
}

} // namespace

const pg_type *builtin_pg_type(unsigned oid) {
  // Called for every value of a type values.cpp does not map itself (text
  // among them): one hash lookup, not a walk through the table.
  static const std::unordered_map<unsigned, const pg_type *> by_oid = [] {
    std::unordered_map<unsigned, const pg_type *> m;
    for (const auto &t : all_types())
      m.emplace(t.oid, &t);
    return m;
  }();
  auto it = by_oid.find(oid);
  return it == by_oid.end() ? nullptr : it->second;
}

std::string pg_type_name(unsigned oid) {
  const pg_type *t = builtin_pg_type(oid);
  return t ? t->name : std::to_string(oid);
}

std::optional<json>
pg_array_from_text(std::string_view text, char delimiter,
                   const std::function<json(const std::string &element)> &element) {
  return array_reader(text, delimiter, element).read();
}

std::string pg_array_literal(const json &array) {
  std::string out;
  append_literal(out, array);
  return out;
}

} // namespace seam::sql
