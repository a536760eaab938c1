// plugin.cpp - the sql plugin's descriptor: its resource type, its steps and
// their schemas (what `seam check` validates and `seam plugins info` shows).
#include "database.hpp"
#include "steps.hpp"

#include <seam/plugin.hpp>

using seam::json;
using seam::sql::database;

namespace {

const char *const config_schema = R"js({
  "type": "object",
  "properties": {
    "url": {"type": "string", "minLength": 1,
            "description": "sqlite3://:memory:, sqlite3:///path/file.db, or postgresql://user:password@host:port/database?sslmode=disable (the password is a secret; the url is checked when the resource opens, so that no message shows it unmasked)",
            "examples": ["sqlite3://:memory:", "postgresql://seam@127.0.0.1:5432/app"]},
    "pool": {"type": "integer", "minimum": 1, "maximum": 64,
             "description": "connections kept (opened as needed); default: how many tests run at once (seam run --jobs), and 1 for sqlite3://:memory:"},
    "isolation": {"enum": ["none", "rollback"], "default": "none",
                  "description": "rollback: each test's steps run in one transaction, opened at its first step on this resource and rolled back when the test ends (setup and teardown commit as usual)"},
    "statement_cache": {"type": "integer", "minimum": 0, "default": 128,
                        "description": "prepared statements kept per connection"},
    "busy_timeout": {"type": "string", "default": "5s",
                     "description": "SQLite: how long to wait for another connection's lock"}
  },
  "required": ["url"],
  "additionalProperties": false
})js";

// `params` binds :name placeholders; values are never pasted into the SQL.
#define SEAM_SQL_PARAMS                                                                            \
  R"js("params": {"type": "object", "description": "values for the :name placeholders of sql, bound by name (null, booleans, numbers, strings; tables and lists as JSON text)"})js"

const char *const exec_schema = R"js({
  "type": "object",
  "properties": {
    "sql": {"type": "string", "minLength": 1, "description": "one statement; :name placeholders take params"},
    )js" SEAM_SQL_PARAMS R"js(
  },
  "required": ["sql"],
  "additionalProperties": false
})js";

const char *const exec_output = R"js({
  "type": "object",
  "properties": {
    "affected": {"type": "integer", "description": "rows inserted, updated or deleted"},
    "last_id": {"description": "the first value RETURNING gave, or SQLite's rowid of the inserted row"},
    "rows": {"type": "array", "description": "rows RETURNING gave"},
    "count": {"type": "integer"},
    "columns": {"type": "array", "items": {"type": "string"}},
    "types": {"type": "array", "items": {"type": ["string", "null"]}},
    "truncated": {"type": "boolean"}
  }
})js";

const char *const query_schema = R"js({
  "type": "object",
  "properties": {
    "sql": {"type": "string", "minLength": 1, "description": "one statement; :name placeholders take params"},
    )js" SEAM_SQL_PARAMS R"js(,
    "max_rows": {"type": "integer", "minimum": 0, "default": 10000, "description": "rows kept in the output; count still tells how many there were"}
  },
  "required": ["sql"],
  "additionalProperties": false
})js";

const char *const query_output = R"js({
  "type": "object",
  "properties": {
    "rows": {"type": "array", "items": {"type": "object"}, "description": "rows keyed by column name"},
    "count": {"type": "integer", "description": "rows the query returned, kept or not"},
    "columns": {"type": "array", "items": {"type": "string"}, "description": "column names in order"},
    "types": {"type": "array", "items": {"type": ["string", "null"]}, "description": "each column's type (PostgreSQL: numeric, integer[], ...; SQLite: the declared type, null for an expression)"},
    "truncated": {"type": "boolean", "description": "count > rows kept (max_rows)"},
    "affected": {"type": "integer"},
    "last_id": {}
  },
  "required": ["rows", "count", "columns"]
})js";

const char *const script_schema = R"js({
  "type": "object",
  "properties": {
    "sql": {"type": "string", "minLength": 1, "description": "statements separated by semicolons"},
    "file": {"type": "string", "minLength": 1, "description": "a file of statements (relative to the working directory)"},
    "transaction": {"type": "boolean", "default": false, "description": "all statements or none"}
  },
  "anyOf": [{"required": ["sql"]}, {"required": ["file"]}],
  "not": {"required": ["sql", "file"]},
  "additionalProperties": false
})js";

