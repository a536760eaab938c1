// pg_connection.cpp - the PostgreSQL backend: a soci::session connects,
// statements run through its native PGconn with libpq's asynchronous calls,
// so that a step's deadline or Ctrl-C cancels the statement on the server.
#include "connection.hpp"
#include "sql_text.hpp"
#include "statement_cache.hpp"
#include "values.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <libpq-fe.h>
#include <poll.h>

#include <cstring>

namespace seam::sql {

namespace {

struct prepared {
  std::string name; // the server-side statement name
  rewritten_sql rewritten;
};

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string field(const PGresult *r, int code) {
  const char *f = PQresultErrorField(r, code);
  return f ? f : "";
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
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
        cache_(opts.statement_cache, [this](prepared &p) { deallocate(p.name); }) {
    PQsetNoticeProcessor(conn_, &pg_connection::on_notice, this);
    // One text form for every value, whatever the server's defaults.
    command("SET datestyle TO 'ISO, YMD'; SET intervalstyle TO iso_8601; "
            "SET client_encoding TO 'UTF8'",
            limits::none());
  }

  ~pg_connection() override {
    closing_ = true;
    cache_.clear();
  }

  dialect kind() const override { return dialect::postgresql; }

  statement_result run(const std::string &sql, const json &params, size_t max_rows,
                       const limits &lim) override {
    return run_once(sql, params, max_rows, lim, false);
  }

  statement_result run_once(const std::string &sql, const json &params, size_t max_rows,
                            const limits &lim, bool replanned) {
    notices_.clear();
    prepared &p = prepare(sql, lim);
    check_params(p.rewritten.names, params);
    std::vector<std::optional<std::string>> texts;
    texts.reserve(p.rewritten.names.size());
    for (const auto &n : p.rewritten.names)
      texts.push_back(pg_param(params.at(n)));
    std::vector<const char *> values;
    values.reserve(texts.size());
    for (const auto &t : texts)
      values.push_back(t ? t->c_str() : nullptr);

    if (!PQsendQueryPrepared(conn_, p.name.c_str(), static_cast<int>(values.size()),
                             values.empty() ? nullptr : values.data(), nullptr, nullptr, 0))
      throw failure(nullptr, sql, &p.rewritten);
    result_ptr r = await(lim);
    ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      // A table changed under a cached plan: prepare afresh once, outside
      // transactions (inside one, the failure already aborted it).
      if (!replanned && r && field(r.get(), PG_DIAG_SQLSTATE) == "0A000" && !in_transaction()) {
        cache_.erase(sql);
        return run_once(sql, params, max_rows, lim, true);
      }
      throw failure(r.get(), sql, &p.rewritten);
    }

    statement_result out;
    out.notices = std::move(notices_);
    out.affected = affected_rows(r.get());
    if (status == PGRES_TUPLES_OK) {
      out.has_rows = true;
      int ncols = PQnfields(r.get());
      int nrows = PQntuples(r.get());
      std::vector<Oid> types;
      for (int c = 0; c < ncols; ++c) {
        std::string name = PQfname(r.get(), c);
        std::string unique = name;
        for (int k = 2; std::find(out.columns.begin(), out.columns.end(), unique) !=
                        out.columns.end();
             ++k)
          unique = name + "_" + std::to_string(k);
        out.columns.push_back(unique);
        types.push_back(PQftype(r.get(), c));
      }
      out.count = nrows;
      size_t keep = std::min(static_cast<size_t>(nrows), max_rows);
      for (size_t i = 0; i < keep; ++i) {
        json row = json::object();
        for (int c = 0; c < ncols; ++c)
          row[out.columns[static_cast<size_t>(c)]] = value(r.get(), static_cast<int>(i), c, types);
        out.rows.push_back(std::move(row));
      }
      if (out.affected > 0 && nrows > 0 && ncols > 0)
        out.last_id = value(r.get(), 0, 0, types); // ... RETURNING id
    }
    return out;
  }

  size_t script(const std::string &text, const limits &lim) override {
    notices_.clear();
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

  void command(const std::string &sql, const limits &lim) override {
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
      m = mask(mask(trim(m), url.password), url.password_raw);
      throw seam::error("cannot connect to " + url.masked + ": " + m);
    }
  }

  static void on_notice(void *self, const char *message) {
    static_cast<pg_connection *>(self)->notices_.push_back(trim(message));
  }

  prepared &prepare(const std::string &sql, const limits &lim) {
    if (prepared *hit = cache_.find(sql))
      return *hit;
    prepared p;
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
  template <class Fn> void await_each(const limits &lim, Fn &&each) {
    bool cancel_sent = false;
    for (;;) {
      while (PQisBusy(conn_)) {
        if (!cancel_sent && lim.expired()) {
          cancel();
          cancel_sent = true;
          cancelled_ = true;
        }
        int wait_ms = 100;
        if (lim.deadline && !cancel_sent) {
          auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          *lim.deadline - std::chrono::steady_clock::now())
                          .count();
          wait_ms = static_cast<int>(std::clamp<long long>(left + 1, 0, 100));
        }
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

  result_ptr await(const limits &lim) {
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
    return pg_value(types[static_cast<size_t>(col)], PQgetvalue(r, row, col),
                    PQgetlength(r, row, col));
  }

  // The error of the last call, as the user should read it.
  sql_error failure(const PGresult *r, const std::string &sql, const rewritten_sql *rw) {
    if (PQstatus(conn_) == CONNECTION_BAD) {
      broken_ = true;
      std::string m = r ? trim(PQresultErrorMessage(r)) : "";
      if (m.empty())
        m = trim(PQerrorMessage(conn_));
      return sql_error(sql_error::kind::connection_lost,
                       "lost the connection to the PostgreSQL server at " + server() + ": " +
                           mask(m, url_.password) +
                           "\n  hint: the server stopped or restarted; the next step opens a new "
                           "connection");
    }
    if (r == nullptr)
      return sql_error(sql_error::kind::statement, trim(PQerrorMessage(conn_)));
    std::string state = field(r, PG_DIAG_SQLSTATE);
    if (state == "57014" && cancelled_)
      return sql_error(sql_error::kind::cancelled,
                       "the statement was cancelled on the server: the step's deadline passed "
                       "or the run was cancelled");
    std::string msg = field(r, PG_DIAG_MESSAGE_PRIMARY);
    if (msg.empty())
      msg = trim(PQresultErrorMessage(r));
    std::string severity = field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    std::string out = severity.empty() || severity == "ERROR" ? msg : severity + ": " + msg;
    if (!state.empty())
      out += " (SQLSTATE " + state + ")";
    std::string pos = field(r, PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty()) {
      size_t chars = std::strtoul(pos.c_str(), nullptr, 10);
      const std::string &sent = rw ? rw->text : sql;
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
    return sql_error(sql_error::kind::statement, mask(out, url_.password));
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
  statement_cache<prepared> cache_;
};

} // namespace

std::unique_ptr<connection> open_postgresql(const db_url &url, const connection_options &opts) {
  return std::make_unique<pg_connection>(url, opts);
}

} // namespace seam::sql
