// csv.cpp - libcsv's callbacks gathered into JSON.
#include "csv.hpp"

#include <csv.h>

#include <memory>
#include <set>

namespace seam_fs {

using seam::json;

namespace {

struct collector {
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> records;
};

void on_field(void *data, size_t len, void *self) {
  static_cast<collector *>(self)->fields.emplace_back(static_cast<const char *>(data), len);
}

void on_record(int, void *self) {
  auto *c = static_cast<collector *>(self);
  c->records.push_back(std::move(c->fields));
  c->fields.clear();
}

// RFC 4180: spaces belong to the field (libcsv trims them by default).
int no_space(unsigned char) { return 0; }

} // namespace

json parse_csv(std::string_view text, const csv_options &options) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    throw seam::error("CSV: cannot initialise the parser");
  std::unique_ptr<csv_parser, void (*)(csv_parser *)> guard(&parser, csv_free);
  csv_set_delim(&parser, static_cast<unsigned char>(options.delimiter));
  csv_set_space_func(&parser, no_space);
  collector c;
  size_t done = csv_parse(&parser, text.data(), text.size(), on_field, on_record, &c);
  if (done != text.size() || csv_fini(&parser, on_field, on_record, &c) != 0)
    throw seam::error("CSV: record " + std::to_string(c.records.size() + 1) + ": " +
                      csv_strerror(csv_error(&parser)) +
                      "; hint: a field holding a quote, a delimiter or a line break is "
                      "written in double quotes, with inner quotes doubled (\"\")");
  json rows = json::array();
  if (!options.header) {
    for (auto &r : c.records)
      rows.push_back(std::move(r));
    return rows;
  }
  if (c.records.empty())
    return rows;
  const auto &names = c.records[0];
  std::set<std::string> seen;
  for (const auto &n : names)
    if (!seen.insert(n).second)
      throw seam::error("CSV: the header names column \"" + n +
                        "\" twice; hint: header = false reads records as arrays");
  for (size_t i = 1; i < c.records.size(); ++i) {
    const auto &r = c.records[i];
    if (r.size() != names.size())
      throw seam::error("CSV: record " + std::to_string(i + 1) + " has " +
                        std::to_string(r.size()) + " fields, the header has " +
                        std::to_string(names.size()));
    json row = json::object();
    for (size_t k = 0; k < r.size(); ++k)
      row[names[k]] = r[k];
    rows.push_back(std::move(row));
  }
  return rows;
}

} // namespace seam_fs
