// connection.hpp - one database connection, whatever the backend.
//
// Connections are opened by SOCI (soci::session), which owns the native
// handle; statements run on that handle through the backend's own API (SOCI's
// documented native access), because SOCI's dynamic rows cannot tell a
// PostgreSQL boolean from an integer, drop timestamp fractions and offsets,
// and hand bytea out as escaped text. Each connection keeps its prepared
// statements in a bounded cache keyed by SQL text.
//
// A connection is used by one thread at a time (the pool sees to it).
#ifndef SEAM_SQL_CONNECTION_HPP
#define SEAM_SQL_CONNECTION_HPP

#include "url.hpp"

#include <seam/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seam::sql {

// A failed database call. The message is ready for the user (masked).
//  - stale_plan: PostgreSQL refused a cached statement whose result changed
//    shape ("cached plan must not change result type") inside a transaction,
//    which the failure aborted; the statement left the cache, so a caller
//    that can roll back to a savepoint may run it again;
//  - refused: a statement the caller's context does not allow (COMMIT in an
//    isolated test); it did not run.
class sql_error : public seam::error {
public:
  enum class kind { statement, connection_lost, cancelled, stale_plan, refused };
  sql_error(kind k, const std::string &message) : seam::error(message), kind_(k) {}
  kind what_kind() const { return kind_; }

private:
  kind kind_;
};

// What a statement's result looks like: its columns and their types, and
// what a step's output writes of them alone. A backend makes one when it
// describes a prepared statement and shares it with every result of that
// statement, so that none of this is copied or written again per step.
struct result_shape {
  result_shape(std::vector<std::string> columns, std::vector<std::string> types);

  std::vector<std::string> columns; // in select-list order, made unique (id, id_2)
  std::vector<std::string> types;   // each column's type name ("" unknown)
  std::vector<size_t> order;        // column indexes, by name: a row's keys in sorted order
  std::vector<seam::json_key> keys; // each column's name escaped once, for every row
  seam::json_text columns_json;     // ["id","name"]
  seam::json_text types_json;       // ["INTEGER",null]: null for an unknown type
};

using shape_ptr = std::shared_ptr<const result_shape>;

// The rows a statement returns, written as JSON text while the backend
// reads them: an array of objects keyed by column, the keys in sorted order
// (as a json object keeps them), so that no tree is built for a row.
class row_writer {
public:
  explicit row_writer(const result_shape &shape) : shape_(&shape) { out_.begin_array(); }

  // One row: cell(builder, i) writes column i's value.
  template <class Cell> void row(Cell &&cell) {
    out_.begin_object();
    for (size_t i : shape_->order)
      cell(out_.key(shape_->keys[i]), i);
    out_.end_object();
    ++rows_;
  }
  size_t rows() const { return rows_; }
  seam::json_text finish();

private:
  const result_shape *shape_;
  seam::json_builder out_;
  size_t rows_ = 0;
};

struct statement_result {
  shape_ptr shape;                  // the result's columns; null when it has none
  seam::json_text rows;             // at most max_rows objects keyed by column (row_writer)
  size_t kept = 0;                  // how many objects rows holds
  int64_t count = 0;                // rows the statement produced
  int64_t affected = 0;             // rows inserted, updated or deleted
  std::optional<json> last_id;      // RETURNING's first value, or SQLite's rowid
  bool has_rows = false;            // the statement returns a result set
  std::vector<std::string> notices; // server messages (PostgreSQL NOTICEs)

  bool has_columns() const { return shape && !shape->columns.empty(); }
};

struct connection_options {
  size_t statement_cache = 128;                 // prepared statements kept
  std::chrono::milliseconds busy_timeout{5000}; // SQLite: wait for a lock
};

class connection {
public:
  virtual ~connection() = default;
  virtual dialect kind() const = 0;

  // One statement with named parameters (:name) bound from `params`, an
  // object. Keeps up to max_rows rows.
  virtual statement_result run(std::string_view sql, seam::json_view params, size_t max_rows,
                               const seam::deadline &lim) = 0;

  // A script of statements, no parameters. Returns how many ran. When
  // `refuse_transaction_control` is not empty, a statement that would begin
  // or end a transaction (transaction_control() in sql_text.hpp) does not
  // run: the script fails with kind::refused, "statement N of the script
  // (COMMIT) is refused: " + refuse_transaction_control.
  virtual size_t script(const std::string &text, const seam::deadline &lim,
                        std::string_view refuse_transaction_control = {}) = 0;

  // A statement without parameters or results (BEGIN, SAVEPOINT x, ...).
  virtual void command(const std::string &sql, const seam::deadline &lim) = 0;

  // Whether a transaction is open on the server side right now.
  virtual bool in_transaction() const = 0;

  // True once the connection is unusable (lost, or left in an unknown state).
  virtual bool broken() const = 0;

  // Checked before an idle connection is reused: false when it turns out to
  // be dead (the server restarted or ended it while it sat in the pool).
  // Cheap: no round trip.
  virtual bool alive() { return !broken(); }
};

// The server could not be reached at all (connection refused, no route, no
// answer): the resource reports it as seam::unavailable so that
// `seam run --skip-unavailable` can skip the suite. Never for a server that
// answered (wrong password, unknown database).
class unavailable_error : public seam::error {
public:
  using seam::error::error;
};

// Opens a connection; throws seam::error naming the server's message
// (unavailable_error when there is no server to answer).
std::unique_ptr<connection> open_connection(const db_url &url, const connection_options &opts);

// Backends (sqlite_connection.cpp, pg_connection.cpp).
std::unique_ptr<connection> open_sqlite(const db_url &url, const connection_options &opts);
std::unique_ptr<connection> open_postgresql(const db_url &url, const connection_options &opts);

// Checks that `params` (an object) gives a value for every name the SQL
// uses, and nothing else; throws seam::error naming the difference.
void check_params(const std::vector<std::string> &names, seam::json_view params);

// Calls bind(i, value) for each of `names` (i its index there) with its
// value in `params`, once check_params' rules hold (it throws their error
// otherwise). When `params` names exactly those, as it usually does, that
// takes one pass over its members and no lookup by name. A name given twice
// is bound twice, the last value last, as a lookup would find it.
template <class Bind>
void bind_params(const std::vector<std::string> &names, seam::json_view params, Bind &&bind) {
  if (names.size() <= 64 && params.is_object()) {
    uint64_t seen = 0;
    bool other = false;
    params.members([&](std::string_view key, seam::json_view value) {
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == key) {
          seen |= uint64_t{1} << i;
          bind(i, value);
          return;
        }
      other = true;
    });
    uint64_t all = names.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << names.size()) - 1;
    if (!other && seen == all)
      return;
  }
  check_params(names, params);
  for (size_t i = 0; i < names.size(); ++i)
    bind(i, params[names[i]]);
}

// The text of an error at `offset` (bytes into `sql`, npos: unknown), with
// the line and a caret under the column.
std::string describe_position(std::string_view sql, size_t offset);

} // namespace seam::sql

#endif
