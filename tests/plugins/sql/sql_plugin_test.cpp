// The sql plugin through its C ABI, on SQLite and on a real PostgreSQL 15
// (started by the ctest fixture with tools/pg): every step, every output type,
// errors, transactions, scoped transactions and the connection pool.
#include "sql_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>
#include <unistd.h>

namespace {

using namespace sqltest;

TEST_P(Sql, ExecInsertsWithNamedParamsAndQueryGivesTypedRows) {
  users_table();
  json params = {{"email", "ada@example.com"},
                 {"name", "Ada"},
                 {"age", 36},
                 {"score", 97.5},
                 {"active", true},
                 {"created", "2024-05-01 12:30:00"},
                 {"note", nullptr}};
  auto ins = ok("INSERT INTO users (email, name, age, score, active, created, note) "
                "VALUES (:email, :name, :age, :score, :active, :created, :note) RETURNING id",
                params);
  EXPECT_EQ(ins["affected"], 1);
  ASSERT_TRUE(ins.contains("last_id"));
  EXPECT_TRUE(ins["last_id"].is_number_integer());

  auto q = query(
      "SELECT id, email, name, age, score, active, created, note FROM users WHERE email = :email",
      {{"email", "ada@example.com"}});
  EXPECT_EQ(q["count"], 1);
  EXPECT_EQ(q["truncated"], false);
  EXPECT_EQ(q["columns"],
            json::array({"id", "email", "name", "age", "score", "active", "created", "note"}));
  const json &row = q["rows"][0];
  EXPECT_EQ(row["id"], ins["last_id"]);
  EXPECT_EQ(row["email"], "ada@example.com");
  EXPECT_EQ(row["age"], 36);
  EXPECT_TRUE(row["age"].is_number_integer());
  EXPECT_EQ(row["score"], 97.5);
  EXPECT_EQ(row["active"], true);
  EXPECT_TRUE(row["active"].is_boolean());
  EXPECT_EQ(row["created"], "2024-05-01T12:30:00");
  EXPECT_TRUE(row["note"].is_null());

  // Without RETURNING, SQLite still knows the rowid; PostgreSQL needs RETURNING.
  auto plain = ok("INSERT INTO users (email) VALUES (:email)", {{"email", "b@example.com"}});
  EXPECT_EQ(plain["affected"], 1);
  EXPECT_EQ(plain.contains("last_id"), !pg());

  auto upd = ok("UPDATE users SET name = :n WHERE email LIKE :pattern",
                {{"n", "X"}, {"pattern", "%@example.com"}});
  EXPECT_EQ(upd["affected"], 2);
  EXPECT_FALSE(upd.contains("last_id"));
  auto del = ok("DELETE FROM users WHERE email = :e", {{"e", "nobody"}});
  EXPECT_EQ(del["affected"], 0);
}

TEST_P(Sql, NullsUnicodeAndValuesAreBoundNeverPasted) {
  ok("CREATE TABLE items (id " + serial() + ", label TEXT, qty INTEGER)");
  std::string unicode = "Zoë — 日本語 🚀 'quoted' \"double\" ; DROP TABLE items; --";
  ok("INSERT INTO items (label, qty) VALUES (:label, :qty)",
     {{"label", unicode}, {"qty", nullptr}});
  auto q = query("SELECT label, qty FROM items WHERE label = :label", {{"label", unicode}});
  ASSERT_EQ(q["count"], 1);
  EXPECT_EQ(q["rows"][0]["label"], unicode);
  EXPECT_TRUE(q["rows"][0]["qty"].is_null());
  auto n = query("SELECT COUNT(*) AS n FROM items WHERE qty IS NULL");
  EXPECT_EQ(n["rows"][0]["n"], 1);
  // The same parameter twice, and a colon inside a literal.
  auto twice = query("SELECT :x AS a, :x AS b, 'a:b' AS c", {{"x", "same"}});
  EXPECT_EQ(twice["rows"][0]["a"], "same");
  EXPECT_EQ(twice["rows"][0]["b"], "same");
  EXPECT_EQ(twice["rows"][0]["c"], "a:b");
}

TEST_P(Sql, BlobsDatesJsonAndNumbers) {
  if (pg()) {
    ok("SET TIME ZONE 'UTC'"); // one connection is in use at a time here
    auto q = query("SELECT '\\x00ff10'::bytea AS b, TIMESTAMP '2024-05-01 12:30:00.25' AS ts, "
                   "TIMESTAMPTZ '2024-05-01 12:30:00+02' AS tz, DATE '2024-05-01' AS d, "
                   "'{\"a\": [1, 2]}'::jsonb AS j, 12.50::numeric AS n, 42::numeric AS w, "
                   "9007199254740993::bigint AS big, 'NaN'::float8 AS nan, true AS t");
    const json &r = q["rows"][0];
    EXPECT_EQ(r["b"], "AP8Q");
    EXPECT_EQ(r["ts"], "2024-05-01T12:30:00.25");
    EXPECT_TRUE(std::regex_match(r["tz"].get<std::string>(),
                                 std::regex(R"(2024-05-01T\d\d:30:00[+-]\d\d:\d\d)")))
        << r["tz"];
    EXPECT_EQ(r["d"], "2024-05-01");
    EXPECT_EQ(r["j"], json::parse("{\"a\":[1,2]}"));
    EXPECT_EQ(r["n"], 12.5);
    EXPECT_EQ(r["w"], 42);
    EXPECT_EQ(r["big"], int64_t(9007199254740993));
    EXPECT_EQ(r["nan"], "NaN");
    EXPECT_EQ(r["t"], true);
  } else {
    ok("CREATE TABLE ev (at TIMESTAMP, day DATE, payload BLOB, doc JSON, flag BOOLEAN, ratio "
       "REAL)");
    ok("INSERT INTO ev VALUES ('2024-05-01 12:30:00', '2024-05-01', X'00FF10', '{\"a\": [1, 2]}', "
       "0, 0.25)");
    auto q = query("SELECT * FROM ev");
    const json &r = q["rows"][0];
    EXPECT_EQ(r["at"], "2024-05-01T12:30:00");
    EXPECT_EQ(r["day"], "2024-05-01");
    EXPECT_EQ(r["payload"], "AP8Q");
    EXPECT_EQ(r["doc"], json::parse("{\"a\":[1,2]}"));
    EXPECT_EQ(r["flag"], false);
    EXPECT_EQ(r["ratio"], 0.25);
  }
}

TEST_P(Sql, CachedStatementsSurviveSchemaChangesAndEviction) {
  ok("CREATE TABLE items (id INTEGER, label TEXT)");
  ok("INSERT INTO items VALUES (1, 'a')");
  EXPECT_EQ(query("SELECT * FROM items")["columns"], json::array({"id", "label"}));
  ok("ALTER TABLE items ADD COLUMN extra TEXT");
  // The cached statement's result changed shape: it is prepared afresh.
  EXPECT_EQ(query("SELECT * FROM items")["columns"], json::array({"id", "label", "extra"}));

  void *small = open({{"url", url_}, {"pool", 1}, {"statement_cache", 1}});
  ASSERT_NE(small, nullptr) << error_;
  for (int i = 0; i < 3; ++i)
    for (const char *sql :
         {"SELECT id FROM items WHERE id = :id", "SELECT label FROM items WHERE id = :id"}) {
      auto r = plugin().run("query", small, {{"sql", sql}, {"params", {{"id", 1}}}});
      ASSERT_TRUE(r.ok) << r.error;
      EXPECT_EQ(r.output["count"], 1);
    }
  plugin().close(small);
}

// A table dropped and made again with other columns and types under a cached
// statement: SQLite re-prepares it (SQLITE_SCHEMA), PostgreSQL refuses the
// cached plan ("cached plan must not change result type") and the plugin
// prepares it afresh. Either way the rows come with the new names and types,
// not with the ones remembered from the first preparation.
TEST_P(Sql, ACachedStatementSeesATableMadeAgainWithOtherColumnsAndTypes) {
  void *one = open({{"url", url_}, {"pool", 1}});
  ASSERT_NE(one, nullptr) << error_;
  auto select = [&] {
    auto r = plugin().run(
        "query", one, {{"sql", "SELECT * FROM shapes WHERE id = :id"}, {"params", {{"id", 1}}}});
    EXPECT_TRUE(r.ok) << r.error;
    return r.output;
  };
  auto exec = [&](const std::string &sql) {
    auto r = plugin().run("exec", one, {{"sql", sql}});
    ASSERT_TRUE(r.ok) << r.error;
  };
  exec("CREATE TABLE shapes (id INTEGER, v INTEGER)");
  exec("INSERT INTO shapes VALUES (1, 7)");
  for (int i = 0; i < 2; ++i) { // the second run is the cached statement's
    json first = select();
    EXPECT_EQ(first["columns"], json::array({"id", "v"}));
    EXPECT_EQ(first["rows"][0]["v"], 7);
  }

  exec("DROP TABLE shapes");
  exec("CREATE TABLE shapes (id INTEGER, label TEXT, v TEXT)");
  exec("INSERT INTO shapes VALUES (1, 'one', '7')");
  json second = select();
  EXPECT_EQ(second["columns"], json::array({"id", "label", "v"}));
  EXPECT_EQ(second["rows"][0]["label"], "one");
  EXPECT_EQ(second["rows"][0]["v"], "7") << "v is text now: " << second["rows"][0]["v"];
  EXPECT_EQ(second["types"][2], pg() ? "text" : "TEXT");
  // Prepared afresh once, then cached again: the next run agrees.
  EXPECT_EQ(select()["rows"][0]["v"], "7");
  plugin().close(one);
}

// PostgreSQL shows a session's prepared statements (pg_prepared_statements):
// a statement run again is not prepared again, and the cache holds no more
// than statement_cache of them, deallocating the least recently used.
TEST_P(Sql, PreparedStatementsAreReusedAndBoundedOnTheServer) {
  if (!pg())
    GTEST_SKIP() << "SQLite has no view of a connection's prepared statements";
  void *small = open({{"url", url_}, {"pool", 1}, {"statement_cache", 2}});
  ASSERT_NE(small, nullptr) << error_;
  auto on = [&](const std::string &sql) {
    auto r = plugin().run("query", small, {{"sql", sql}});
    EXPECT_TRUE(r.ok) << r.error;
    return r.output;
  };
  const std::string count = "SELECT count(*) AS n FROM pg_prepared_statements";
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(on("SELECT 41 AS x")["rows"][0]["x"], 41);
  // SELECT 41 (prepared once) and the count itself.
  EXPECT_EQ(on(count)["rows"][0]["n"], 2);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(on("SELECT " + std::to_string(i) + " AS x")["rows"][0]["x"], i);
  // Of the seven statements only the two most recent are left: SELECT 4 and the count.
  EXPECT_EQ(on(count)["rows"][0]["n"], 2);
  // Preparing this one evicts SELECT 4: the count and itself are left.
  const std::string list = "SELECT statement FROM pg_prepared_statements ORDER BY statement";
  json left = on(list);
  ASSERT_EQ(left["count"], 2) << left.dump();
  EXPECT_EQ(left["rows"][0]["statement"], count);
  EXPECT_EQ(left["rows"][1]["statement"], list);
  plugin().close(small);
}

TEST_P(Sql, LargeResultsAreBoundedByMaxRowsButCounted) {
  const char *sql =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
      "SELECT x FROM c";
  auto all = run("query", {{"sql", sql}});
  ASSERT_TRUE(all.ok) << all.error;
  EXPECT_EQ(all.output["count"], 20000);
  EXPECT_EQ(all.output["rows"].size(), 10000u);
  EXPECT_EQ(all.output["truncated"], true);
  EXPECT_EQ(all.output["rows"][9999]["x"], 10000);
  auto five = run("query", {{"sql", sql}, {"max_rows", 5}});
  EXPECT_EQ(five.output["rows"].size(), 5u);
  EXPECT_EQ(five.output["count"], 20000);
  auto none = run("query", {{"sql", sql}, {"max_rows", 0}});
  EXPECT_EQ(none.output["rows"].size(), 0u);
  EXPECT_EQ(none.output["count"], 20000);
}

// The peak resident memory of this process since reset_peak_memory(), in
// bytes (Linux: VmHWM, reset through clear_refs); -1 where unknown.
bool reset_peak_memory() {
  return static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5");
}
int64_t peak_memory() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stoll(line.substr(6)) * 1024;
  return -1;
}

