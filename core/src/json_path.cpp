#include "seam/core/json_path.hpp"

namespace seam {

namespace {
// make() fills arrays up to the index with nulls: a bound keeps a typo from
// allocating gigabytes.
constexpr long kMaxMadeIndex = 1000000;
bool is_key_char(char c) { return c != '.' && c != '[' && c != ']' && c != '"'; }
} // namespace

std::optional<JsonPath> JsonPath::parse(std::string_view s, std::string *error,
                                        size_t *error_col) {
  JsonPath p;
  p.text_ = std::string(s);
  auto fail = [&](size_t col, std::string msg) -> std::optional<JsonPath> {
    if (error)
      *error = std::move(msg);
    if (error_col)
      *error_col = col;
    return std::nullopt;
  };
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

const json *JsonPath::find(const json &doc) const {
  const json *cur = &doc;
  for (const auto &seg : segs_) {
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
      long n = static_cast<long>(cur->size());
      if (idx < 0)
        idx += n;
      if (idx < 0 || idx >= n)
        return nullptr;
      cur = &(*cur)[static_cast<size_t>(idx)];
    }
  }
  return cur;
}

json *JsonPath::make(json &doc, std::string *why) const {
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
      if (idx >= kMaxMadeIndex)
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

} // namespace seam
