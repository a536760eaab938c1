// pg_messages.hpp - libpq's messages as a user should read them.
#ifndef SEAM_SQL_PG_MESSAGES_HPP
#define SEAM_SQL_PG_MESSAGES_HPP

#include <string>
#include <string_view>

namespace seam::sql {

// One line per message, trimmed; without the "invalid socket" and "no
// connection to the server" that libpq appends once the socket is gone, and
// with the tab-indented continuation lines of "server closed the connection
// unexpectedly\n\tThis probably means ..." joined to their first line.
// Lines after the first are indented by two spaces.
std::string clean_libpq(std::string_view text);

} // namespace seam::sql

#endif