// Half a million rows of 200 bytes: counted, five kept. PostgreSQL sends
// them one by one (single-row mode), so they never sit in memory whole.
TEST_P(Sql, AHugeResultIsCountedWithoutBeingHeld) {
  std::string sql =
      pg() ? "SELECT g AS x, repeat('y', 200) AS pad FROM generate_series(1, 500000) AS g"
           : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000) "
             "SELECT x, printf('%.200c', 'y') AS pad FROM c";
  bool measured = reset_peak_memory();
  int64_t base = peak_memory();
  auto r = run("query", {{"sql", sql}, {"max_rows", 5}});
  int64_t peak = peak_memory();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["count"], 500000);
  ASSERT_EQ(r.output["rows"].size(), 5u);
  EXPECT_EQ(r.output["rows"][4]["x"], 5);
  EXPECT_EQ(r.output["rows"][0]["pad"].get<std::string>().size(), 200u);
  EXPECT_EQ(r.output["truncated"], true);
  // Held whole, the rows would take over 100 MB. (AddressSanitizer keeps
  // freed memory aside, so there the peak says nothing.)
#if defined(__SANITIZE_ADDRESS__)
  measured = false;
#endif
  if (measured && base > 0 && peak > 0) {
    EXPECT_LT(peak - base, 40 << 20) << "peak memory grew by " << ((peak - base) >> 20) << " MB";
  }
}