const char *const transaction_schema = R"js({
  "type": "object",
  "properties": {
    "statements": {
      "type": "array", "minItems": 1,
      "items": {
        "type": "object",
        "properties": {
          "name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "description": "how later statements refer to this one (default: its position, 1, 2, ...)"},
          "sql": {"type": "string", "minLength": 1},
          )js" SEAM_SQL_PARAMS R"js(,
          "from": {"type": "object",
                   "additionalProperties": {"type": "string", "pattern": "^[A-Za-z0-9_]+[.].+$"},
                   "description": "params taken from earlier statements: { user_id = \"user.last_id\" }"},
          "max_rows": {"type": "integer", "minimum": 0}
        },
        "required": ["sql"],
        "additionalProperties": false
      }
    }
  },
  "required": ["statements"],
  "additionalProperties": false
})js";

const char *const transaction_output = R"js({
  "type": "object",
  "properties": {
    "committed": {"const": true},
    "statements": {"type": "array", "description": "each statement's affected, last_id, rows, in order"},
    "results": {"type": "object", "description": "the same, keyed by statement name"}
  }
})js";

const char *const empty_schema =
    R"js({"type": "object", "properties": {}, "additionalProperties": false})js";

std::unique_ptr<database> open_database(const std::string &name, const json &config,
                                        seam::context &ctx) {
  // Secrets first, so that no message below can show them: whatever the url
  // looks like, even when it is no valid URL at all.
  if (auto url = config.find("url"); url != config.end() && url->is_string())
    for (const auto &secret : seam::sql::url_secrets(url->get_ref<const std::string &>()))
      ctx.add_secret(secret);
  try {
    auto cfg = seam::sql::parse_config(config, ctx.jobs());
    if (cfg.url.in_memory() && cfg.iso == seam::sql::isolation::rollback && ctx.jobs() > 1)
      ctx.warn("resource \"" + name +
               "\": sqlite3://:memory: has one connection, and with "
               "isolation = \"rollback\" each test holds it until it ends: its tests run one at "
               "a time, whatever --jobs says (a file, sqlite3:///tmp/test.db, allows a pool)");
    auto db = std::make_unique<database>(name, std::move(cfg));
    ctx.publish({{"url", db->config().url.text},
                 {"dialect", std::string(seam::sql::dialect_name(db->kind()))},
                 {"pool", db->config().pool}});
    return db;
  } catch (const seam::sql::unavailable_error &e) {
    // seam run --skip-unavailable skips the suites of a server that is down.
    std::string m = e.what();
    bool asks = m.find("Is the server running") != std::string::npos; // libpq's own hint
    throw seam::unavailable(m + " (resource \"" + name + "\")" +
                            (asks ? "" : ". Is the server running?"));
  } catch (const std::exception &e) {
    throw seam::error("resource \"" + name + "\": " + e.what());
  }
}

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("sql", "1.0.0", "SQL databases (SQLite, PostgreSQL) through SOCI");
  plugin.resource<database>(
      {.summary = "A pool of connections to one SQLite or PostgreSQL database",
       .config = config_schema},
      open_database);
  plugin.test_hooks<database>(
      [](database &db, const std::string &test_id, seam::context &) { db.test_begin(test_id); },
      [](database &db, const std::string &test_id, seam::context &ctx) {
        if (db.test_end(test_id))
          ctx.warn("test " + test_id + " left the transaction of sql.begin open on \"" + db.name() +
                   "\"; it was rolled back (end it with sql.commit or sql.rollback)");
      });
  const char *const any_object = R"js({"type":"object"})js";
  plugin.step<database>(
      {.name = "exec",
       .summary = "Runs one statement with named params; gives affected and last_id",
       .input = exec_schema,
       .output = exec_output},
      seam::sql::step_exec);
  plugin.step<database>({.name = "query",
                         .summary = "Runs a query; gives typed rows and their count",
                         .input = query_schema,
                         .output = query_output},
                        seam::sql::step_query);
  plugin.step<database>(
      {.name = "script",
       .summary = "Runs a file or text of statements (fixtures, seed data)",
       .input = script_schema,
       .output = R"js({"type":"object","properties":{"statements":{"type":"integer"}}})js"},
      seam::sql::step_script);
  plugin.step<database>({.name = "transaction",
                         .summary = "Runs statements in one transaction: all commit or none",
                         .input = transaction_schema,
                         .output = transaction_output},
                        seam::sql::step_transaction);
  plugin.step<database>({.name = "begin",
                         .summary = "Opens a transaction that this test's later steps run in",
                         .input = empty_schema,
                         .output = any_object},
                        seam::sql::step_begin);
  plugin.step<database>({.name = "commit",
                         .summary = "Commits the transaction sql.begin opened",
                         .input = empty_schema,
                         .output = any_object},
                        seam::sql::step_commit);
  plugin.step<database>({.name = "rollback",
                         .summary = "Rolls back the transaction sql.begin opened (for cleanup)",
                         .input = empty_schema,
                         .output = any_object},
                        seam::sql::step_rollback);
}
