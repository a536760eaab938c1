// csv.hpp - CSV text (RFC 4180) to JSON rows, on libcsv.
#pragma once

#include <seam/plugin.hpp>

#include <string_view>

namespace seam_fs {

struct csv_options {
  bool header = true; // the first record names the columns
  char delimiter = ',';
};

// With a header: an array of {column: value} objects, one per record after
// the header; without: an array of arrays. Values stay text (CSV has no
// types); spaces are kept; empty lines are skipped. Throws seam::error naming
// the record (1: the first line) on a malformed quote or a record whose
// field count differs from the header's.
seam::json parse_csv(std::string_view text, const csv_options &options);

} // namespace seam_fs