TEST_P(Sql, AScriptsRuntimeErrorPointsAtTheFailingStatement) {
  std::string script = "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO items VALUES (1, 'a');\n"
                       "\n"
                       "-- the same key again\n"
                       "  INSERT INTO items VALUES (1, 'b');\n";
  std::string e = fails("script", {{"sql", script}});
  EXPECT_TRUE(contains(e, "statement 3 of the script failed")) << e;
  if (!pg()) { // PostgreSQL gives runtime errors no position
    EXPECT_TRUE(contains(e, "line 5, column 3")) << e;
    EXPECT_TRUE(contains(e, "    INSERT INTO items VALUES (1, 'b');\n      ^")) << e;
  }
}

TEST_P(Sql, SyntaxErrorsQuoteTheServerAndPointAtTheSpot) {
  std::string e = fails("query", {{"sql", "SELECT 1;\nSELEC * FROM users"}});
  if (!pg()) { // SQLite stops at the first statement, then sees a second one
    EXPECT_TRUE(contains(e, "more than one statement")) << e;
  }
  e = fails("query", {{"sql", "SELEC * FROM users"}});
  EXPECT_TRUE(
      contains(e, pg() ? "syntax error at or near \"SELEC\"" : "near \"SELEC\": syntax error"))
      << e;
  EXPECT_TRUE(contains(e, "line 1, column 1")) << e;
  EXPECT_TRUE(contains(e, "    SELEC * FROM users\n    ^")) << e;

  users_table();
  e = fails("query", {{"sql", "SELECT :a AS a,\n  nosuch FROM users"}, {"params", {{"a", 1}}}});
  EXPECT_TRUE(contains(e, "nosuch")) << e;
  EXPECT_TRUE(contains(e, "line 2, column 3")) << e; // mapped back past :a -> $1
  e = fails("exec", {{"sql", "INSERT INTO nosuch_table VALUES (1)"}});
  EXPECT_TRUE(contains(e, "nosuch_table")) << e;
  e = fails("exec", {{"sql", "CREATE TABLE a1 (x INT); CREATE TABLE a2 (x INT)"}});
  EXPECT_TRUE(contains(e, "sql.script")) << e;
}

