// sqlite_connection.cpp - the SQLite backend, on SQLite's C API.
#include "connection.hpp"
#include "sql_text.hpp"
#include "statement_cache.hpp"
#include "values.hpp"

#include <seam/exact_numbers.hpp>

#include <sqlite3.h>

#include <memory>
#include <thread>

namespace seam::sql {

namespace {

struct sqlite_statement {
  sqlite3_stmt *stmt = nullptr;
  std::vector<std::string> names;
  rewritten_sql rewritten;
  bool changes_rows = false; // INSERT/UPDATE/DELETE/REPLACE (maybe behind WITH)
  bool inserts = false;
  // The result's columns and declared types ("" for expressions), as of the
  // statement's last (re)preparation; null until its first run.
  shape_ptr shape;
  int reprepares = 0;
  std::vector<sqlite_decl> decls;
};

class sqlite_connection final : public connection {
public:
  sqlite_connection(const db_url &url, const connection_options &opts)
      : handle_(open_handle(url)), db_(handle_.get()), busy_timeout_(opts.busy_timeout),
        cache_(opts.statement_cache, [](sqlite_statement &p) { sqlite3_finalize(p.stmt); }) {
    sqlite3_extended_result_codes(db_, 1);
    // Interrupts long statements once the step's deadline passes.
    sqlite3_progress_handler(db_, 1000, &sqlite_connection::on_progress, this);
    sqlite3_busy_handler(db_, &sqlite_connection::on_busy, this);
    // Suites expect what PostgreSQL does: declared foreign keys are enforced
    // (ON DELETE CASCADE included).
    char *err = nullptr;
    if (sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      throw seam::error("cannot enable foreign keys: " + m);
    }
    // SQLite reads a file only when a statement needs it: without this, a
    // file that is no database would open fine and fail the first step.
    sqlite3_stmt *st = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA schema_version", -1, &st, nullptr);
    if (rc == SQLITE_OK)
      rc = sqlite3_step(st);
    std::string m = sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      throw seam::error("cannot open SQLite database \"" + url.target + "\": " + m +
                        ((rc & 0xff) == SQLITE_NOTADB
                             ? " (the file exists but is not an SQLite 3 database; point the url "
                               "at a database file, or at a path that does not exist yet to "
                               "create one)"
                             : ""));
  }

  ~sqlite_connection() override { cache_.clear(); }

  dialect kind() const override { return dialect::sqlite; }

