// steps.cpp - sql.exec, sql.query, sql.script, sql.transaction and the
// scoped-transaction steps sql.begin / sql.commit / sql.rollback.
#include "steps.hpp"

#include "sql_text.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace seam::sql {

namespace {

// The host checked the input against the step's schema (plugin.cpp): sql is
// a non-empty string, params a table, max_rows a whole number >= 0.
const std::string &sql_of(const json &in) { return in.at("sql").get_ref<const std::string &>(); }

const json &params_of(const json &in) {
  static const json none = json::object();
  auto it = in.find("params");
  return it == in.end() ? none : *it;
}

// A whole number written with more digits than 64 bits hold arrives as a
// double; any count beyond what size_t holds keeps every row.
size_t max_rows_in(seam::json_view rows) {
  if (rows.missing())
    return default_max_rows;
  if (rows.is_number_unsigned())
    return static_cast<size_t>(std::min<uint64_t>(rows.get_uint64(), SIZE_MAX));
  if (rows.is_number_integer()) // a negative count: the schema refuses it
    return 0;
  double n = rows.get_double(); // anything but a number throws, as before
  if (!(n >= 0))
    return 0;
  return n >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(n);
}

// sql.exec's and sql.query's inputs, read in place in one pass over the
// input's members (the host checked them against the step's schema).
struct statement_input {
  std::string_view sql;
  seam::json_view params;
  seam::json_view max_rows;
};

statement_input statement_input_of(seam::json_view in) {
  statement_input s;
  seam::json_view sql;
  in.members([&](std::string_view key, seam::json_view value) {
    if (key == "sql")
      sql = value;
    else if (key == "params")
      s.params = value;
    else if (key == "max_rows")
      s.max_rows = value;
  });
  s.sql = sql.get_string(); // throws, as a lookup would, when there is none
  return s;
}

void log_notices(const statement_result &r, seam::context &ctx) {
  for (const auto &n : r.notices)
    ctx.info(n);
}

// Why a step on `h` may not begin or end a transaction itself; nullptr when
// it may (a pooled connection in autocommit).
const char *transaction_control_rule(const database::handle &h) {
  switch (h.pinned_by()) {
  case database::pin::isolation:
    return "with isolation = \"rollback\" each test runs in one transaction, rolled back when "
           "the test ends, so a test cannot commit, roll back or begin a transaction of its own "
           "(sql.transaction runs statements all or nothing inside it; isolation = \"none\" "
           "lets tests commit)";
  case database::pin::explicit_tx:
    return "this test's transaction was opened by sql.begin: end it with sql.commit or "
           "sql.rollback";
  case database::pin::none:
    break;
  }
  return nullptr;
}

// Refuses, before it runs, a statement that would end the transaction `h`
// is pinned to: SQLite would commit the test's rows for good, PostgreSQL
// too, and then fail on the step's savepoint with a misleading message.
void refuse_transaction_control(const database::handle &h, std::string_view sql) {
  const char *rule = transaction_control_rule(h);
  if (rule == nullptr)
    return;
  std::string kw = transaction_control(sql);
  if (!kw.empty())
    throw sql_error(sql_error::kind::refused, kw + " is refused (nothing ran): " + rule);
}

// After a step on a pinned connection: its transaction must still be open.
// If the step ended it anyway (SQLite's INSERT OR ROLLBACK, an error after
// which the database rolled back), a new one is opened for the test's
// remaining steps and the step fails saying what happened.
void verify_still_in_transaction(database &db, database::handle &h, const std::string &failure) {
  if (!h.in_scope_transaction() || h->broken() || h->in_transaction())
    return;
  std::string why =
      h.pinned_by() == database::pin::isolation
          ? "the statement ended the test's transaction (a COMMIT or ROLLBACK, or the database "
            "rolled it back after an error); with isolation = \"rollback\" a test cannot "
            "commit; data it wrote may remain"
          : "the statement ended the transaction that sql.begin opened (a COMMIT or ROLLBACK, or "
            "the database rolled it back after an error); what it did before may be committed "
            "or gone";
  std::string restored;
  try {
    h->command("BEGIN", seam::deadline());
    restored =
        "\n  a new transaction was opened for the test's remaining steps on \"" + db.name() + "\"";
  } catch (const std::exception &e) {
    restored = std::string("\n  opening a new transaction failed too: ") + e.what();
  }
  throw sql_error(sql_error::kind::statement,
                  (failure.empty() ? why : failure + "\n  and " + why) + restored);
}

bool is(const std::exception &e, sql_error::kind k) {
  auto *s = dynamic_cast<const sql_error *>(&e);
  return s != nullptr && s->what_kind() == k;
}

// Runs one statement for a step. On a pinned connection on PostgreSQL
// (isolation, sql.begin) the statement gets a savepoint of its own: a
// failing step (perhaps one that expects the error) must not abort the whole
// test's transaction, as it would on the server otherwise; and a statement
// whose cached plan went stale (a table changed shape) is run again after
// rolling back to it.
statement_result run_statement(database &db, database::handle &h, std::string_view sql,
                               seam::json_view params, size_t max_rows, const seam::deadline &lim) {
  if (!h.in_scope_transaction())
    return h->run(sql, params, max_rows, lim);
  refuse_transaction_control(h, sql);
  if (h->kind() != dialect::postgresql) {
    statement_result r;
    try {
      r = h->run(sql, params, max_rows, lim);
    } catch (const sql_error &e) {
      verify_still_in_transaction(db, h, e.what());
      throw;
    }
    verify_still_in_transaction(db, h, "");
    return r;
  }
  h->command("SAVEPOINT seam_step", lim);
  for (int attempt = 0;; ++attempt) {
    statement_result r;
    try {
      r = h->run(sql, params, max_rows, lim);
    } catch (const sql_error &e) {
      if (e.what_kind() == sql_error::kind::connection_lost || h->broken())
        throw;
      // The savepoint went with the transaction, if the statement ended it.
      verify_still_in_transaction(db, h, e.what());
      bool retry = false;
      try {
        h->command("ROLLBACK TO SAVEPOINT seam_step", seam::deadline());
        retry = e.what_kind() == sql_error::kind::stale_plan && attempt == 0;
        if (!retry)
          h->command("RELEASE SAVEPOINT seam_step", seam::deadline());
      } catch (...) {
      }
      if (!retry)
        throw;
      continue;
    }
    verify_still_in_transaction(db, h, "");
    h->command("RELEASE SAVEPOINT seam_step", lim);
    return r;
  }
}

// A step's output, written as text: the keys in sorted order, as a json
// object would hold them.
seam::json_text result_text(const statement_result &r, bool query) {
  static const seam::json_key affected("affected"), columns("columns"), count("count"),
      last_id("last_id"), rows_key("rows"), truncated("truncated"), types("types");
  seam::json_builder out;
  bool rows = query || r.has_rows;
  out.begin_object();
  out.key(affected).value(r.affected);
  static const shape_ptr none =
      std::make_shared<const result_shape>(std::vector<std::string>{}, std::vector<std::string>{});
  const result_shape &shape = r.shape ? *r.shape : *none;
  if (rows) {
    out.key(columns).value(shape.columns_json);
    out.key(count).value(r.count);
  }
  if (r.last_id)
    out.key(last_id).value(*r.last_id);
  if (rows) {
    out.key(rows_key);
    if (r.rows.empty())
      out.begin_array().end_array();
    else
      out.value(r.rows);
    out.key(truncated).value(static_cast<size_t>(r.count) > r.kept);
    out.key(types).value(shape.types_json);
  }
  out.end_object();
  return out.take();
}

} // namespace

