// steps.cpp - sql.exec, sql.query, sql.script, sql.transaction and the
// scoped-transaction steps sql.begin / sql.commit / sql.rollback.
#include "steps.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace seam::sql {

namespace {

const std::string &required_sql(const json &in, const char *key = "sql") {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string())
    throw seam::error(std::string(key) + " is required: the SQL text to run, e.g. " +
                      "sql = \"SELECT * FROM users WHERE email = :email\"");
  const std::string &s = it->get_ref<const std::string &>();
  if (s.empty())
    throw seam::error(std::string(key) + " is empty");
  return s;
}

const json &params_of(const json &in) {
  static const json none = json::object();
  auto it = in.find("params");
  if (it == in.end())
    return none;
  const json &p = *it;
  if (!p.is_object())
    throw seam::error("params must be a table of named values, e.g. params = { email = "
                      "\"a@b.c\" } for :email in the SQL; got " +
                      std::string(p.type_name()));
  return p;
}

size_t max_rows_of(const json &in) {
  auto it = in.find("max_rows");
  if (it == in.end())
    return default_max_rows;
  const json &m = *it;
  if (!m.is_number_integer() || m.get<int64_t>() < 0)
    throw seam::error("max_rows must be a whole number >= 0, not " + m.dump());
  return static_cast<size_t>(m.get<int64_t>());
}

void log_notices(const statement_result &r, seam::context &ctx) {
  for (const auto &n : r.notices)
    ctx.info(n);
}

// Runs one statement for a step. Inside a transaction opened by sql.begin on
// PostgreSQL, the statement gets a savepoint of its own: a failing step
// (perhaps one that expects the error) must not abort the whole test's
// transaction, as it would on the server otherwise.
statement_result run_statement(database::handle &h, const std::string &sql, const json &params,
                               size_t max_rows, const limits &lim) {
  if (!h.in_scope_transaction() || h->kind() != dialect::postgresql)
    return h->run(sql, params, max_rows, lim);
  h->command("SAVEPOINT seam_step", lim);
  try {
    statement_result r = h->run(sql, params, max_rows, lim);
    h->command("RELEASE SAVEPOINT seam_step", lim);
    return r;
  } catch (const sql_error &e) {
    if (e.what_kind() != sql_error::kind::connection_lost) {
      try {
        h->command("ROLLBACK TO SAVEPOINT seam_step; RELEASE SAVEPOINT seam_step", limits::none());
      } catch (...) {
      }
    }
    throw;
  }
}

json result_json(statement_result &&r, bool query) {
  json out = json::object();
  out["affected"] = r.affected;
  if (r.last_id)
    out["last_id"] = std::move(*r.last_id);
  if (query || r.has_rows) {
    out["truncated"] = static_cast<size_t>(r.count) > r.rows.size();
    out["count"] = r.count;
    out["rows"] = std::move(r.rows);
    out["columns"] = std::move(r.columns);
  }
  return out;
}

} // namespace

json step_exec(database *db, const json &in, seam::context &ctx) {
  const std::string &sql = required_sql(in);
  const json &params = params_of(in);
  limits lim = limits::of(ctx);
  auto h = db->use(current_scope(), lim);
  statement_result r = run_statement(h, sql, params, default_max_rows, lim);
  log_notices(r, ctx);
  return result_json(std::move(r), false);
}

json step_query(database *db, const json &in, seam::context &ctx) {
  const std::string &sql = required_sql(in);
  const json &params = params_of(in);
  size_t max_rows = max_rows_of(in);
  limits lim = limits::of(ctx);
  auto h = db->use(current_scope(), lim);
  statement_result r = run_statement(h, sql, params, max_rows, lim);
  log_notices(r, ctx);
  if (static_cast<size_t>(r.count) > r.rows.size())
    ctx.info("kept " + std::to_string(r.rows.size()) + " of " + std::to_string(r.count) +
             " rows (max_rows)");
  return result_json(std::move(r), true);
}