  statement_result run(std::string_view sql, seam::json_view params, size_t max_rows,
                       const seam::deadline &lim) override {
    active_ guard(this, &lim);
    sqlite_statement &p = prepare(sql);
    sqlite3_stmt *st = p.stmt;
    bind_params(p.names, params,
                [&](size_t i, seam::json_view v) { bind(st, static_cast<int>(i + 1), v); });

    statement_result r;
    // The columns are read after the first step: a schema change since the
    // statement was cached makes sqlite3_step prepare it afresh, and
    // `SELECT *` may then have other columns than it had.
    int rc = sqlite3_step(st);
    int ncols = 0;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
      int reprepares = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0);
      if (!p.shape || reprepares != p.reprepares) {
        std::vector<std::string> columns, types;
        p.decls.clear();
        for (int c = 0, n = sqlite3_column_count(st); c < n; ++c) {
          columns.push_back(column_name(st, c, columns));
          const char *decl = sqlite3_column_decltype(st, c);
          p.decls.push_back(classify_decltype(decl));
          types.emplace_back(decl ? decl : "");
        }
        p.shape = std::make_shared<const result_shape>(std::move(columns), std::move(types));
        p.reprepares = reprepares;
      }
      ncols = static_cast<int>(p.shape->columns.size());
      r.shape = p.shape;
    }
    const std::vector<sqlite_decl> &decls = p.decls;
    r.has_rows = ncols > 0;
    std::optional<json> first_value;
    std::optional<row_writer> rows;
    if (ncols > 0)
      rows.emplace(*r.shape);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
      if (r.count == 0 && ncols > 0 && p.changes_rows)
        first_value = value(st, 0, decls[0]); // last_id of ... RETURNING id
      if (static_cast<size_t>(r.count) < max_rows)
        rows->row([&](seam::json_builder &out, size_t c) {
          write_value(out, st, static_cast<int>(c), decls[c]);
        });
      ++r.count;
    }
    if (rows) {
      r.kept = rows->rows();
      r.rows = rows->finish();
    }
    if (rc != SQLITE_DONE) {
      std::string msg = error_text(rc, sql, &p.rewritten, lim);
      sqlite3_reset(st);
      throw sql_error(
          rc == SQLITE_INTERRUPT ? sql_error::kind::cancelled : sql_error::kind::statement, msg);
    }
    if (p.changes_rows) {
      r.affected = sqlite3_changes64(db_);
      if (first_value && r.affected > 0)
        r.last_id = first_value; // INSERT ... RETURNING id
      else if (p.inserts && r.affected > 0)
        r.last_id = static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
    }
    sqlite3_reset(st);
    return r;
  }

  size_t script(const std::string &text, const seam::deadline &lim,
                std::string_view refuse_transaction_control) override {
    active_ guard(this, &lim);
    const char *begin = text.c_str();
    const char *p = begin;
    size_t n = 0;
    while (*p != '\0') {
      sqlite3_stmt *st = nullptr;
      const char *tail = nullptr;
      // Where the statement itself starts, past the whitespace and comments
      // that follow the previous one: what an error points at.
      size_t start = skip_blank(text, static_cast<size_t>(p - begin));
      int rc = sqlite3_prepare_v2(db_, p, -1, &st, &tail);
      if (rc != SQLITE_OK) {
        int off = sqlite3_error_offset(db_);
        size_t at = off >= 0 ? static_cast<size_t>(p - begin) + static_cast<size_t>(off) : start;
        throw sql_error(sql_error::kind::statement,
                        "statement " + std::to_string(n + 1) + " of the script failed: " +
                            sqlite3_errmsg(db_) + describe_position(text, at));
      }
      if (st == nullptr) { // only whitespace or comments left
        p = tail;
        continue;
      }
      if (!refuse_transaction_control.empty()) {
        std::string kw = transaction_control(std::string_view(p, static_cast<size_t>(tail - p)));
        if (!kw.empty()) {
          sqlite3_finalize(st);
          throw sql_error(sql_error::kind::refused,
                          "statement " + std::to_string(n + 1) + " of the script (" + kw +
                              ") is refused: " + std::string(refuse_transaction_control) +
                              describe_position(text, start));
        }
      }
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_finalize(st);
        throw sql_error(rc == SQLITE_INTERRUPT ? sql_error::kind::cancelled
                                               : sql_error::kind::statement,
                        rc == SQLITE_INTERRUPT
                            ? cancelled_text(lim)
                            : "statement " + std::to_string(n + 1) +
                                  " of the script failed: " + msg + describe_position(text, start));
      }
      sqlite3_finalize(st);
      ++n;
      p = tail;
    }
    return n;
  }

  void command(const std::string &sql, const seam::deadline &lim) override {
    active_ guard(this, &lim);
    char *err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string m = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      throw sql_error(sql_error::kind::statement, sql + " failed: " + m);
    }
  }

  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  bool broken() const override { return false; }

