// seam/json_path.hpp - paths into JSON documents, in the suite's syntax:
// `json.items[0].id`, `headers.content-type`, `rows[0]["e-mail"]`,
// `json.items[-1]` (from the end); "" is the whole document. The host reads
// `expect` and `capture` paths with it, plugins their own path inputs (a
// mock's {json.id} placeholders, sql's "user.rows[0].id"), so that a path
// means the same everywhere.
#ifndef SEAM_JSON_PATH_HPP
#define SEAM_JSON_PATH_HPP

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace seam {

class json_path {
public:
  using json = nlohmann::json;
  using segment = std::variant<std::string, long>; // key or index

  // Parses a path; on error returns nullopt and sets *error (with the column,
  // 0-based, in *error_col).
  static std::optional<json_path> parse(std::string_view s, std::string *error = nullptr,
                                        size_t *error_col = nullptr) {
    json_path p;
    p.text_ = std::string(s);
    auto fail = [&](size_t col, std::string msg) -> std::optional<json_path> {
      if (error)
        *error = std::move(msg);
      if (error_col)
        *error_col = col;
      return std::nullopt;
    };
    auto is_key_char = [](char c) { return c != '.' && c != '[' && c != ']' && c != '"'; };
    size_t i = 0;
    bool expect_key = true; // at the start or after a '.'
    while (i < s.size()) {
      char c = s[i];
      if (c == '[') {
        size_t start = i++;
        if (i < s.size() && s[i] == '"') {
          std::string key;
          ++i;
          while (i < s.size() && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < s.size())
              ++i;
            key += s[i++];
          }
          if (i >= s.size() || i + 1 >= s.size() || s[i + 1] != ']')
            return fail(start, "unterminated [\"key\"] in path");
          i += 2;
          p.segs_.emplace_back(std::move(key));
        } else {
          bool neg = false;
          if (i < s.size() && s[i] == '-') {
            neg = true;
            ++i;
          }
          long n = 0;
          size_t digits = 0;
          while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            n = n * 10 + (s[i++] - '0');
            ++digits;
            if (n > 1000000000L)
              return fail(start, "array index too large in path");
          }
          if (digits == 0 || i >= s.size() || s[i] != ']')
            return fail(start, "expected an index like [0] or a key like [\"name\"] in path");
          ++i;
          p.segs_.emplace_back(neg ? -n : n);
        }
        expect_key = false;
      } else if (c == '.') {
        if (expect_key)
          return fail(i, "empty segment in path");
        expect_key = true;
        ++i;
      } else {
        if (!expect_key)
          return fail(i, "expected '.' or '[' in path");
        size_t start = i;
        while (i < s.size() && is_key_char(s[i]))
          ++i;
        if (i == start)
          return fail(i, std::string("unexpected '") + c + "' in path");
        p.segs_.emplace_back(std::string(s.substr(start, i - start)));
        expect_key = false;
      }
    }
    if (expect_key && !s.empty())
      return fail(s.size(), "path ends with '.'");
    return p;
  }

  // The value at this path, or nullptr when any segment is missing; then
  // *reached (if given) is the number of segments that were found, so that a
  // message can name the first missing one.
  const json *find(const json &doc, size_t *reached = nullptr) const {
    const json *cur = &doc;
    for (size_t n = 0; n < segs_.size(); ++n) {
      if (reached)
        *reached = n;
      const segment &seg = segs_[n];
      if (const auto *key = std::get_if<std::string>(&seg)) {
        if (!cur->is_object())
          return nullptr;
        auto it = cur->find(*key);
        if (it == cur->end())
          return nullptr;
        cur = &*it;
      } else {
        long idx = std::get<long>(seg);
        if (!cur->is_array())
          return nullptr;
        long size = static_cast<long>(cur->size());
        if (idx < 0)
          idx += size;
        if (idx < 0 || idx >= size)
          return nullptr;
        cur = &(*cur)[static_cast<size_t>(idx)];
      }
    }
    if (reached)
      *reached = segs_.size();
    return cur;
  }

  // The value at this path in `doc`, made on the way: null becomes the object
  // or array a segment needs, arrays grow with nulls. nullptr (and *why) when
  // a value of another type is in the way or an index is negative. (What a
  // host's output_* functions and seam::testing build outputs with.)
  json *make(json &doc, std::string *why = nullptr) const {
    // Arrays are filled up to the index with nulls: a bound keeps a typo
    // from allocating gigabytes.
    constexpr long max_made_index = 1000000;
    json *cur = &doc;
    auto fail = [&](std::string msg) -> json * {
      if (why)
        *why = std::move(msg);
      return nullptr;
    };
    for (const auto &seg : segs_) {
      if (const auto *key = std::get_if<std::string>(&seg)) {
        if (cur->is_null())
          *cur = json::object();
        if (!cur->is_object())
          return fail("'" + *key + "' of " + std::string(cur->type_name()) + " in path '" + text_ +
                      "'");
        cur = &(*cur)[*key];
      } else {
        long idx = std::get<long>(seg);
        if (idx < 0)
          return fail("negative index in path '" + text_ + "'");
        if (idx >= max_made_index)
          return fail("index too large in path '" + text_ + "'");
        if (cur->is_null())
          *cur = json::array();
        if (!cur->is_array())
          return fail("index into " + std::string(cur->type_name()) + " in path '" + text_ + "'");
        while (cur->size() <= static_cast<size_t>(idx))
          cur->push_back(nullptr);
        cur = &(*cur)[static_cast<size_t>(idx)];
      }
    }
    return cur;
  }

  // Parses and looks up in one go; nullptr for a path that does not parse.
  static const json *lookup(const json &doc, std::string_view path) {
    auto p = parse(path);
    return p ? p->find(doc) : nullptr;
  }

  const std::vector<segment> &segments() const { return segs_; }
  const std::string &text() const { return text_; }
  bool empty() const { return segs_.empty(); }

  // A segment as the path syntax writes it: `name`, `[2]`, `["e-mail"]`.
  static std::string format(const segment &seg) {
    if (const auto *key = std::get_if<std::string>(&seg))
      return *key;
    return "[" + std::to_string(std::get<long>(seg)) + "]";
  }

private:
  std::vector<segment> segs_;
  std::string text_;
};

} // namespace seam

#endif // SEAM_JSON_PATH_HPP