seam::json_text step_exec(database *db, seam::json_view in, seam::context &ctx) {
  statement_input s = statement_input_of(in);
  seam::deadline lim = ctx.deadline();
  auto h = db->use(ctx, lim);
  statement_result r = run_statement(*db, h, s.sql, s.params, default_max_rows, lim);
  log_notices(r, ctx);
  return result_text(r, false);
}

seam::json_text step_query(database *db, seam::json_view in, seam::context &ctx) {
  statement_input s = statement_input_of(in);
  size_t max_rows = max_rows_in(s.max_rows);
  seam::deadline lim = ctx.deadline();
  auto h = db->use(ctx, lim);
  statement_result r = run_statement(*db, h, s.sql, s.params, max_rows, lim);
  log_notices(r, ctx);
  if (static_cast<size_t>(r.count) > r.kept)
    ctx.info("kept " + std::to_string(r.kept) + " of " + std::to_string(r.count) +
             " rows (max_rows)");
  return result_text(r, true);
}

json step_script(database *db, const json &in, seam::context &ctx) {
  // The schema makes it exactly one of sql and file.
  bool has_sql = in.contains("sql"), has_file = !has_sql;
  std::string text, origin = "the script";
  if (has_sql) {
    text = sql_of(in);
  } else {
    std::string path = in["file"].get<std::string>();
    std::ifstream f(path, std::ios::binary);
    if (!f)
      throw seam::error("cannot read script file \"" + path + "\": " + std::strerror(errno) +
                        " (relative paths start at the working directory, " +
                        std::filesystem::current_path().string() + ")");
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
    origin = path;
  }
  bool atomic = in.value("transaction", false);
  seam::deadline lim = ctx.deadline();
  auto h = db->use(ctx, lim);
  bool nested = h.in_scope_transaction();
  // Inside a test's transaction a savepoint confines a failing script (on
  // PostgreSQL a failing statement would abort the whole test's
  // transaction); with transaction = true the script has one of its own.
  // Either way the script may not end that transaction.
  bool guarded = atomic || nested;
  const char *rule = nested ? transaction_control_rule(h)
                     : atomic
                         ? "with transaction = true sql.script begins and commits the script's "
                           "transaction itself"
                         : nullptr;
  if (guarded)
    h->command(nested ? "SAVEPOINT seam_script" : "BEGIN", lim);
  size_t n = 0;
  try {
    n = h->script(text, lim, rule ? rule : "");
  } catch (const std::exception &e) {
    std::string message = e.what();
    std::string undo;
    if (nested && !h->broken() && !h->in_transaction()) {
      try {
        verify_still_in_transaction(*db, h, message);
      } catch (const std::exception &ve) {
        message = ve.what();
      }
    } else if (guarded && !h->broken()) {
      try {
        h->command(nested ? "ROLLBACK TO SAVEPOINT seam_script; RELEASE SAVEPOINT seam_script"
                          : "ROLLBACK",
                   seam::deadline());
        undo = atomic ? "\n  the script ran in a transaction: nothing it did was kept"
                      : "\n  the script ran under a savepoint of the test's transaction: "
                        "nothing it did was kept";
      } catch (const std::exception &re) {
        undo = std::string("\n  rolling back failed too: ") + re.what();
      }
    }
    throw seam::error(message + (has_file ? "\n  in " + origin : "") + undo);
  }
  if (nested)
    verify_still_in_transaction(*db, h, "");
  if (guarded)
    h->command(nested ? "RELEASE SAVEPOINT seam_script" : "COMMIT", lim);
  return {{"statements", n}};
}

