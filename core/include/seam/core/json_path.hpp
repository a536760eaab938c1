// Paths into a step's output document: `json.items[0].id`, `headers.content-type`,
// `rows[0]["e-mail"]`, `json.items[-1]` (from the end). An empty path is the
// whole document.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace seam {

using json = nlohmann::json;

class JsonPath {
public:
  using Segment = std::variant<std::string, long>; // key or index

  // Parses a path; on error returns nullopt and sets *error (with the column,
  // 0-based, in *error_col).
  static std::optional<JsonPath> parse(std::string_view text, std::string *error = nullptr,
                                       size_t *error_col = nullptr);

  // The value at this path, or nullptr when any segment is missing.
  const json *find(const json &doc) const;
  // The value at this path in `doc`, made on the way: null becomes the object
  // or array a segment needs, arrays grow with nulls. nullptr (and *why) when
  // a value of another type is in the way or an index is negative.
  json *make(json &doc, std::string *why = nullptr) const;

  const std::vector<Segment> &segments() const { return segs_; }
  const std::string &text() const { return text_; }
  bool empty() const { return segs_.empty(); }

private:
  std::vector<Segment> segs_;
  std::string text_;
};

} // namespace seam
