// sql_text.hpp - what the plugin needs to know about SQL text without a
// parser: where named parameters (:name) are, where statements end, and how
// to point at a position in the text the user wrote.
//
// The scanner skips string literals ('...', E'...'), quoted identifiers
// ("..."), comments (-- and /* */), PostgreSQL dollar quoting ($tag$...$tag$)
// and casts (::type), so a colon inside any of them is never a parameter.
#ifndef SEAM_SQL_SQL_TEXT_HPP
#define SEAM_SQL_SQL_TEXT_HPP

#include "url.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seam::sql {

// SQL with its :name parameters replaced by the dialect's placeholders
// ($1 for PostgreSQL, ?1 for SQLite). A name used twice is one parameter.
struct rewritten_sql {
  std::string text;
  std::vector<std::string> names; // names[i] is placeholder i+1
  // (offset in text, offset in the original) at every point where the two
  // stop being aligned, so that a server's error position maps back.
  std::vector<std::pair<size_t, size_t>> anchors;

  size_t original_offset(size_t rewritten_offset) const;
};

rewritten_sql rewrite_named(std::string_view sql, dialect d);

// Splits a PostgreSQL script into statements at top-level semicolons (empty
// ones are dropped). Each piece keeps its byte offset in the script. (SQLite
// scripts need no splitting: sqlite3_prepare reports where a statement ends,
// triggers included.)
struct statement_piece {
  std::string_view text;
  size_t offset;
};
std::vector<statement_piece> split_statements(std::string_view script, dialect d);

// True when `text` holds nothing but whitespace, comments and semicolons.
bool is_blank_sql(std::string_view text);

// The first keyword of a statement, upper-cased ("INSERT", "WITH", ...).
std::string first_keyword(std::string_view sql);

// The offset of the first byte at or after `from` that is not whitespace, a
// comment or a semicolon (text.size() when there is none): where the next
// statement of a script starts.
size_t skip_blank(std::string_view text, size_t from);

// When `statement` begins or ends a transaction, how it starts ("COMMIT",
// "ROLLBACK", "BEGIN", "END", "ABORT", "START TRANSACTION", "PREPARE
// TRANSACTION"); "" for anything else, SAVEPOINT, RELEASE and ROLLBACK TO
// included (they stay inside the transaction).
std::string transaction_control(std::string_view statement);

// 1-based line and column of a byte offset, and that line's text.
struct text_position {
  size_t line = 1, column = 1;
  std::string_view line_text;
};
text_position locate(std::string_view text, size_t offset);

// Byte offset of the 1-based character position `chars` (PostgreSQL counts
// characters, not bytes) in UTF-8 text.
size_t utf8_offset(std::string_view text, size_t chars);

} // namespace seam::sql

#endif
