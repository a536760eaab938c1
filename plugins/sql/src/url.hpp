// url.hpp - the `url` of an sql resource: which database, and which part of it
// is a secret.
//
//   sqlite3://:memory:                  an in-memory database
//   sqlite3:///abs/path.db              a file (three slashes: absolute path)
//   sqlite3://relative/path.db          a file relative to the working directory
//   postgresql://user:pw@host:port/db?sslmode=disable   handed to libpq as is
//
// Secrets are found before the URL is validated, and in URLs that are not
// valid at all (a misspelt scheme, one slash, no scheme), so that no message
// about a bad URL can show its password.
#ifndef SEAM_SQL_URL_HPP
#define SEAM_SQL_URL_HPP

#include <string>
#include <string_view>
#include <vector>

namespace seam::sql {

enum class dialect { sqlite, postgresql };

std::string_view dialect_name(dialect d);

struct db_url {
  dialect kind = dialect::sqlite;
  std::string text;         // the URL as given
  std::string target;       // sqlite: the file path or ":memory:"; postgresql: the libpq URI
  std::string password;     // decoded; empty when the URL has none
  std::string password_raw; // as written (percent-encoded), also a secret
  std::vector<std::string> secrets; // everything to mask (url_secrets(text))
  std::string masked;               // the URL with its secrets replaced by ***, for messages
  bool in_memory() const { return kind == dialect::sqlite && target == ":memory:"; }
  // `message` with every secret of this URL masked.
  std::string mask(std::string message) const;
};

// Every value in `text` that may be a password, whatever the rest of it
// looks like: what follows the first ':' of the user info (up to the last
// '@'), as written and percent-decoded, and every password=VALUE. Longest
// first. Some candidates may be more than the real password (the text is not
// known to be a URL); masking a little more is the safe side.
std::vector<std::string> url_secrets(std::string_view text);

// Parses a resource URL; throws seam::error with a message naming the accepted
// forms when it is not one of them. Messages never show a secret.
db_url parse_url(std::string_view url);

// Replaces every occurrence of `secret` in `text` by ***.
std::string mask(std::string text, std::string_view secret);
// Replaces every occurrence of each of `secrets` (longest first) by ***.
std::string mask(std::string text, const std::vector<std::string> &secrets);

} // namespace seam::sql

#endif
