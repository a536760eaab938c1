// sql_text.cpp - a small SQL lexer: just enough to find parameters and
// statement boundaries.
#include "sql_text.hpp"

#include <algorithm>
#include <cctype>

namespace seam::sql {

namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

// If a quoted, commented or dollar-quoted run starts at s[i], returns the
// offset just past it; otherwise returns i.
size_t skip_opaque(std::string_view s, size_t i, dialect d) {
  char c = s[i];
  auto next = [&](size_t k) { return k < s.size() ? s[k] : '\0'; };
  if (c == '-' && next(i + 1) == '-') {
    size_t end = s.find('\n', i);
    return end == std::string_view::npos ? s.size() : end;
  }
  if (c == '/' && next(i + 1) == '*') {
    // PostgreSQL block comments nest; SQLite's do not.
    int depth = 0;
    size_t k = i;
    while (k < s.size()) {
      if (s[k] == '/' && next(k + 1) == '*') {
        ++depth;
        k += 2;
        if (d == dialect::sqlite && depth > 1)
          depth = 1;
      } else if (s[k] == '*' && next(k + 1) == '/') {
        k += 2;
        if (--depth == 0)
          return k;
      } else {
        ++k;
      }
    }
    return s.size();
  }
  if (c == '\'' || c == '"' || (c == '`' && d == dialect::sqlite) ||
      (c == '[' && d == dialect::sqlite)) {
    char close = c == '[' ? ']' : c;
    // E'...' strings take backslash escapes (the caller passes the quote).
    bool backslash = d == dialect::postgresql && c == '\'' && i > 0 &&
                     (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !ident_char(s[i - 2]));
    size_t k = i + 1;
    while (k < s.size()) {
      if (backslash && s[k] == '\\') {
        k += 2;
        continue;
      }
      if (s[k] == close) {
        if (close != ']' && next(k + 1) == close) {
          k += 2; // doubled quote
          continue;
        }
        return k + 1;
      }
      ++k;
    }
    return s.size();
  }
  if (c == '$' && d == dialect::postgresql && (i == 0 || !ident_char(s[i - 1]))) {
    // $tag$ ... $tag$ (the tag may be empty); $1 is a positional parameter.
    size_t k = i + 1;
    while (k < s.size() && ident_char(s[k]) && !std::isdigit(static_cast<unsigned char>(s[i + 1])))
      ++k;
    if (k < s.size() && s[k] == '$') {
      std::string_view tag = s.substr(i, k - i + 1);
      size_t end = s.find(tag, k + 1);
      return end == std::string_view::npos ? s.size() : end + tag.size();
    }
  }
  return i;
}

} // namespace

size_t rewritten_sql::original_offset(size_t off) const {
  std::pair<size_t, size_t> best{0, 0};
  for (const auto &a : anchors) {
    if (a.first > off)
      break;
    best = a;
  }
  return best.second + (off - best.first);
}

rewritten_sql rewrite_named(std::string_view sql, dialect d) {
  rewritten_sql out;
  out.text.reserve(sql.size() + 8);
  out.anchors.emplace_back(0, 0);
  size_t i = 0;
  while (i < sql.size()) {
    size_t past = skip_opaque(sql, i, d);
    if (past != i) {
      out.text.append(sql.substr(i, past - i));
      i = past;
      continue;
    }
    char c = sql[i];
    if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      out.text.append("::");
      i += 2;
      continue;
    }
    if (c == ':' && i + 1 < sql.size() && ident_start(sql[i + 1]) &&
        !(i > 0 && (ident_char(sql[i - 1]) || sql[i - 1] == ':'))) {
      size_t k = i + 1;
      while (k < sql.size() && ident_char(sql[k]))
        ++k;
      std::string name(sql.substr(i + 1, k - i - 1));
      auto it = std::find(out.names.begin(), out.names.end(), name);
      size_t index = static_cast<size_t>(it - out.names.begin()) + 1;
      if (it == out.names.end())
        out.names.push_back(name);
      out.text += d == dialect::postgresql ? '$' : '?';
      out.text += std::to_string(index);
      i = k;
      out.anchors.emplace_back(out.text.size(), i);
      continue;
    }
    out.text += c;
    ++i;
  }
  return out;
}

std::vector<statement_piece> split_statements(std::string_view script, dialect d) {
  std::vector<statement_piece> out;
  size_t start = 0, i = 0;
  auto flush = [&](size_t end) {
    std::string_view piece = script.substr(start, end - start);
    if (!is_blank_sql(piece))
      out.push_back({piece, start});
  };
  while (i < script.size()) {
    size_t past = skip_opaque(script, i, d);
    if (past != i) {
      i = past;
      continue;
    }
    if (script[i] == ';') {
      flush(i);
      start = i + 1;
    }
    ++i;
  }
  flush(script.size());
  return out;
}

bool is_blank_sql(std::string_view text) { return skip_blank(text, 0) == text.size(); }

std::string first_keyword(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ';') {
      ++i;
      continue;
    }
    size_t past = skip_opaque(sql, i, dialect::postgresql);
    if (past != i && (c == '-' || c == '/')) {
      i = past;
      continue;
    }
    break;
  }
  std::string word;
  while (i < sql.size() && ident_char(sql[i]))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  return word;
}

size_t skip_blank(std::string_view text, size_t i) {
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      ++i;
      continue;
    }
    if ((c == '-' && i + 1 < text.size() && text[i + 1] == '-') ||
        (c == '/' && i + 1 < text.size() && text[i + 1] == '*')) {
      i = skip_opaque(text, i, dialect::postgresql);
      continue;
    }
    break;
  }
  return std::min(i, text.size());
}

std::string transaction_control(std::string_view sql) {
  // The statement's first three words, upper-cased.
  std::string words[3];
  size_t i = 0;
  for (auto &w : words) {
    i = skip_blank(sql, i);
    while (i < sql.size() && ident_char(sql[i]))
      w += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  }
  const std::string &first = words[0], &second = words[1];
  if (first == "COMMIT" || first == "END" || first == "ABORT" || first == "BEGIN")
    return first;
  if (first == "ROLLBACK") { // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name
    bool noise = second == "WORK" || second == "TRANSACTION";
    return (noise ? words[2] : second) == "TO" ? "" : first;
  }
  if ((first == "START" || first == "PREPARE") && second == "TRANSACTION")
    return first + " " + second;
  return "";
}

text_position locate(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  text_position p;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  // Columns count characters, not bytes.
  for (size_t i = line_start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      ++p.column;
  size_t line_end = text.find('\n', line_start);
  p.line_text = text.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                           : line_end - line_start);
  return p;
}

size_t utf8_offset(std::string_view text, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (++seen == chars)
        return i;
    }
  }
  return text.size();
}

} // namespace seam::sql
