#include "seam/core/base/diagnostics.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <mutex>
#include <vector>

namespace seam {

std::string_view SourceFile::line(uint32_t n) const {
  if (n == 0)
    return {};
  size_t pos = 0;
  for (uint32_t i = 1; i < n; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos)
      return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  std::string_view l(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
  if (!l.empty() && l.back() == '\r')
    l.remove_suffix(1);
  return l;
}

const SourceFile *SourceFile::intern(std::string path, std::string text) {
  static std::mutex mu;
  static std::deque<SourceFile> files;
  std::lock_guard lock(mu);
  files.push_back({std::move(path), std::move(text)});
  return &files.back();
}

std::string SourceLoc::str() const {
  // Every step's record carries its location: one allocation, no temporaries.
  std::string s;
  s.reserve((file ? file->path.size() : 0) + 22);
  if (file)
    s += file->path;
  char num[16];
  auto put = [&](uint32_t v) {
    s += ':';
    s.append(num, std::to_chars(num, num + sizeof num, v).ptr);
  };
  if (line > 0) {
    put(line);
    if (col > 0)
      put(col);
  }
  return s;
}

// Where the code point at byte i ends (i + 1 for a byte that is no UTF-8).
static size_t next_char(std::string_view text, size_t i, bool *valid) {
  auto c = static_cast<unsigned char>(text[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  bool ok = n > 0 && i + n <= text.size();
  for (size_t k = 1; ok && k < n; ++k)
    ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
  *valid = ok;
  return ok ? i + n : i + 1;
}

// Code points [first, first + count) of the source line as they may be
// printed: control characters and bytes that are no UTF-8 (a binary file
// given as a suite) become U+FFFD, so that the terminal shows what is there
// and is not driven by it. One entry per code point, so that the caret can be
// placed by column; only the window is built, however long the line.
static std::vector<std::string> printable_chars(std::string_view text, size_t first, size_t count) {
  std::vector<std::string> out;
  size_t i = 0;
  for (size_t k = 0; i < text.size() && k < first + count; ++k) {
    bool ok;
    size_t next = next_char(text, i, &ok);
    if (k >= first) {
      auto c = static_cast<unsigned char>(text[i]);
      if (!ok || (next == i + 1 && ((c < 0x20 && c != '\t') || c == 0x7F)))
        out.emplace_back("\xEF\xBF\xBD");
      else
        out.emplace_back(text.substr(i, next - i));
    }
    i = next;
  }
  return out;
}

static size_t char_count(std::string_view text) {
  size_t n = 0;
  bool ok;
  for (size_t i = 0; i < text.size(); i = next_char(text, i, &ok))
    ++n;
  return n;
}

std::string printable_message(std::string_view text) {
  constexpr size_t kMaxToken = 200, kHead = 120, kTail = 16;
  static const char *hex = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(text.size(), size_t{4096}));
  size_t i = 0;
  while (i < text.size()) {
    // A run of text without a space: a name, a path, a value.
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n')
      ++end;
    std::string_view token = text.substr(i, end - i);
    std::string_view tail;
    if (token.size() > kMaxToken) {
      size_t head = kHead, back = token.size() - kTail;
      while (head > 0 && (static_cast<unsigned char>(token[head]) & 0xC0) == 0x80)
        --head;
      while (back < token.size() && (static_cast<unsigned char>(token[back]) & 0xC0) == 0x80)
        ++back;
      tail = token.substr(back);
      token = token.substr(0, head);
    }
    auto put = [&](std::string_view t) {
      for (char ch : t) {
        auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
      }
    };
    put(token);
    if (!tail.empty()) {
      out += "...";
      put(tail);
    }
    if (end < text.size())
      out += text[end];
    i = end + 1;
  }
  return out;
}

std::string Diagnostic::render(bool color) const {
  const char *bold = color ? "\x1b[1m" : "";
  const char *red = color ? "\x1b[1;31m" : "";
  const char *cyan = color ? "\x1b[36m" : "";
  const char *reset = color ? "\x1b[0m" : "";
  std::string out;
  std::string where = loc.str();
  if (!where.empty())
    out += std::string(bold) + where + ": " + reset;
  out += std::string(red) + "error: " + reset + bold + printable_message(message) + reset + '\n';
  if (loc.file && loc.line > 0) {
    std::string_view line = loc.file->line(loc.line);
    size_t total = char_count(line);
    // A very long line (minified JSON, a binary file) is cut around the caret.
    constexpr size_t kWidth = 120;
    size_t first = 0;
    if (total > kWidth && loc.col > kWidth / 2)
      first = std::min<size_t>(loc.col - kWidth / 2, total - kWidth);
    size_t last = std::min(total, first + kWidth);
    // chars[i - first] is code point i of the line.
    std::vector<std::string> window = printable_chars(line, first, last - first);
    auto chars = [&](size_t i) -> const std::string & { return window[i - first]; };
    if (total > 0) {
      std::string num = std::to_string(loc.line);
      std::string pad(num.size(), ' ');
      out += " " + num + " | " + (first > 0 ? "..." : "");
      for (size_t i = first; i < last; ++i)
        out += chars(i);
      out += std::string(last < total ? "..." : "") + '\n';
      if (loc.col > 0) {
        std::string indent(first > 0 ? 3 : 0, ' ');
        // Keep tabs so the caret lines up under the same column.
        for (size_t i = first; i + 1 < loc.col && i < last; ++i)
          indent += chars(i) == "\t" ? '\t' : ' ';
        out += " " + pad + " | " + indent + cyan + "^" + reset + '\n';
      }
    }
  }
  if (!hint.empty())
    out += std::string("  ") + cyan + "hint: " + reset + printable_message(hint) + '\n';
  return out;
}

static std::string summarize(const std::vector<Diagnostic> &d) {
  if (d.empty())
    return "suite errors";
  std::string s = d.front().loc.str();
  return (s.empty() ? "" : s + ": ") + d.front().message;
}

SuiteErrors::SuiteErrors(std::vector<Diagnostic> diags)
    : std::runtime_error(summarize(diags)), diags_(std::move(diags)) {}

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text)
    n += (c & 0xC0) != 0x80;
  return n;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string> &candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto &c : candidates) {
    // The distance is at least the difference in length: skip the quadratic
    // work for words that cannot be close (a 50 MB name against "base").
    size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap >= best_d)
      continue;
    size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

} // namespace seam
