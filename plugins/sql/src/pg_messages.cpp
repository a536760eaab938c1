// pg_messages.cpp - libpq's messages, cleaned for users.
#include "pg_messages.hpp"

#include <algorithm>
#include <vector>

namespace seam::sql {

std::string clean_libpq(std::string_view text) {
  std::vector<std::string> lines;
  bool continued = false; // the last line kept was a continuation
  size_t i = 0;
  while (i <= text.size()) {
    size_t nl = text.find('\n', i);
    std::string_view line = text.substr(i, nl == std::string_view::npos ? nl : nl - i);
    i = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    bool continuation = !line.empty() && line[0] == '\t';
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
      line.remove_suffix(1);
    if (line.empty() || line == "invalid socket" || line == "no connection to the server")
      continue;
    if (continuation && !lines.empty()) {
      // The first continuation starts a sentence (a hint); later ones go on
      // with the text it wrapped.
      std::string &prev = lines.back();
      bool punctuated = prev.back() == '.' || prev.back() == ':' || prev.back() == '?';
      prev += continued || punctuated ? " " : ". ";
      prev += line;
      continued = true;
    } else {
      continued = false;
      if (std::find(lines.begin(), lines.end(), line) == lines.end())
        lines.emplace_back(line);
    }
  }
  if (lines.empty()) { // nothing but noise: say that much
    std::string_view t = text.substr(0, text.find('\n'));
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t'))
      t.remove_prefix(1);
    if (!t.empty())
      lines.emplace_back(t);
  }
  std::string out;
  for (const auto &l : lines)
    out += (out.empty() ? "" : "\n  ") + l;
  return out;
}

} // namespace seam::sql