TEST_P(Sql, BadInputsAreRejectedClearly) {
  EXPECT_TRUE(contains(fails("query", {{"sql", "SELECT :a"}}), "params has no \"a\""));
  std::string e = fails("query", {{"sql", "SELECT :a"}, {"params", {{"a", 1}, {"b", 2}}}});
  EXPECT_TRUE(contains(e, "params.b is not used by the SQL (it uses :a)")) << e;
  EXPECT_TRUE(contains(fails("query", {{"sql", "  -- nothing\n"}}), "no statement"));
}

TEST_P(Sql, ScriptsRunFixturesAndReportTheFailingStatement) {
  auto r = run("script", {{"sql", "CREATE TABLE items (id INTEGER, label TEXT);\n"
                                  "-- a comment; with a semicolon\n"
                                  "INSERT INTO items VALUES (1, 'a;b');\n"
                                  "INSERT INTO items VALUES (2, 'c')"}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["statements"], 3);
  EXPECT_EQ(query("SELECT label FROM items WHERE id = 1")["rows"][0]["label"], "a;b");

  std::string e = fails(
      "script", {{"sql", "INSERT INTO items VALUES (3, 'x');\nINSERT INTO nosuch VALUES (1);"},
                 {"transaction", true}});
  EXPECT_TRUE(contains(e, "statement 2 of the script failed")) << e;
  EXPECT_TRUE(contains(e, "nosuch")) << e;
  EXPECT_TRUE(contains(e, "nothing it did was kept")) << e;
  EXPECT_EQ(query("SELECT COUNT(*) AS n FROM items")["rows"][0]["n"], 2);
  e = fails("script", {{"sql", "SELECT 1;\nSELECT 2;\n  SELEC 3;"}});
  EXPECT_TRUE(contains(e, "statement 3 of the script failed")) << e;
  EXPECT_TRUE(contains(e, "line 3, column 3")) << e;

  std::string path = temp_path("seed.sql");
  FILE *f = fopen(path.c_str(), "w");
  fputs("INSERT INTO items VALUES (10, 'file');\nINSERT INTO items VALUES (11, 'file');\n", f);
  fclose(f);
  r = run("script", {{"file", path}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["statements"], 2);
  e = fails("script", {{"file", path + ".missing"}});
  EXPECT_TRUE(contains(e, "cannot read script file")) << e;
}

TEST_P(Sql, TransactionsCommitTogetherWithReferencesOrNotAtAll) {
  users_table();
  ok("CREATE TABLE profiles (id " + serial() +
     ", user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, bio TEXT)");
  json good = {
      {"statements",
       {{{"name", "user"},
         {"sql", "INSERT INTO users (email, name) VALUES (:email, :name) RETURNING id"},
         {"params", {{"email", "t@example.com"}, {"name", "T"}}}},
        {{"name", "profile"},
         {"sql", "INSERT INTO profiles (user_id, bio) VALUES (:user_id, :bio) RETURNING id"},
         {"params", {{"bio", "hello"}}},
         {"from", {{"user_id", "user.last_id"}}}}}}};
  auto r = run("transaction", good);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["committed"], true);
  json uid = r.output["results"]["user"]["last_id"];
  auto joined = query(
      "SELECT u.email, p.bio FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.id = :id",
      {{"id", uid}});
  EXPECT_EQ(joined["count"], 1);
  EXPECT_EQ(joined["rows"][0]["bio"], "hello");

  json bad = {{"statements",
               {{{"name", "user"},
                 {"sql", "INSERT INTO users (email) VALUES (:email) RETURNING id"},
                 {"params", {{"email", "partial@example.com"}}}},
                {{"name", "profile"},
                 {"sql", "INSERT INTO profiles (user_id, bio) VALUES (:user_id, NULL)"},
                 {"params", {{"user_id", 999999}}}}}}};
  std::string e = fails("transaction", bad);
  EXPECT_TRUE(contains(e, "statement 2 (\"profile\") of the transaction failed")) << e;
  EXPECT_TRUE(contains(e, "rolled back")) << e;
  EXPECT_EQ(
      query("SELECT COUNT(*) AS n FROM users WHERE email = 'partial@example.com'")["rows"][0]["n"],
      0);

  e = fails("transaction",
            {{"statements", {{{"sql", "SELECT 1"}, {"from", {{"x", "nobody.last_id"}}}}}}});
  EXPECT_TRUE(contains(e, "no earlier statement is called \"nobody\"")) << e;

  // Deleting the user cascades to the profile.
  ok("DELETE FROM users WHERE id = :id", {{"id", uid}});
  EXPECT_EQ(query("SELECT COUNT(*) AS n FROM profiles")["rows"][0]["n"], 0);
}

TEST_P(Sql, BeginAndRollbackIsolateATestsChanges) {
  users_table();
  auto b = run("begin", json::object());
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_TRUE(contains(fails("begin", json::object()), "still open"));
  ok("INSERT INTO users (email) VALUES ('inside@example.com')");
  EXPECT_EQ(query("SELECT COUNT(*) AS n FROM users")["rows"][0]["n"], 1);
  if (pg()) {
    // A failing step (here one a suite would `expect.error`) keeps the
    // transaction usable.
    fails("exec", {{"sql", "INSERT INTO users (email) VALUES ('inside@example.com')"}});
    EXPECT_EQ(query("SELECT COUNT(*) AS n FROM users")["rows"][0]["n"], 1);
    // Another test (another thread) does not see uncommitted rows.
    json other;
    std::thread([&] {
      other = plugin().run("query", db_, {{"sql", "SELECT COUNT(*) AS n FROM users"}}).output;
    }).join();
    EXPECT_EQ(other["rows"][0]["n"], 0);
  }
  auto rb = run("rollback", json::object());
  ASSERT_TRUE(rb.ok) << rb.error;
  EXPECT_EQ(rb.output["rolled_back"], true);
  EXPECT_EQ(query("SELECT COUNT(*) AS n FROM users")["rows"][0]["n"], 0);

  // Cleanup may roll back when nothing was begun.
  rb = run("rollback", json::object());
  ASSERT_TRUE(rb.ok);
  EXPECT_EQ(rb.output["rolled_back"], false);
  EXPECT_TRUE(contains(fails("commit", json::object()), "no transaction is open"));

  ASSERT_TRUE(run("begin", json::object()).ok);
  ok("INSERT INTO users (email) VALUES ('kept@example.com')");
  // sql.transaction nests as a savepoint inside the open transaction.
  fails("transaction", {{"statements",
                         {{{"sql", "INSERT INTO users (email) VALUES ('x@example.com')"}},
                          {{"sql", "INSERT INTO nosuch VALUES (1)"}}}}});
  ASSERT_TRUE(run("commit", json::object()).ok);
  auto q = query("SELECT email FROM users");
  EXPECT_EQ(q["count"], 1);
  EXPECT_EQ(q["rows"][0]["email"], "kept@example.com");
}

TEST_P(Sql, ThePoolServesConcurrentSteps) {
  ok("CREATE TABLE items (id INTEGER, label TEXT)");
  constexpr int threads = 8, per_thread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        int n = t * 1000 + i;
        auto w = plugin().run("exec", db_,
                              {{"sql", "INSERT INTO items VALUES (:n, :label)"},
                               {"params", {{"n", n}, {"label", "t" + std::to_string(t)}}}});
        // PostgreSQL types a bare parameter as text unless the SQL says otherwise.
        auto r = plugin().run("query", db_,
                              {{"sql", "SELECT CAST(:n AS INTEGER) AS n"}, {"params", {{"n", n}}}});
        if (!w.ok || !r.ok || r.output["rows"][0]["n"] != n) {
          ++failures;
          ADD_FAILURE() << w.error << r.error << r.output.dump();
        }
      }
    });
  for (auto &th : pool)
    th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(query("SELECT COUNT(*) AS n FROM items")["rows"][0]["n"], threads * per_thread);

  if (pg()) {
    // Four sleeps on a pool of four overlap: the pool really runs them at once.
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> sleepers;
    for (int i = 0; i < 4; ++i)
      sleepers.emplace_back([&] {
        EXPECT_TRUE(plugin().run("query", db_, {{"sql", "SELECT pg_sleep(0.4)"}}).ok);
      });
    for (auto &th : sleepers)
      th.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400));
  }
}

