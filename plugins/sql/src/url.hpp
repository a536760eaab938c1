// url.hpp - the `url` of an sql resource: which database, and which part of it
// is a secret.
//
//   sqlite3://:memory:                  an in-memory database
//   sqlite3:///abs/path.db              a file (three slashes: absolute path)
//   sqlite3://relative/path.db          a file relative to the working directory
//   postgresql://user:pw@host:port/db?sslmode=disable   handed to libpq as is
#ifndef SEAM_SQL_URL_HPP
#define SEAM_SQL_URL_HPP

#include <string>
#include <string_view>

namespace seam::sql {

enum class dialect { sqlite, postgresql };

std::string_view dialect_name(dialect d);

struct db_url {
  dialect kind = dialect::sqlite;
  std::string text;     // the URL as given
  std::string target;   // sqlite: the file path or ":memory:"; postgresql: the libpq URI
  std::string password;     // decoded; empty when the URL has none
  std::string password_raw; // as written (percent-encoded), also a secret
  std::string masked;   // the URL with the password replaced by ***, for messages
  bool in_memory() const { return kind == dialect::sqlite && target == ":memory:"; }
};

// Parses a resource URL; throws seam::error with a message naming the accepted
// forms when it is not one of them.
db_url parse_url(std::string_view url);

// Replaces every occurrence of `secret` in `text` by ***.
std::string mask(std::string text, std::string_view secret);

} // namespace seam::sql

#endif
