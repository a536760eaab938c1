// Reading the cases of a data-driven test: inline tables, CSV (libcsv) or a
// JSON array, each case located where it is written.
#include "cases.hpp"
#include "seam/core/base/file_text.hpp"

#include <csv.h>

#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

namespace seam {

namespace {

namespace fs = std::filesystem;

json toml_value(const toml::node &n) {
  if (const auto *t = n.as_table()) {
    json o = json::object();
    for (auto &&[k, v] : *t)
      o[std::string(k.str())] = toml_value(v);
    return o;
  }
  if (const auto *a = n.as_array()) {
    json arr = json::array();
    for (auto &&v : *a)
      arr.push_back(toml_value(v));
    return arr;
  }
  if (auto s = n.value<std::string>(); s && n.is_string())
    return *s;
  if (n.is_integer())
    return n.as_integer()->get();
  if (n.is_floating_point())
    return n.as_floating_point()->get();
  if (n.is_boolean())
    return n.as_boolean()->get();
  std::ostringstream text; // dates and times, as TOML writes them
  if (const auto *d = n.as_date())
    text << *d;
  else if (const auto *t = n.as_time())
    text << *t;
  else if (const auto *dt = n.as_date_time())
    text << *dt;
  return text.str();
}

struct Case {
  json values;
  SourceLoc loc;
};

// RFC 4180 rows, each with the line it starts on. Fed one line at a time,
// so that a row's end (libcsv's callback) is known to fall on that line.
struct CsvReader {
  std::vector<std::vector<std::string>> rows;
  std::vector<uint32_t> lines;
  std::vector<std::string> row;
  uint32_t line = 1, row_start = 1;
  uint32_t next_row = 1; // where a row not yet ended began, at the latest
  bool in_row = false;

  static void on_field(void *data, size_t len, void *self) {
    auto *r = static_cast<CsvReader *>(self);
    if (!r->in_row) {
      r->in_row = true;
      r->row_start = r->line;
    }
    r->row.emplace_back(static_cast<const char *>(data), len);
  }
  static void on_row(int, void *self) {
    auto *r = static_cast<CsvReader *>(self);
    if (!r->in_row)
      r->row_start = r->line;
    r->rows.push_back(std::move(r->row));
    r->lines.push_back(r->row_start);
    r->row.clear();
    r->in_row = false;
    r->next_row = r->line + 1;
  }
};

int no_space(unsigned char) { return 0; } // RFC 4180: spaces belong to the field

std::vector<Case> read_csv(const SourceFile *file, std::vector<Diagnostic> &errors) {
  const std::string &text = file->text;
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    errors.push_back({{file, 1, 1}, "cannot read CSV: out of memory", ""});
    return {};
  }
  std::unique_ptr<csv_parser, void (*)(csv_parser *)> guard(&parser, csv_free);
  csv_set_space_func(&parser, no_space);
  CsvReader r;
  size_t pos = 0;
  bool ok = true;
  while (ok && pos < text.size()) {
    size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    ok = csv_parse(&parser, text.data() + pos, end - pos, CsvReader::on_field, CsvReader::on_row,
                   &r) == end - pos;
    if (ok && text[end - 1] == '\n')
      ++r.line;
    if (ok)
      pos = end;
  }
  if (ok)
    ok = csv_fini(&parser, CsvReader::on_field, CsvReader::on_row, &r) == 0;
  if (!ok) {
    // The row that could not be read began after the last one read.
    errors.push_back({{file, r.in_row ? r.row_start : std::min(r.next_row, r.line), 1},
                      std::string("malformed CSV (a quote not closed, or text after a closing "
                                  "quote): ") +
                          csv_strerror(csv_error(&parser)),
                      "RFC 4180: fields with commas, quotes or newlines are quoted, a quote "
                      "inside them doubled (\"a \"\"b\"\"\")"});
    return {};
  }
  if (r.rows.empty()) {
    errors.push_back({{file, 1, 1}, "the CSV file is empty", "its first row names the columns"});
    return {};
  }
  const auto &header = r.rows.front();
  std::set<std::string> seen;
  for (const auto &h : header)
    if (h.empty() || !seen.insert(h).second) {
      errors.push_back({{file, r.lines.front(), 1},
                        h.empty() ? "a column of the header row has no name"
                                  : "the header row names column '" + h + "' twice",
                        "the first row names the columns: name,email,expected_status"});
      return {};
    }
  std::vector<Case> out;
  for (size_t i = 1; i < r.rows.size(); ++i) {
    const auto &row = r.rows[i];
    if (row.size() != header.size()) {
      std::string missing;
      for (size_t c = row.size(); c < header.size(); ++c)
        missing += (missing.empty() ? "" : ", ") + header[c];
      errors.push_back({{file, r.lines[i], 1},
                        row.size() < header.size()
                            ? "row has " + std::to_string(row.size()) + " of the " +
                                  std::to_string(header.size()) + " columns: no " + missing
                            : "row has " + std::to_string(row.size()) + " fields, the header " +
                                  std::to_string(header.size()),
                        "every row has a field for each column of the header (an empty one: ,,)"});
      continue;
    }
    json values = json::object();
    for (size_t c = 0; c < header.size(); ++c)
      values[header[c]] = row[c];
    out.push_back({std::move(values), {file, r.lines[i], 1}});
  }
  return out;
}

std::vector<Case> read_json(const SourceFile *file, std::vector<Diagnostic> &errors) {
  json doc;
  try {
    doc = json::parse(file->text);
  } catch (const json::parse_error &e) {
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < file->text.size(); ++i) {
      if (file->text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    errors.push_back(
        {{file, line, col}, "malformed JSON: " + what.substr(what.rfind(": ") + 2), ""});
    return {};
  }
  if (!doc.is_array()) {
    errors.push_back({{file, 1, 1},
                      "the cases file holds no JSON array",
                      "write [ { \"name\": \"alice\", \"age\": 30 }, ... ]"});
    return {};
  }
  std::vector<Case> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    if (!doc[i].is_object()) {
      errors.push_back({{file, 1, 1},
                        "case " + std::to_string(i) + " is not a JSON object",
                        "each case is an object of its values"});
      continue;
    }
    out.push_back({std::move(doc[i]), {file, 0, 0}});
  }
  return out;
}

} // namespace