TEST_P(Sql, AFullPoolWaitsUntilTheStepDeadline) {
  void *one = open({{"url", url_}, {"pool", 1}});
  ASSERT_NE(one, nullptr) << error_;
  ASSERT_TRUE(plugin().run("begin", one, json::object()).ok); // pins the only connection
  step_result r;
  std::thread([&] { r = plugin().run("query", one, {{"sql", "SELECT 1 AS x"}}, 200); }).join();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, "all 1 connections of resource \"db\" stayed busy")) << r.error;
  EXPECT_TRUE(plugin().run("rollback", one, json::object()).ok);
  plugin().close(one);
}

TEST_P(Sql, DeadlinesInterruptLongStatements) {
  const char *slow = pg() ? "SELECT pg_sleep(10)"
                          : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                            "WHERE x < 1000000000) SELECT COUNT(*) FROM c";
  auto start = std::chrono::steady_clock::now();
  auto r = run("query", {{"sql", slow}}, 300);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, pg() ? "cancelled on the server" : "interrupted")) << r.error;
  EXPECT_LT(took, std::chrono::seconds(3));
  // The connection is still good afterwards.
  EXPECT_EQ(query("SELECT 2 AS x")["rows"][0]["x"], 2);
}

TEST_P(Sql, ResourceOptionsArePublished) {
  json published;
  void *h = plugin().open({{"url", url_}, {"pool", 2}}, &error_, &published);
  ASSERT_NE(h, nullptr) << error_;
  EXPECT_EQ(published["dialect"], pg() ? "postgresql" : "sqlite3");
  EXPECT_EQ(published["pool"], 2);
  plugin().close(h);
  // Unknown keys, pool = 0, an unknown isolation: refused by seam against the
  // resource's schema before open (run_suites.sh, bad_resource.toml).
}

