// pg_connection.cpp - the PostgreSQL backend: a soci::session connects,
// statements run through its native PGconn with libpq's asynchronous calls,
// so that a step's deadline or Ctrl-C cancels the statement on the server.
#include "connection.hpp"
#include "pg_messages.hpp"
#include "pg_types.hpp"
#include "sql_text.hpp"
#include "statement_cache.hpp"
#include "values.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <unordered_map>

namespace seam::sql {

namespace {

struct pg_statement {
  std::string name; // the server-side statement name
  rewritten_sql rewritten;
  std::vector<Oid> param_types; // as the server inferred them: lists bind as arrays
  // The result's columns as the server described them when the statement was
  // prepared. A protocol-level prepared statement keeps its result shape:
  // the server refuses to run it once that changed ("cached plan must not
  // change result type"), and it is then prepared afresh. So each run reads
  // them from here instead of describing every result again.
  std::vector<Oid> column_types;
  shape_ptr shape; // the columns made unique (id, id_2), their type names
};

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string field(const PGresult *r, int code) {
  const char *f = PQresultErrorField(r, code);
  return f ? f : "";
}

// 0 for commands that change no rows; PQcmdTuples also counts SELECT's rows.
int64_t affected_rows(const PGresult *r) {
  std::string status = PQcmdStatus(const_cast<PGresult *>(r));
  for (const char *cmd : {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"})
    if (status.rfind(cmd, 0) == 0) {
      const char *n = PQcmdTuples(const_cast<PGresult *>(r));
      return n && *n ? std::strtoll(n, nullptr, 10) : 0;
    }
  return 0;
}

class pg_connection final : public connection {
public:
  pg_connection(const db_url &url, const connection_options &opts)
      : url_(url), session_(open_session(url)),
        conn_(static_cast<soci::postgresql_session_backend *>(session_.get_backend())->conn_),
        cache_(opts.statement_cache, [this](pg_statement &p) { deallocate(p.name); }) {
    PQsetNoticeProcessor(conn_, &pg_connection::on_notice, this);
    // One text form for every value, whatever the server's defaults.
    command("SET datestyle TO 'ISO, YMD'; SET intervalstyle TO iso_8601; "
            "SET client_encoding TO 'UTF8'",
            seam::deadline());
  }

  ~pg_connection() override {
    closing_ = true;
    cache_.clear();
  }

  dialect kind() const override { return dialect::postgresql; }

  statement_result run(std::string_view sql, seam::json_view params, size_t max_rows,
                       const seam::deadline &lim) override {
    return run_once(sql, params, max_rows, lim, false);
  }

  statement_result run_once(std::string_view sql, seam::json_view params, size_t max_rows,
                            const seam::deadline &lim, bool replanned) {
    notices_.clear();
    pg_statement &p = prepare(sql, lim);
    texts_.assign(p.rewritten.names.size(), std::nullopt);
    bind_params(p.rewritten.names, params, [&](size_t i, seam::json_view v) {
      texts_[i] = pg_param(v.to_json(), i < p.param_types.size() ? p.param_types[i] : 0);
    });
    values_.clear();
    for (const auto &t : texts_)
      values_.push_back(t ? t->c_str() : nullptr);

    if (!PQsendQueryPrepared(conn_, p.name.c_str(), static_cast<int>(values_.size()),
                             values_.empty() ? nullptr : values_.data(), nullptr, nullptr, 0))
      throw failure(nullptr, sql, &p.rewritten);
    // Rows arrive one result each, so that a large result never sits in
    // memory whole: rows past max_rows are counted, not kept.
    PQsetSingleRowMode(conn_);

    statement_result out;
    result_ptr error(nullptr, &PQclear);
    const std::vector<Oid> *types = &p.column_types;
    std::vector<Oid> described_now; // only if a result differs from the description
    bool described = false;
    std::optional<row_writer> rows;
    cancelled_ = false;
    await_each(lim, [&](result_ptr r) {
      ExecStatusType s = PQresultStatus(r.get());
      if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        if (!error)
          error = std::move(r);
        return;
      }
      if (error)
        return;
      if (s == PGRES_COMMAND_OK) {
        out.affected = affected_rows(r.get());
        return;
      }
      const PGresult *res = r.get();
      if (!described) {
        described = true;
        if (static_cast<size_t>(PQnfields(res)) == p.shape->columns.size()) {
          out.shape = p.shape;
        } else { // not expected of a prepared statement; described from the result then
          out.shape = describe_shape(res, described_now);
          types = &described_now;
        }
        rows.emplace(*out.shape);
      }
      int ncols = PQnfields(res);
      for (int i = 0, n = PQntuples(res); i < n; ++i) {
        if (out.count == 0 && ncols > 0)
          out.last_id = value(res, i, 0, *types); // for ... RETURNING id, below
        if (rows->rows() < max_rows)
          rows->row([&](seam::json_builder &b, size_t c) {
            b.value(value(res, i, static_cast<int>(c), *types));
          });
        ++out.count;
      }
      if (s == PGRES_TUPLES_OK) { // the last result: the command's status
        out.has_rows = true;
        out.affected = affected_rows(res);
      }
    });
    if (error || PQstatus(conn_) == CONNECTION_BAD) {
      // A table changed under a cached plan: prepare afresh. Outside a
      // transaction, at once; inside one the failure aborted it, and only the
      // caller can roll back (to the step's savepoint) and run it again.
      if (error && !replanned && stale_plan(error.get())) {
        if (!in_transaction()) {
          cache_.erase(sql);
          return run_once(sql, params, max_rows, lim, true);
        }
        sql_error e = failure(error.get(), sql, &p.rewritten);
        cache_.erase(sql); // p is gone from here on
        throw sql_error(sql_error::kind::stale_plan, e.what());
      }
      throw failure(error.get(), sql, &p.rewritten);
    }
    // last_id: the first value RETURNING gave.
    if (!(out.affected > 0 && out.count > 0 && out.has_columns()))
      out.last_id.reset();
    if (rows) {
      out.kept = rows->rows();
      out.rows = rows->finish();
    }
    out.notices = std::move(notices_);
    return out;
  }

  size_t script(const std::string &text, const seam::deadline &lim,
                std::string_view refuse_transaction_control) override {
    notices_.clear();
    if (!refuse_transaction_control.empty())
      refuse_in_script(text, refuse_transaction_control);
    if (!PQsendQuery(conn_, text.c_str()))
      throw failure(nullptr, text, nullptr);
    // The simple protocol answers each statement with one result, and stops
    // at the first error.
    size_t ok = 0;
    result_ptr error(nullptr, &PQclear);
    await_each(lim, [&](result_ptr r) {
      ExecStatusType s = PQresultStatus(r.get());
      if (s == PGRES_FATAL_ERROR || s == PGRES_NONFATAL_ERROR || s == PGRES_BAD_RESPONSE) {
        if (!error)
          error = std::move(r);
      } else if (!error) {
        ++ok;
      }
    });
    if (error || PQstatus(conn_) == CONNECTION_BAD) {
      sql_error e = failure(error.get(), text, nullptr);
      if (e.what_kind() != sql_error::kind::statement)
        throw e;
      // The server parses the whole script before it runs any of it, so a
      // syntax error's position, not the count of results, says which
      // statement failed.
      size_t which = ok + 1;
      std::string pos = error ? field(error.get(), PG_DIAG_STATEMENT_POSITION) : "";
      if (!pos.empty()) {
        size_t off = utf8_offset(text, std::strtoul(pos.c_str(), nullptr, 10));
        auto pieces = split_statements(text, dialect::postgresql);
        for (size_t i = 0; i < pieces.size(); ++i)
          if (off >= pieces[i].offset)
            which = i + 1;
      }
      throw sql_error(e.what_kind(),
                      "statement " + std::to_string(which) + " of the script failed: " + e.what());
    }
    return ok;
  }

  void command(const std::string &sql, const seam::deadline &lim) override {
    if (!PQsendQuery(conn_, sql.c_str()))
      throw failure(nullptr, sql, nullptr);
    result_ptr error(nullptr, &PQclear);
    await_each(lim, [&](result_ptr r) {
      ExecStatusType s = PQresultStatus(r.get());
      if ((s == PGRES_FATAL_ERROR || s == PGRES_BAD_RESPONSE) && !error)
        error = std::move(r);
    });
    if (error || PQstatus(conn_) == CONNECTION_BAD)
      throw failure(error.get(), sql, nullptr);
  }

  bool in_transaction() const override {
    PGTransactionStatusType t = PQtransactionStatus(conn_);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
  }

  bool broken() const override { return broken_ || PQstatus(conn_) == CONNECTION_BAD; }

  bool alive() override {
    if (broken())
      return false;
    // An idle connection has nothing to read, unless the server ended it
    // (restart, pg_terminate_backend): then a FATAL notice and the end of
    // the stream are waiting. One poll, no round trip.
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    if (pfd.fd < 0)
      return false;
    if (poll(&pfd, 1, 0) <= 0)
      return true;
    notices_.clear();
    if (!PQconsumeInput(conn_) || PQstatus(conn_) == CONNECTION_BAD) {
      broken_ = true;
      return false;
    }
    while (PGnotify *n = PQnotifies(conn_))
      PQfreemem(n);
    for (const auto &n : notices_)
      if (n.rfind("FATAL", 0) == 0) {
        broken_ = true;
        return false;
      }
    notices_.clear();
    return true;
  }

private:
  static soci::session open_session(const db_url &url) {
    std::string uri = url.target;
    // libpq waits for an unreachable host as long as the OS does: bound it.
    if (uri.find("connect_timeout=") == std::string::npos)
      uri += (uri.find('?') == std::string::npos ? "?" : "&") + std::string("connect_timeout=10");
    try {
      return soci::session(soci::postgresql, uri);
    } catch (const std::exception &e) {
      std::string m = e.what();
      // SOCI prefixes libpq's message with a line of its own.
      const std::string soci_prefix = "Cannot establish connection to the database.\n";
      if (m.rfind(soci_prefix, 0) == 0)
        m = m.substr(soci_prefix.size());
      m = "cannot connect to " + url.masked + ": " + url.mask(clean_libpq(m));
      // Whether a server answered at all: PQping does not authenticate, so a
      // wrong password or database still counts as an answer.
      if (PQping(uri.c_str()) == PQPING_NO_RESPONSE)
        throw unavailable_error(m);
      throw seam::error(m);
    }
  }

  // The shape of a result: its column names (made unique: id, id_2) and
  // type names; `types` gets the columns' type oids.
  shape_ptr describe_shape(const PGresult *r, std::vector<Oid> &types) const {
    int ncols = PQnfields(r);
    std::vector<std::string> columns, names;
    columns.reserve(static_cast<size_t>(ncols));
    types.reserve(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      std::string name = PQfname(r, c);
      std::string unique = name;
      for (int k = 2; std::find(columns.begin(), columns.end(), unique) != columns.end(); ++k)
        unique = name + "_" + std::to_string(k);
      columns.push_back(std::move(unique));
      types.push_back(PQftype(r, c));
      names.push_back(type_name(types.back()));
    }
    return std::make_shared<const result_shape>(std::move(columns), std::move(names));
  }

  // "cached plan must not change result type": the server's answer to a
  // prepared statement whose tables changed shape (SELECT * after ALTER).
  static bool stale_plan(const PGresult *r) {
    return field(r, PG_DIAG_SQLSTATE) == "0A000" &&
           field(r, PG_DIAG_MESSAGE_PRIMARY).find("cached plan") != std::string::npos;
  }

  // Refuses a script holding a statement that begins or ends a transaction,
  // before any of it runs. Bodies of SQL functions (BEGIN ATOMIC ... END)
  // hold statements and an END of their own.
  static void refuse_in_script(const std::string &text, std::string_view rule) {
    bool in_atomic = false;
    auto pieces = split_statements(text, dialect::postgresql);
    for (size_t i = 0; i < pieces.size(); ++i) {
      std::string upper(pieces[i].text);
      for (auto &ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string kw = transaction_control(pieces[i].text);
      if (in_atomic) {
        if (kw == "END")
          in_atomic = false;
        continue;
      }
      if (upper.find("BEGIN ATOMIC") != std::string::npos) {
        in_atomic = true;
        continue;
      }
      if (!kw.empty())
        throw sql_error(sql_error::kind::refused,
                        "statement " + std::to_string(i + 1) + " of the script (" + kw +
                            ") is refused (nothing ran): " + std::string(rule) +
                            describe_position(text, skip_blank(text, pieces[i].offset)));
    }
  }

  static void on_notice(void *self, const char *message) {
    static_cast<pg_connection *>(self)->notices_.push_back(clean_libpq(message));
  }

  pg_statement &prepare(std::string_view sql, const seam::deadline &lim) {
    if (pg_statement *hit = cache_.find(sql))
      return *hit;
    pg_statement p;
    p.rewritten = rewrite_named(sql, dialect::postgresql);
    if (is_blank_sql(sql))
      throw seam::error("the sql holds no statement (only whitespace or comments)");
    p.name = "seam_" + std::to_string(++statement_counter_);
    if (!PQsendPrepare(conn_, p.name.c_str(), p.rewritten.text.c_str(),
                       static_cast<int>(p.rewritten.names.size()), nullptr))
      throw failure(nullptr, sql, &p.rewritten);
    result_ptr r = await(lim);
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
      throw failure(r.get(), sql, &p.rewritten);
    // The parameters' and columns' types, once per prepared statement: a
    // list binds as an array for `= ANY(:ids)`, as JSON text for a json
    // parameter; types that are not built in are looked up now, while the
    // connection is idle, so that their arrays read as arrays.
    if (!PQsendDescribePrepared(conn_, p.name.c_str()))
      throw failure(nullptr, sql, &p.rewritten);
    result_ptr d = await(lim);
    if (!d || PQresultStatus(d.get()) != PGRES_COMMAND_OK)
      throw failure(d.get(), sql, &p.rewritten);
    std::vector<Oid> seen;
    for (int i = 0, n = PQnparams(d.get()); i < n; ++i)
      p.param_types.push_back(PQparamtype(d.get(), i));
    seen = p.param_types;
    for (int c = 0, n = PQnfields(d.get()); c < n; ++c)
      seen.push_back(PQftype(d.get(), c));
    learn_types(seen, lim);
    p.shape = describe_shape(d.get(), p.column_types);
    return cache_.insert(sql, std::move(p));
  }

  void deallocate(const std::string &name) {
    if (closing_ || broken())
      return; // the server frees a session's statements when it ends
    // Inside a failed transaction this fails harmlessly; the statement then
    // lives until the connection closes.
    result_ptr r(PQexec(conn_, ("DEALLOCATE " + name).c_str()), &PQclear);
  }

  // Waits for the pending query's results, cancelling it on the server once
  // `lim` expires, and hands each result to `each`.
  template <class Fn> void await_each(const seam::deadline &lim, Fn &&each) {
    bool cancel_sent = false;
    for (;;) {
      while (PQisBusy(conn_)) {
        if (!cancel_sent && lim.done()) {
          cancel();
          cancel_sent = true;
          cancelled_ = true;
        }
        int wait_ms = 100;
        if (!cancel_sent)
          wait_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(
                                         lim.bounded(std::chrono::milliseconds(100)))
                                         .count());
        pollfd pfd{PQsocket(conn_), POLLIN, 0};
        if (pfd.fd < 0)
          break;
        poll(&pfd, 1, wait_ms);
        if (!PQconsumeInput(conn_))
          break; // the connection failed; PQgetResult reports it
      }
      PGresult *r = PQgetResult(conn_);
      if (r == nullptr)
        break;
      each(result_ptr(r, &PQclear));
      if (PQstatus(conn_) == CONNECTION_BAD)
        break;
    }
  }

  result_ptr await(const seam::deadline &lim) {
    cancelled_ = false;
    result_ptr last(nullptr, &PQclear);
    await_each(lim, [&](result_ptr r) {
      ExecStatusType s = PQresultStatus(r.get());
      bool failed = s == PGRES_FATAL_ERROR || s == PGRES_BAD_RESPONSE;
      bool last_failed = last && (PQresultStatus(last.get()) == PGRES_FATAL_ERROR ||
                                  PQresultStatus(last.get()) == PGRES_BAD_RESPONSE);
      if (!last_failed || failed)
        last = std::move(r);
    });
    return last;
  }

  void cancel() {
    PGcancel *c = PQgetCancel(conn_);
    if (c == nullptr)
      return;
    char err[256];
    PQcancel(c, err, sizeof err);
    PQfreeCancel(c);
  }

  json value(const PGresult *r, int row, int col, const std::vector<Oid> &types) const {
    if (PQgetisnull(r, row, col))
      return nullptr;
    return convert(types[static_cast<size_t>(col)], PQgetvalue(r, row, col),
                   PQgetlength(r, row, col));
  }

  // A type that is not built in: enums, domains, composites and their
  // arrays (pg_type).
  struct user_type {
    std::string name; // format_type(): "mood[]"
    Oid element = 0;  // arrays: the element type
    Oid base = 0;     // domains: the type they constrain
    char delimiter = ',';
  };

  json convert(Oid oid, const char *text, int len) const {
    // user_types_ holds no built-in type: those go straight to pg_value.
    if (!user_types_.empty()) {
      auto it = user_types_.find(oid);
      if (it != user_types_.end()) {
        const user_type &t = it->second;
        if (t.base != 0)
          return convert(t.base, text, len);
        if (t.element != 0) {
          auto array =
              pg_array_from_text(std::string_view(text, static_cast<size_t>(len)), t.delimiter,
                                 [&](const std::string &e) {
                                   return convert(t.element, e.c_str(), static_cast<int>(e.size()));
                                 });
          if (array)
            return std::move(*array);
        }
        return std::string(text, static_cast<size_t>(len));
      }
    }
    return pg_value(oid, text, len);
  }

  std::string type_name(Oid oid) const {
    auto it = user_types_.find(oid);
    return it != user_types_.end() ? it->second.name : pg_type_name(oid);
  }

  // Looks up the types among `oids` that are neither built in nor known yet.
  void learn_types(const std::vector<Oid> &oids, const seam::deadline &lim) {
    std::vector<Oid> wanted;
    for (Oid o : oids)
      if (o != 0 && builtin_pg_type(o) == nullptr && user_types_.count(o) == 0 &&
          std::find(wanted.begin(), wanted.end(), o) == wanted.end())
        wanted.push_back(o);
    if (wanted.empty())
      return;
    std::string array = "{";
    for (Oid o : wanted)
      array += (array.size() > 1 ? "," : "") + std::to_string(o);
    array += "}";
    const char *values[] = {array.c_str()};
    const char *sql = "SELECT oid::int8, typelem::int8, typdelim, "
                      "CASE WHEN typtype = 'd' THEN typbasetype::int8 ELSE 0 END, "
                      "format_type(oid, NULL) FROM pg_type WHERE oid = ANY($1::oid[])";
    if (!PQsendQueryParams(conn_, sql, 1, nullptr, values, nullptr, nullptr, 0))
      throw failure(nullptr, sql, nullptr);
    result_ptr r = await(lim);
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      throw failure(r.get(), sql, nullptr);
    for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
      user_type t;
      t.element = static_cast<Oid>(std::strtoul(PQgetvalue(r.get(), i, 1), nullptr, 10));
      t.delimiter = PQgetvalue(r.get(), i, 2)[0];
      t.base = static_cast<Oid>(std::strtoul(PQgetvalue(r.get(), i, 3), nullptr, 10));
      t.name = PQgetvalue(r.get(), i, 4);
      user_types_[static_cast<Oid>(std::strtoul(PQgetvalue(r.get(), i, 0), nullptr, 10))] =
          std::move(t);
    }
  }

  // The error of the last call, as the user should read it.
  sql_error failure(const PGresult *r, std::string_view sql, const rewritten_sql *rw) {
    if (PQstatus(conn_) == CONNECTION_BAD) {
      broken_ = true;
      std::string m = r ? clean_libpq(PQresultErrorMessage(r)) : "";
      if (m.empty())
        m = clean_libpq(PQerrorMessage(conn_));
      return sql_error(sql_error::kind::connection_lost,
                       "lost the connection to the PostgreSQL server at " + server() + ": " +
                           url_.mask(m) +
                           "\n  hint: the server stopped or restarted; the next step opens a new "
                           "connection");
    }
    if (r == nullptr)
      return sql_error(sql_error::kind::statement, url_.mask(clean_libpq(PQerrorMessage(conn_))));
    std::string state = field(r, PG_DIAG_SQLSTATE);
    if (state == "57014" && cancelled_)
      return sql_error(sql_error::kind::cancelled,
                       "the statement was cancelled on the server: the step's deadline passed "
                       "or the run was cancelled");
    std::string msg = field(r, PG_DIAG_MESSAGE_PRIMARY);
    if (msg.empty())
      msg = clean_libpq(PQresultErrorMessage(r));
    std::string severity = field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    std::string out = severity.empty() || severity == "ERROR" ? msg : severity + ": " + msg;
    if (!state.empty())
      out += " (SQLSTATE " + state + ")";
    std::string pos = field(r, PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty()) {
      size_t chars = std::strtoul(pos.c_str(), nullptr, 10);
      std::string_view sent = rw ? std::string_view(rw->text) : sql;
      size_t off = utf8_offset(sent, chars);
      out += describe_position(sql, rw ? rw->original_offset(off) : off);
    }
    std::string detail = field(r, PG_DIAG_MESSAGE_DETAIL);
    if (!detail.empty())
      out += "\n  detail: " + detail;
    std::string hint = field(r, PG_DIAG_MESSAGE_HINT);
    if (state == "42601" && msg.find("multiple commands") != std::string::npos)
      hint = "run several statements with sql.script or sql.transaction";
    if (state == "25P02")
      hint = "an earlier statement failed inside this transaction; end it with sql.rollback";
    if (!hint.empty())
      out += "\n  hint: " + hint;
    return sql_error(sql_error::kind::statement, url_.mask(out));
  }

  std::string server() const {
    const char *host = PQhost(conn_);
    const char *port = PQport(conn_);
    return std::string(host ? host : "?") + ":" + (port ? port : "?");
  }

  db_url url_;
  soci::session session_;
  PGconn *conn_;
  std::vector<std::string> notices_;
  bool broken_ = false;
  bool cancelled_ = false;
  bool closing_ = false;
  uint64_t statement_counter_ = 0;
  // Parameter texts of the statement being run, reused from call to call.
  std::vector<std::optional<std::string>> texts_;
  std::vector<const char *> values_;
  std::unordered_map<Oid, user_type> user_types_;
  statement_cache<pg_statement> cache_;
};

} // namespace

std::unique_ptr<connection> open_postgresql(const db_url &url, const connection_options &opts) {
  return std::make_unique<pg_connection>(url, opts);
}

} // namespace seam::sql