std::vector<TestDef> expand_cases(const TestDef &base, const toml::node &cases,
                                  const std::function<SourceLoc(const toml::node &)> &at,
                                  const std::string &suite_path, std::vector<Diagnostic> &errors) {
  const size_t errors_before = errors.size();
  std::vector<Case> read;
  auto table = std::make_shared<CaseTable>();
  table->at = at(cases);
  if (const auto *list = cases.as_array()) {
    for (auto &&c : *list) {
      if (!c.is_table()) {
        errors.push_back(
            {at(c), "each case is a table of its values",
             "cases = [ { name = \"alice\", age = 30 }, { name = \"bob\", age = 41 } ]"});
        continue;
      }
      read.push_back({toml_value(c), at(c)});
    }
  } else if (auto path = cases.value<std::string>(); path && cases.is_string()) {
    fs::path full = fs::path(suite_path).parent_path() / *path;
    std::string ext = full.extension().string();
    if (ext != ".csv" && ext != ".json") {
      errors.push_back({table->at, "cases file '" + *path + "' is neither .csv nor .json",
                        "cases = \"data/users.csv\" (a header row, then a row per case) or a "
                        "JSON array of objects"});
      return {};
    }
    std::optional<std::string> text = read_file_text(full.string());
    if (!text) {
      errors.push_back({table->at, "cannot read cases file " + full.string(),
                        "the path is relative to the suite file"});
      return {};
    }
    const SourceFile *file = SourceFile::intern(full.string(), std::move(*text));
    table->source = file;
    read = ext == ".csv" ? read_csv(file, errors) : read_json(file, errors);
  } else {
    errors.push_back({table->at, "'cases' must be an array of tables or a file name",
                      "cases = [ { name = \"alice\" } ] or cases = \"data/users.csv\""});
    return {};
  }
  if (read.empty()) {
    if (errors.size() == errors_before)
      errors.push_back({table->at, "test '" + base.name + "' has no cases",
                        "a test with `cases` runs once per case; give at least one"});
    return {};
  }
  std::set<std::string> columns;
  for (const auto &c : read)
    for (const auto &[k, v] : c.values.items())
      if (columns.insert(k).second)
        table->columns.push_back(k);
  std::vector<TestDef> out;
  for (size_t i = 0; i < read.size(); ++i) {
    TestDef t = base;
    const json &name = read[i].values.contains("name") ? read[i].values["name"] : json();
    t.name = base.name + " [" +
             (name.is_string() && !name.get<std::string>().empty() ? name.get<std::string>()
                                                                   : std::to_string(i)) +
             "]";
    t.cases = table;
    t.case_values = std::move(read[i].values);
    t.case_loc = read[i].loc.file ? read[i].loc : table->at;
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace seam