TEST_P(Sql, IsolationRollbackUndoesEveryTest) {
  users_table();
  void *iso = open({{"url", url_}, {"pool", 2}, {"isolation", "rollback"}});
  ASSERT_NE(iso, nullptr) << error_;
  auto count = [&] {
    auto r = plugin().run("query", iso, {{"sql", "SELECT COUNT(*) AS n FROM users"}});
    EXPECT_TRUE(r.ok) << r.error;
    return r.output["rows"][0]["n"];
  };
  auto exec = [&](const std::string &sql) { return plugin().run("exec", iso, {{"sql", sql}}); };
  // Setup runs outside tests: it commits.
  ASSERT_TRUE(exec("INSERT INTO users (email) VALUES ('setup@example.com')").ok);

  for (const char *test : {"run-1", "run-2"}) {
    ASSERT_EQ(plugin().test_begin(iso, test), "");
    EXPECT_EQ(count(), 1) << test << ": the previous test's row is gone";
    ASSERT_TRUE(
        exec(std::string("INSERT INTO users (email) VALUES ('") + test + "@example.com')").ok);
    EXPECT_EQ(count(), 2);
    // A failing step does not end the test's transaction.
    EXPECT_FALSE(exec("INSERT INTO users (email) VALUES ('setup@example.com')").ok);
    EXPECT_EQ(count(), 2);
    auto b = plugin().run("begin", iso, json::object());
    EXPECT_FALSE(b.ok);
    EXPECT_TRUE(contains(b.error, "isolation = \"rollback\"")) << b.error;
    auto c = plugin().run("commit", iso, json::object());
    EXPECT_FALSE(c.ok);
    EXPECT_TRUE(contains(c.error, "nothing to commit")) << c.error;
    if (pg()) { // another test (thread) sees only committed rows
      json other;
      std::thread([&] {
        other = plugin().run("query", iso, {{"sql", "SELECT COUNT(*) AS n FROM users"}}).output;
      }).join();
      EXPECT_EQ(other["rows"][0]["n"], 1);
    }
    EXPECT_TRUE(plugin().test_end(iso, test).empty());
  }
  EXPECT_EQ(count(), 1);
  // A test that never touches the resource needs no transaction.
  ASSERT_EQ(plugin().test_begin(iso, "run-3"), "");
  plugin().test_end(iso, "run-3");
  plugin().close(iso);
}