json resolve_reference(const std::string &ref, const json &done) {
  size_t dot = ref.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == ref.size())
    throw seam::error("reference \"" + ref +
                      "\" must be STATEMENT.FIELD, e.g. \"user.last_id\" or \"1.rows[0].id\"");
  std::string who = ref.substr(0, dot);
  const json *doc = nullptr;
  for (const auto &s : done)
    if (s["name"] == who)
      doc = &s;
  if (doc == nullptr) {
    std::string names;
    for (const auto &s : done)
      names += (names.empty() ? "" : ", ") + s["name"].get<std::string>();
    throw seam::error("reference \"" + ref + "\": no earlier statement is called \"" + who +
                      "\" (earlier: " + (names.empty() ? std::string("none") : names) + ")");
  }
  // FIELD is a path: last_id, affected, count, rows[0].email
  std::string path_error;
  auto path = seam::json_path::parse(ref.substr(dot + 1), &path_error);
  if (!path)
    throw seam::error("reference \"" + ref + "\": " + path_error);
  size_t reached = 0;
  if (const json *v = path->find(*doc, &reached))
    return *v;
  const auto &missing = path->segments()[reached];
  if (std::holds_alternative<long>(missing))
    throw seam::error("reference \"" + ref + "\": index " + seam::json_path::format(missing) +
                      " is out of range");
  const auto &key = std::get<std::string>(missing);
  std::string hint = key == "last_id" ? " (on PostgreSQL add RETURNING id to the INSERT)" : "";
  throw seam::error("reference \"" + ref + "\": statement \"" + who + "\" gave no " + key + hint);
}

