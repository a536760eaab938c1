// connection.cpp - what the backends share: opening by dialect, result
// shapes and rows, the parameter check and error positions.
#include "connection.hpp"

#include "sql_text.hpp"

#include <algorithm>

namespace seam::sql {

std::unique_ptr<connection> open_connection(const db_url &url, const connection_options &opts) {
  return url.kind == dialect::sqlite ? open_sqlite(url, opts) : open_postgresql(url, opts);
}

result_shape::result_shape(std::vector<std::string> cols, std::vector<std::string> type_names)
    : columns(std::move(cols)), types(std::move(type_names)) {
  order.resize(columns.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return columns[a] < columns[b]; });
  keys.reserve(columns.size());
  for (const auto &c : columns)
    keys.emplace_back(c);
  seam::json_builder out;
  out.begin_array();
  for (const auto &c : columns)
    out.value(c);
  columns_json = out.end_array().take();
  out.begin_array();
  for (const auto &t : types)
    if (t.empty())
      out.value(nullptr);
    else
      out.value(t);
  types_json = out.end_array().take();
}

seam::json_text row_writer::finish() {
  out_.end_array();
  return out_.take();
}

void check_params(const std::vector<std::string> &names, seam::json_view params) {
  bool none = params.missing() || params.is_null();
  if (names.empty() && none)
    return;
  if (!none && !params.is_object())
    throw seam::error("params must be a table of named values ({ email = \"a@b.c\" }), not " +
                      std::string(params.type_name()));
  auto list = [](const std::vector<std::string> &v) {
    std::string s;
    for (const auto &n : v)
      s += (s.empty() ? ":" : ", :") + n;
    return s.empty() ? std::string("none") : s;
  };
  for (const auto &n : names)
    if (!params.contains(n)) {
      std::vector<std::string> given;
      params.members([&](std::string_view k, seam::json_view) { given.emplace_back(k); });
      throw seam::error("the SQL uses :" + n + " but params has no \"" + n + "\" (params given: " +
                        list(given) + "); add it to params, or write NULL in the SQL");
    }
  params.members([&](std::string_view k, seam::json_view) {
    if (std::find(names.begin(), names.end(), k) == names.end())
      throw seam::error("params." + std::string(k) + " is not used by the SQL (it uses " +
                        list(names) + "); remove it or check its spelling");
  });
}

std::string describe_position(std::string_view sql, size_t offset) {
  if (offset == std::string::npos || offset > sql.size())
    return {};
  text_position p = locate(sql, offset);
  std::string line(p.line_text);
  size_t column = p.column;
  // Keep long lines readable: show at most 100 characters around the caret.
  if (line.size() > 100 && column > 60) {
    size_t cut = utf8_offset(line, column - 40);
    line = "..." + line.substr(cut);
    column = 44;
  }
  if (line.size() > 120)
    line = line.substr(0, 117) + "...";
  std::string out = "\n  at line " + std::to_string(p.line) + ", column " +
                    std::to_string(p.column) + ":\n    " + line + "\n    ";
  out.append(column - 1, ' ');
  out += '^';
  return out;
}

} // namespace seam::sql