TEST_P(Sql, TestEndRollsBackWhatSqlBeginLeftOpen) {
  users_table();
  ASSERT_EQ(plugin().test_begin(db_, "run-1"), "");
  ASSERT_TRUE(run("begin", json::object()).ok);
  ok("INSERT INTO users (email) VALUES ('forgotten@example.com')");
  auto logs = plugin().test_end(db_, "run-1");
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(contains(logs[0], "left the transaction of sql.begin open")) << logs[0];
  EXPECT_EQ(query("SELECT COUNT(*) AS n FROM users")["rows"][0]["n"], 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Sql, ::testing::Values("sqlite3", "postgresql"),
                         [](const auto &info) { return info.param; });

TEST(SqlOpen, BadUrlsFailAtOpenNamingTheResource) {
  std::string error;
  EXPECT_EQ(plugin().open({{"url", "mysql://root@localhost/db"}}, &error, nullptr, "main_db"),
            nullptr);
  EXPECT_TRUE(contains(error, "resource \"main_db\"")) << error;
  EXPECT_TRUE(contains(error, "not supported")) << error;
  EXPECT_EQ(plugin().open({{"url", "sqlite3://:memory:"}, {"pool", 3}}, &error), nullptr);
  EXPECT_TRUE(contains(error, "its own empty database")) << error;
  EXPECT_EQ(plugin().open({{"url", "sqlite3:///nonexistent-dir/x/y.db"}}, &error), nullptr);
  EXPECT_TRUE(contains(error, "cannot open SQLite database \"/nonexistent-dir/x/y.db\": "
                              "unable to open database file"))
      << error;
  // Nothing listens on port 1.
  EXPECT_EQ(plugin().open({{"url", "postgresql://seam:hunter2-pw@127.0.0.1:1/seam"}}, &error),
            nullptr);
  EXPECT_TRUE(contains(error, "Connection refused")) << error;
  EXPECT_FALSE(contains(error, "hunter2-pw")) << error;
  EXPECT_TRUE(contains(error, "seam:***@127.0.0.1:1")) << error;
  const auto secrets = plugin().secrets();
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "hunter2-pw"), secrets.end());
}