json step_script(database *db, const json &in, seam::context &ctx) {
  bool has_sql = in.contains("sql"), has_file = in.contains("file");
  if (has_sql == has_file)
    throw seam::error("give the script as sql = \"...\" or as file = \"path/to/seed.sql\" "
                      "(exactly one of them)");
  std::string text, origin = "the script";
  if (has_sql) {
    text = required_sql(in);
  } else {
    if (!in["file"].is_string())
      throw seam::error("file must be a path (a string)");
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
  limits lim = limits::of(ctx);
  auto h = db->use(current_scope(), lim);
  bool nested = h.in_scope_transaction();
  // Inside a test's transaction on PostgreSQL a failing statement would abort
  // the whole test's transaction: a savepoint confines it.
  bool guarded = atomic || (nested && h->kind() == dialect::postgresql);
  if (guarded)
    h->command(nested ? "SAVEPOINT seam_script" : "BEGIN", lim);
  size_t n = 0;
  try {
    n = h->script(text, lim);
  } catch (const std::exception &e) {
    std::string undo;
    if (guarded && !h->broken()) {
      try {
        h->command(nested ? "ROLLBACK TO SAVEPOINT seam_script; RELEASE SAVEPOINT seam_script"
                          : "ROLLBACK",
                   limits::none());
        if (atomic)
          undo = "\n  the script ran in a transaction: nothing it did was kept";
      } catch (const std::exception &re) {
        undo = std::string("\n  rolling back failed too: ") + re.what();
      }
    }
    throw seam::error(std::string(e.what()) + (has_file ? "\n  in " + origin : "") + undo);
  }
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
  const json *cur = doc;
  std::string path = ref.substr(dot + 1);
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string::npos)
        throw seam::error("reference \"" + ref + "\": unclosed [");
      std::string idx = path.substr(i + 1, close - i - 1);
      if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos)
        throw seam::error("reference \"" + ref + "\": [" + idx + "] is not an index");
      size_t k = std::stoul(idx);
      if (!cur->is_array() || k >= cur->size())
        throw seam::error("reference \"" + ref + "\": index " + idx + " is out of range");
      cur = &(*cur)[k];
      i = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!cur->is_object() || !cur->contains(key)) {
      std::string hint = key == "last_id" ? " (on PostgreSQL add RETURNING id to the INSERT)" : "";
      throw seam::error("reference \"" + ref + "\": statement \"" + who + "\" gave no " + key +
                        hint);
    }
    cur = &(*cur)[key];
    i = end == std::string::npos ? path.size() : end;
  }
  return *cur;
}

json step_transaction(database *db, const json &in, seam::context &ctx) {
  if (!in.contains("statements") || !in["statements"].is_array() || in["statements"].empty())
    throw seam::error("statements is required: a list of { sql = \"...\", params = {...} } "
                      "tables, run in one transaction");
  const json &list = in["statements"];
  limits lim = limits::of(ctx);
  auto h = db->use(current_scope(), lim);
  bool nested = h.in_scope_transaction();
  h->command(nested ? "SAVEPOINT seam_tx" : "BEGIN", lim);

  json done = json::array();
  size_t index = 0;
  std::string label;
  try {
    for (const auto &st : list) {
      ++index;
      if (!st.is_object())
        throw seam::error("must be a table with sql (and params, from, name)");
      std::string name = st.contains("name") && st["name"].is_string()
                             ? st["name"].get<std::string>()
                             : std::to_string(index);
      label = st.contains("name") ? " (\"" + name + "\")" : "";
      for (const auto &prev : done)
        if (prev["name"] == name)
          throw seam::error("the name \"" + name + "\" is used twice");
      const std::string &sql = required_sql(st);
      json params = params_of(st);
      if (st.contains("from")) {
        if (!st["from"].is_object())
          throw seam::error("from must be a table of param = \"STATEMENT.FIELD\"");
        for (const auto &[param, ref] : st["from"].items()) {
          if (!ref.is_string())
            throw seam::error("from." + param + " must be a reference such as \"user.last_id\"");
          if (params.contains(param))
            throw seam::error(param + " is given both in params and in from");
          params[param] = resolve_reference(ref.get<std::string>(), done);
        }
      }
      statement_result r = h->run(sql, params, max_rows_of(st), lim);
      log_notices(r, ctx);
      json out = result_json(std::move(r), false);
      out["name"] = name;
      done.push_back(std::move(out));
    }
  } catch (const std::exception &e) {
    bool lost = h->broken();
    std::string outcome;
    if (lost) {
      outcome = "the connection was lost: the server discards the unfinished transaction, "
                "nothing was committed";
    } else {
      try {
        h->command(nested ? "ROLLBACK TO SAVEPOINT seam_tx; RELEASE SAVEPOINT seam_tx"
                          : "ROLLBACK",
                   limits::none());
        // Verified, not assumed: outside sql.begin no transaction may remain.
        if (!nested && h->in_transaction())
          outcome = "ROLLBACK was sent but a transaction is still open; the connection is "
                    "closed so nothing can be committed";
        else
          outcome = "the transaction was rolled back: none of its statements were kept";
      } catch (const std::exception &re) {
        outcome = std::string("rolling back failed: ") + re.what();
      }
    }
    throw seam::error("statement " + std::to_string(index) + label + " of the transaction failed: " +
                      e.what() + "\n  " + outcome);
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
  db->begin(current_scope(), limits::of(ctx));
  return {{"open", true}};
}

json step_commit(database *db, const json &, seam::context &ctx) {
  if (db->end(current_scope(), true, limits::of(ctx)) == database::ended::nothing_open)
    throw seam::error(
        db->config().iso == isolation::rollback
            ? "resource \"" + db->name() +
                  "\" has isolation = \"rollback\": a test's changes are always rolled back, "
                  "so there is nothing to commit (use isolation = \"none\" to keep changes)"
            : "no transaction is open on \"" + db->name() + "\" for this test; sql.begin opens one");
  return {{"committed", true}};
}

json step_rollback(database *db, const json &, seam::context &ctx) {
  // Meant for [[test.cleanup]], which runs even when sql.begin never did:
  // nothing to undo is not an error.
  bool ended = db->end(current_scope(), false, limits::of(ctx)) == database::ended::done;
  if (!ended)
    ctx.info("no transaction was open on \"" + db->name() + "\"; nothing to roll back");
  return {{"rolled_back", ended}};
}

} // namespace seam::sql