private:
  struct closer {
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
  };
  using handle = std::unique_ptr<sqlite3, closer>;

  // A connection serves one step at a time (the pool hands it out alone; a
  // test's own connection serves its steps, which run one after another),
  // so it is opened without SQLite's per-connection mutex (its default
  // "serialized" mode), which would only cost a lock and an unlock in each
  // sqlite3_step and sqlite3_reset: about 7% of a select's instructions
  // in the plugin.
  static handle open_handle(const db_url &url) {
    // SQLite counts every allocation under a process-wide mutex, for
    // sqlite3_memory_used() and the heap limits, which nothing here uses:
    // without the count an insert takes 13% fewer instructions in the
    // plugin, a select 5%. It can be turned off only before SQLite's first
    // use in the process (later the call fails and changes nothing), so the
    // first connection opened does it.
    [[maybe_unused]] static const int no_memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3 *db = nullptr;
    int rc =
        sqlite3_open_v2(url.target.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    handle h(db);
    if (rc != SQLITE_OK)
      throw seam::error("cannot open SQLite database \"" + url.target +
                        "\": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    return h;
  }

  // Makes the call's limits visible to the progress and busy handlers.
  struct active_ {
    active_(sqlite_connection *c, const seam::deadline *l) : c_(c) {
      c_->limits_ = l;
      c_->busy_until_.reset();
    }
    ~active_() { c_->limits_ = nullptr; }
    sqlite_connection *c_;
  };

  static int on_progress(void *self) {
    auto *c = static_cast<sqlite_connection *>(self);
    return c->limits_ != nullptr && c->limits_->done() ? 1 : 0;
  }

  static int on_busy(void *self, int attempt) {
    auto *c = static_cast<sqlite_connection *>(self);
    if (attempt == 0 || !c->busy_until_)
      c->busy_until_ = seam::deadline::after(c->busy_timeout_);
    if ((c->limits_ != nullptr && c->limits_->done()) || c->busy_until_->expired())
      return 0;
    std::this_thread::sleep_for(
        c->busy_until_->bounded(std::chrono::milliseconds(attempt < 10 ? 1 : 5)));
    return 1;
  }

  sqlite_statement &prepare(std::string_view sql) {
    if (sqlite_statement *hit = cache_.find(sql))
      return *hit;
    sqlite_statement p;
    p.rewritten = rewrite_named(sql, dialect::sqlite);
    const char *tail = nullptr;
    const std::string &text = p.rewritten.text;
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &p.stmt, &tail);
    if (rc != SQLITE_OK) {
      int off = sqlite3_error_offset(db_);
      std::string msg =
          std::string(sqlite3_errmsg(db_)) +
          describe_position(sql, off >= 0 ? p.rewritten.original_offset(static_cast<size_t>(off))
                                          : std::string::npos);
      sqlite3_finalize(p.stmt);
      throw sql_error(sql_error::kind::statement, msg);
    }
    if (p.stmt == nullptr)
      throw seam::error("the sql holds no statement (only whitespace or comments)");
    if (tail != nullptr && !is_blank_sql(tail)) {
      sqlite3_finalize(p.stmt);
      throw seam::error("the sql holds more than one statement; run several with sql.script "
                        "or sql.transaction");
    }
    p.names = p.rewritten.names;
    std::string kw = first_keyword(sql);
    p.changes_rows =
        sqlite3_stmt_readonly(p.stmt) == 0 &&
        (kw == "INSERT" || kw == "UPDATE" || kw == "DELETE" || kw == "REPLACE" || kw == "WITH");
    p.inserts = kw == "INSERT" || kw == "REPLACE";
    return cache_.insert(sql, std::move(p));
  }

  static void bind(sqlite3_stmt *st, int i, seam::json_view v) {
    if (v.is_null() || v.missing()) {
      sqlite3_bind_null(st, i);
    } else if (v.is_boolean()) {
      sqlite3_bind_int(st, i, v.get_bool() ? 1 : 0);
    } else if (v.is_number_unsigned()) {
      if (v.get_uint64() <= static_cast<uint64_t>(INT64_MAX))
        sqlite3_bind_int64(st, i, static_cast<sqlite3_int64>(v.get_uint64()));
      else
        bind_text(st, i, std::to_string(v.get_uint64()));
    } else if (v.is_number_integer()) {
      sqlite3_bind_int64(st, i, v.get_int64());
    } else if (v.is_number_float()) {
      sqlite3_bind_double(st, i, v.get_double());
    } else if (v.is_string()) {
      // The input outlives the statement's run, and every parameter is
      // bound afresh before the next: SQLite need not copy the text.
      auto s = v.get_string();
      sqlite3_bind_text64(st, i, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    } else { // lists and tables: their JSON text
      bind_text(st, i, seam::write_json(v.to_json()));
    }
  }

  // Text made here (a number's digits, a list's JSON), copied by SQLite.
  static void bind_text(sqlite3_stmt *st, int i, std::string_view s) {
    sqlite3_bind_text64(st, i, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }

  static std::string column_name(sqlite3_stmt *st, int c, const std::vector<std::string> &seen) {
    const char *n = sqlite3_column_name(st, c);
    std::string name = n ? n : "column" + std::to_string(c + 1);
    std::string unique = name;
    for (int k = 2; std::find(seen.begin(), seen.end(), unique) != seen.end(); ++k)
      unique = name + "_" + std::to_string(k);
    return unique;
  }

  // The value of column c written as value() makes it, without a tree for
  // the common cases: integers and plain text.
  static void write_value(seam::json_builder &out, sqlite3_stmt *st, int c, sqlite_decl decl) {
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
      if (decl != sqlite_decl::boolean) {
        out.value(static_cast<int64_t>(sqlite3_column_int64(st, c)));
        return;
      }
      break;
    case SQLITE_TEXT:
      if (decl == sqlite_decl::none) {
        auto *p = reinterpret_cast<const char *>(sqlite3_column_text(st, c));
        out.value(std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st, c))));
        return;
      }
      break;
    case SQLITE_NULL:
      out.value(nullptr);
      return;
    default:
      break;
    }
    out.value(value(st, c, decl));
  }

  static json value(sqlite3_stmt *st, int c, sqlite_decl decl) {
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER: {
      int64_t v = sqlite3_column_int64(st, c);
      if (decl == sqlite_decl::boolean)
        return v != 0;
      return v;
    }
    case SQLITE_FLOAT:
      return double_value(sqlite3_column_double(st, c));
    case SQLITE_TEXT: {
      auto *p = reinterpret_cast<const char *>(sqlite3_column_text(st, c));
      std::string_view s(p, static_cast<size_t>(sqlite3_column_bytes(st, c)));
      if (decl == sqlite_decl::datetime)
        return iso8601(s);
      // Decimal text (a DECIMAL TEXT column, SQLite's decimal functions)
      // keeps every digit.
      if (decl == sqlite_decl::decimal && decimal::parse(s))
        return exact_number(s);
      if (decl == sqlite_decl::json) {
        json j = json::parse(s, nullptr, false);
        if (!j.is_discarded())
          return j;
      }
      return std::string(s);
    }
    case SQLITE_BLOB: {
      auto *p = static_cast<const char *>(sqlite3_column_blob(st, c));
      return base64_encode(std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st, c))));
    }
    default:
      return nullptr;
    }
  }

  std::string cancelled_text(const seam::deadline &lim) const {
    return lim.expired() ? "the statement was interrupted: the step's deadline passed"
                         : "the statement was interrupted: the run was cancelled";
  }

  std::string error_text(int rc, std::string_view sql, const rewritten_sql *rw,
                         const seam::deadline &lim) const {
    if (rc == SQLITE_INTERRUPT)
      return cancelled_text(lim);
    std::string msg = sqlite3_errmsg(db_);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
      msg += " (another connection holds a lock on the database file; a longer busy_timeout "
             "or pool = 1 avoids it)";
    int off = sqlite3_error_offset(db_);
    if (off >= 0 && rw != nullptr)
      msg += describe_position(sql, rw->original_offset(static_cast<size_t>(off)));
    return msg;
  }

  handle handle_;
  sqlite3 *db_;
  std::chrono::milliseconds busy_timeout_;
  const seam::deadline *limits_ = nullptr;
  std::optional<seam::deadline> busy_until_; // of the lock being waited for
  statement_cache<sqlite_statement> cache_;
};

} // namespace

std::unique_ptr<connection> open_sqlite(const db_url &url, const connection_options &opts) {
  return std::make_unique<sqlite_connection>(url, opts);
}

} // namespace seam::sql
