// Where things are in a suite file, and the errors that point there.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

// A loaded suite file: its path as the user named it and its text, kept for
// showing the offending line under an error.
struct SourceFile {
  std::string path;
  mutable std::string text; // released once a run no longer needs excerpts

  std::string_view line(uint32_t n) const;
  // Frees the text (a large suite's megabytes) once every check has passed;
  // locations keep working, excerpts are no longer shown.
  void release_text() const { std::string().swap(text); }

  // Keeps a file for the life of the process, so that locations (in the
  // model, in errors, in reports) can point at it cheaply.
  static const SourceFile *intern(std::string path, std::string text);
};

struct SourceLoc {
  const SourceFile *file = nullptr;
  uint32_t line = 0;
  uint32_t col = 0;

  std::string str() const; // "path:line:col" (or just "path" / "" when unknown)
  SourceLoc shifted(uint32_t cols) const { return {file, line, col + cols}; }
};

// `text` as a message may be printed: control characters (a NUL in a name)
// shown as \xNN rather than cutting or driving the terminal, and a run of
// more than 200 bytes without a space (a 50 MB name) shortened in its middle
// with "...". Newlines and tabs stay.
std::string printable_message(std::string_view text);

struct Diagnostic {
  SourceLoc loc;
  std::string message;
  std::string hint; // optional

  // "file:line:col: error: message", the line with a caret, then the hint.
  std::string render(bool color = false) const;
};

// A batch of problems found before anything runs (exit code 2).
class SuiteErrors : public std::runtime_error {
public:
  explicit SuiteErrors(std::vector<Diagnostic> diags);
  const std::vector<Diagnostic> &diagnostics() const { return diags_; }

private:
  std::vector<Diagnostic> diags_;
};

// A plugin that was found but could not be used (exit code 3).
class PluginError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Edit distance, for "did you mean" hints.
size_t edit_distance(std::string_view a, std::string_view b);

// Code points in UTF-8 text: what columns and lengths count.
size_t utf8_length(std::string_view text);

// The candidate closest to `word`, or "" when none is close enough.
std::string closest(std::string_view word, const std::vector<std::string> &candidates);

} // namespace seam