TEST(SqlOpen, WrongPasswordIsAnOpenErrorWithTheServersMessage) {
  std::string url = sqltest::pg_url();
  if (url.empty()) {
    if (sqltest::pg_required())
      FAIL() << "no PostgreSQL server";
    GTEST_SKIP() << "no PostgreSQL server";
  }
  size_t colon = url.find(':', url.find("://") + 3);
  size_t at = url.find('@');
  std::string wrong = url.substr(0, colon + 1) + "not-the-password" + url.substr(at);
  std::string error;
  EXPECT_EQ(plugin().open({{"url", wrong}}, &error), nullptr);
  EXPECT_TRUE(contains(error, "password authentication failed for user \"seam\"")) << error;
  EXPECT_FALSE(contains(error, "not-the-password")) << error;
}

TEST(SqlOpen, InMemorySqliteIsPrivateToItsResource) {
  void *a = plugin().open({{"url", "sqlite3://:memory:"}});
  void *b = plugin().open({{"url", "sqlite3://:memory:"}});
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(plugin().run("exec", a, {{"sql", "CREATE TABLE only_a (x INT)"}}).ok);
  EXPECT_TRUE(plugin().run("query", a, {{"sql", "SELECT * FROM only_a"}}).ok);
  EXPECT_FALSE(plugin().run("query", b, {{"sql", "SELECT * FROM only_a"}}).ok);
  plugin().close(a);
  plugin().close(b);
}

TEST(SqlPlugin, StepsDeclareStrictSchemas) {
  const auto &p = plugin().plugin();
  EXPECT_STREQ(p.name, "sql");
  std::vector<std::string> names;
  for (size_t i = 0; i < p.step_count; ++i) {
    const seam_step *s = p.steps[i];
    names.push_back(s->name);
    ASSERT_NE(s->input_schema, nullptr) << s->name;
    json schema = json::parse(s->input_schema);
    EXPECT_EQ(schema["additionalProperties"], false) << s->name;
    EXPECT_EQ(s->resource, SEAM_RESOURCE_REQUIRED);
    if (s->output_schema) {
      EXPECT_NO_THROW(json::parse(s->output_schema)) << s->name;
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"exec", "query", "script", "transaction", "begin",
                                             "commit", "rollback"}));
  json config = json::parse(p.resource_type->config_schema);
  EXPECT_EQ(config["required"], json::array({"url"}));
}

} // namespace