json step_transaction(database *db, const json &in, seam::context &ctx) {
  const json &list = in["statements"];
  // A COMMIT among the statements would end the transaction half-way:
  // refused before anything runs.
  for (size_t i = 0; i < list.size(); ++i) {
    std::string kw = transaction_control(sql_of(list[i]));
    if (!kw.empty())
      throw sql_error(sql_error::kind::refused,
                      "statement " + std::to_string(i + 1) + " of the transaction (" + kw +
                          ") is refused (nothing ran): sql.transaction begins and commits its "
                          "transaction itself");
  }
  seam::deadline lim = ctx.deadline();
  auto h = db->use(ctx, lim);
  bool nested = h.in_scope_transaction();

  json done;
  // A statement whose cached plan went stale inside the transaction aborted
  // it: everything is rolled back and run once more, prepared afresh.
  for (int attempt = 0;; ++attempt) {
    h->command(nested ? "SAVEPOINT seam_tx" : "BEGIN", lim);
    done = json::array();
    size_t index = 0;
    std::string label;
    try {
      for (const auto &st : list) {
        ++index;
        std::string name = st.value("name", std::to_string(index));
        label = st.contains("name") ? " (\"" + name + "\")" : "";
        for (const auto &prev : done)
          if (prev["name"] == name)
            throw seam::error("the name \"" + name + "\" is used twice");
        const std::string &sql = sql_of(st);
        json params = params_of(st);
        if (st.contains("from")) {
          for (const auto &[param, ref] : st["from"].items()) {
            if (params.contains(param))
              throw seam::error(param + " is given both in params and in from");
            params[param] = resolve_reference(ref.get<std::string>(), done);
          }
        }
        statement_result r =
            h->run(sql, seam::json_view(params), max_rows_in(seam::json_view(st)["max_rows"]), lim);
        log_notices(r, ctx);
        json out = seam::read_json(result_text(r, false).str());
        out["name"] = name;
        done.push_back(std::move(out));
      }
      break;
    } catch (const std::exception &e) {
      bool lost = h->broken();
      bool rolled_back = false;
      std::string outcome;
      if (lost) {
        outcome = "the connection was lost: the server discards the unfinished transaction, "
                  "nothing was committed";
      } else {
        try {
          h->command(nested ? "ROLLBACK TO SAVEPOINT seam_tx; RELEASE SAVEPOINT seam_tx"
                            : "ROLLBACK",
                     seam::deadline());
          // Verified, not assumed: outside sql.begin no transaction may remain.
          if (!nested && h->in_transaction()) {
            outcome = "ROLLBACK was sent but a transaction is still open; the connection is "
                      "closed so nothing can be committed";
          } else {
            rolled_back = true;
            outcome = "the transaction was rolled back: none of its statements were kept";
          }
        } catch (const std::exception &re) {
          outcome = std::string("rolling back failed: ") + re.what();
        }
      }
      if (rolled_back && attempt == 0 && is(e, sql_error::kind::stale_plan))
        continue;
      throw seam::error("statement " + std::to_string(index) + label +
                        " of the transaction failed: " + e.what() + "\n  " + outcome);
    }
  }
  try {
    h->command(nested ? "RELEASE SAVEPOINT seam_tx" : "COMMIT", lim);
  } catch (const std::exception &e) {
    throw seam::error(std::string("the transaction could not be committed: ") + e.what() +
                      "\n  none of its statements were kept");
  }
  json named = json::object();
  for (const auto &d : done)
    named[d["name"].get<std::string>()] = d;
  return {{"committed", true}, {"statements", done}, {"results", named}};
}

json step_begin(database *db, const json &, seam::context &ctx) {
  db->begin(db->scope_of(ctx), ctx.deadline());
  return {{"open", true}};
}

json step_commit(database *db, const json &, seam::context &ctx) {
  if (db->end(db->scope_of(ctx), true, ctx.deadline()) == database::ended::nothing_open)
    throw seam::error(
        db->config().iso == isolation::rollback
            ? "resource \"" + db->name() +
                  "\" has isolation = \"rollback\": a test's changes are always rolled back, "
                  "so there is nothing to commit (use isolation = \"none\" to keep changes)"
            : "no transaction is open on \"" + db->name() +
                  "\" for this test; sql.begin opens one");
  return {{"committed", true}};
}

json step_rollback(database *db, const json &, seam::context &ctx) {
  // Meant for [[test.cleanup]], which runs even when sql.begin never did:
  // nothing to undo is not an error.
  bool ended = db->end(db->scope_of(ctx), false, ctx.deadline()) == database::ended::done;
  if (!ended)
    ctx.info("no transaction was open on \"" + db->name() + "\"; nothing to roll back");
  return {{"rolled_back", ended}};
}

} // namespace seam::sql
