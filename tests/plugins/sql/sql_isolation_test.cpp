// Transactions that outlive a step, through seam-sql.so's C ABI on SQLite and
// PostgreSQL: a test under isolation = "rollback" (or inside sql.begin)
// cannot end its transaction with SQL of its own; a cached statement whose
// table changed shape inside such a transaction runs again; a test's
// transaction follows the host's test id, whichever thread runs its steps;
// and an in-memory database's one connection is waited for, not failed.
#include "sql_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {

using namespace sqltest;

class SqlIsolation : public Sql {
protected:
  // A resource with isolation = "rollback" on this test's database.
  void *isolated(int pool = 1) {
    void *iso = open({{"url", url_}, {"pool", pool}, {"isolation", "rollback"}});
    EXPECT_NE(iso, nullptr) << error_;
    return iso;
  }
  step_result on(void *db, const std::string &step, const json &in, int64_t remaining_ms = -1) {
    return plugin().run(step, db, in, remaining_ms);
  }
  int64_t count(const std::string &table) {
    auto r = run("query", {{"sql", "SELECT COUNT(*) AS n FROM " + table}});
    EXPECT_TRUE(r.ok) << r.error;
    return r.ok ? r.output["rows"][0]["n"].get<int64_t>() : -1;
  }
};

TEST_P(SqlIsolation, AnIsolatedTestCannotCommitRollBackOrBegin) {
  ok("CREATE TABLE items (id INTEGER, label TEXT)");
  void *iso = isolated();
  {
    harness::in_test test("commit-1");
    ASSERT_EQ(plugin().test_begin(iso, "commit-1"), "");
    ASSERT_TRUE(on(iso, "exec", {{"sql", "INSERT INTO items VALUES (1, 'a')"}}).ok);
    for (const char *sql :
         {"COMMIT", "  -- done\n commit", "END", "ROLLBACK", "BEGIN", "START TRANSACTION", "ABORT"})
      for (const char *step : {"exec", "query"}) {
        auto r = on(iso, step, {{"sql", sql}});
        EXPECT_FALSE(r.ok) << step << " " << sql;
        EXPECT_TRUE(contains(r.error, "is refused (nothing ran)")) << r.error;
        EXPECT_TRUE(contains(r.error, "with isolation = \"rollback\"")) << r.error;
        EXPECT_TRUE(contains(r.error, "cannot commit")) << r.error;
      }
    // Savepoints stay inside the transaction: allowed.
    auto savepoints = on(iso, "script",
                         {{"sql", "SAVEPOINT mine; INSERT INTO items VALUES (9, 'z');\n"
                                  "ROLLBACK TO SAVEPOINT mine; RELEASE SAVEPOINT mine"}});
    EXPECT_TRUE(savepoints.ok) << savepoints.error;

    auto script = on(iso, "script",
                     {{"sql", "INSERT INTO items VALUES (2, 'b');\n"
                              "  COMMIT;\n"
                              "INSERT INTO items VALUES (3, 'c')"}});
    EXPECT_FALSE(script.ok);
    EXPECT_TRUE(contains(script.error, "statement 2 of the script (COMMIT) is refused"))
        << script.error;
    EXPECT_TRUE(contains(script.error, "line 2, column 3")) << script.error;
    EXPECT_TRUE(contains(script.error, "nothing it did was kept")) << script.error;

    auto tx =
        on(iso, "transaction",
           {{"statements", {{{"sql", "INSERT INTO items VALUES (4, 'd')"}}, {{"sql", "COMMIT"}}}}});
    EXPECT_FALSE(tx.ok);
    EXPECT_TRUE(contains(tx.error, "statement 2 of the transaction (COMMIT) is refused"))
        << tx.error;

    auto inside = on(iso, "query", {{"sql", "SELECT id FROM items ORDER BY id"}});
    ASSERT_TRUE(inside.ok) << inside.error;
    EXPECT_EQ(inside.output["count"], 1) << inside.output.dump();
    plugin().test_end(iso, "commit-1");
  }
  // Nothing the test did was committed.
  EXPECT_EQ(count("items"), 0);
  plugin().close(iso);
}

TEST_P(SqlIsolation, ATransactionOfSqlBeginEndsOnlyWithSqlCommitOrRollback) {
  ok("CREATE TABLE items (id INTEGER, label TEXT)");
  harness::in_test test("begin-1");
  ASSERT_EQ(plugin().test_begin(db_, "begin-1"), "");
  ASSERT_TRUE(run("begin", json::object()).ok);
  ok("INSERT INTO items VALUES (1, 'a')");
  std::string e = fails("exec", {{"sql", "COMMIT"}});
  EXPECT_TRUE(contains(e, "COMMIT is refused (nothing ran)")) << e;
  EXPECT_TRUE(contains(e, "end it with sql.commit or sql.rollback")) << e;
  e = fails("script", {{"sql", "INSERT INTO items VALUES (2, 'b'); ROLLBACK"}});
  EXPECT_TRUE(contains(e, "statement 2 of the script (ROLLBACK) is refused")) << e;
  ASSERT_TRUE(run("rollback", json::object()).ok);
  plugin().test_end(db_, "begin-1");
  EXPECT_EQ(count("items"), 0);
}

// What no keyword gives away: SQLite's INSERT OR ROLLBACK rolls back the
// whole transaction on a conflict. The step fails saying so, and the rest of
// the test runs in a new transaction, rolled back as usual.
TEST_P(SqlIsolation, AStepThatEndsTheTransactionAnywayFailsAndANewOneOpens) {
  if (pg())
    GTEST_SKIP()
        << "PostgreSQL ends a transaction only on COMMIT/ROLLBACK/END/ABORT, refused above";
  ok("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT)");
  ok("INSERT INTO items VALUES (1, 'setup')");
  void *iso = isolated();
  {
    harness::in_test test("ended-1");
    ASSERT_EQ(plugin().test_begin(iso, "ended-1"), "");
    ASSERT_TRUE(on(iso, "exec", {{"sql", "INSERT INTO items VALUES (2, 'test')"}}).ok);
    auto r = on(iso, "exec", {{"sql", "INSERT OR ROLLBACK INTO items VALUES (1, 'dup')"}});
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.error, "UNIQUE constraint failed")) << r.error;
    EXPECT_TRUE(contains(r.error, "the statement ended the test's transaction")) << r.error;
    EXPECT_TRUE(contains(r.error, "a new transaction was opened")) << r.error;
    ASSERT_TRUE(on(iso, "exec", {{"sql", "INSERT INTO items VALUES (3, 'after')"}}).ok);
    plugin().test_end(iso, "ended-1");
  }
  // Row 3 went with the test's new transaction; only setup's row is left.
  EXPECT_EQ(count("items"), 1);
  plugin().close(iso);
}

// PostgreSQL refuses a cached statement whose result changed shape ("cached
// plan must not change result type"); inside a test's transaction that
// aborts the transaction, so the step rolls back to its savepoint and runs
// the statement again, prepared afresh. SQLite re-prepares by itself.
TEST_P(SqlIsolation, ACachedStatementWhoseTableChangedShapeRunsAgainInsideATest) {
  ok("CREATE TABLE t (id INTEGER, label TEXT)");
  ok("INSERT INTO t VALUES (1, 'a')");
  void *iso = isolated(); // one connection: setup's statement cache is the test's
  auto before = on(iso, "query", {{"sql", "SELECT * FROM t"}}); // setup: cached
  ASSERT_TRUE(before.ok) << before.error;
  EXPECT_EQ(before.output["columns"], json::array({"id", "label"}));
  {
    harness::in_test test("stale-1");
    ASSERT_EQ(plugin().test_begin(iso, "stale-1"), "");
    ASSERT_TRUE(on(iso, "exec", {{"sql", "ALTER TABLE t ADD COLUMN extra TEXT"}}).ok);
    auto after = on(iso, "query", {{"sql", "SELECT * FROM t"}});
    ASSERT_TRUE(after.ok) << after.error;
    EXPECT_EQ(after.output["columns"], json::array({"id", "label", "extra"}));
    EXPECT_EQ(after.output["count"], 1);

    // In sql.transaction the whole transaction runs again.
    ASSERT_TRUE(on(iso, "exec", {{"sql", "ALTER TABLE t ADD COLUMN more TEXT"}}).ok);
    auto tx = on(iso, "transaction",
                 {{"statements",
                   {{{"sql", "INSERT INTO t (id) VALUES (2)"}}, {{"sql", "SELECT * FROM t"}}}}});
    ASSERT_TRUE(tx.ok) << tx.error;
    EXPECT_EQ(tx.output["statements"][1]["count"], 2);
    EXPECT_EQ(tx.output["statements"][1]["columns"].size(), 4u);
    plugin().test_end(iso, "stale-1");
  }
  // The ALTERs were rolled back with the test: the old shape again.
  auto again = on(iso, "query", {{"sql", "SELECT * FROM t"}});
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.output["columns"], json::array({"id", "label"}));
  EXPECT_EQ(again.output["count"], 1);
  plugin().close(iso);
}

// With ABI 1.1 the host names the test of every call: a test's steps share
// its transaction even when they run on different threads.
TEST_P(SqlIsolation, StepsOfOneTestShareItsTransactionWhicheverThreadRunsThem) {
  ok("CREATE TABLE items (id INTEGER, label TEXT)");
  void *iso = isolated(2);
  ASSERT_EQ(plugin().test_begin(iso, "threads-1"), "");
  step_result insert, seen;
  std::thread([&] {
    harness::in_test test("threads-1");
    insert = on(iso, "exec", {{"sql", "INSERT INTO items VALUES (1, 'a')"}});
  }).join();
  std::thread([&] {
    harness::in_test test("threads-1");
    seen = on(iso, "query", {{"sql", "SELECT COUNT(*) AS n FROM items"}});
  }).join();
  ASSERT_TRUE(insert.ok) << insert.error;
  ASSERT_TRUE(seen.ok) << seen.error;
  EXPECT_EQ(seen.output["rows"][0]["n"], 1); // the same (uncommitted) transaction
  plugin().test_end(iso, "threads-1");
  EXPECT_EQ(count("items"), 0);
  plugin().close(iso);
}

// A host without test ids (ABI 1.0) runs test_begin, the steps and test_end
// of a test on one thread: that thread's steps are the test's.
TEST_P(SqlIsolation, AHostWithoutTestIdsIsServedByThread) {
  static harness old(host_abi::v1_0);
  ok("CREATE TABLE items (id INTEGER, label TEXT)");
  std::string error;
  void *iso = old.open({{"url", url_}, {"isolation", "rollback"}}, &error);
  ASSERT_NE(iso, nullptr) << error;
  std::thread([&] {
    ASSERT_EQ(old.test_begin(iso, "old-1"), "");
    EXPECT_TRUE(old.run("exec", iso, {{"sql", "INSERT INTO items VALUES (1, 'a')"}}).ok);
    auto seen = old.run("query", iso, {{"sql", "SELECT COUNT(*) AS n FROM items"}});
    EXPECT_EQ(seen.output["rows"][0]["n"], 1);
    old.test_end(iso, "old-1");
  }).join();
  EXPECT_EQ(count("items"), 0);
  old.close(iso);
}

TEST_P(SqlIsolation, ThePoolDefaultsToHowManyTestsRunAtOnce) {
  json published;
  plugin().set_jobs(3);
  void *three = plugin().open({{"url", url_}}, &error_, &published);
  plugin().set_jobs(1);
  ASSERT_NE(three, nullptr) << error_;
  EXPECT_EQ(published["pool"], 3);
  plugin().close(three);
  void *one = plugin().open({{"url", url_}}, &error_, &published);
  ASSERT_NE(one, nullptr) << error_;
  EXPECT_EQ(published["pool"], 1);
  plugin().close(one);
  // A host without jobs() runs tests one at a time.
  harness old(host_abi::v1_0);
  void *legacy = old.open({{"url", url_}}, &error_, &published);
  ASSERT_NE(legacy, nullptr) << error_;
  EXPECT_EQ(published["pool"], 1);
  old.close(legacy);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlIsolation, ::testing::Values("sqlite3", "postgresql"),
                         [](const auto &info) { return info.param; });

// sqlite3://:memory: has one connection; with isolation each test holds it
// until it ends. A test running beside it waits (within its step's deadline)
// instead of failing, and a warning at open says so when --jobs > 1.
TEST(SqlIsolationInMemory, TestsWaitForTheOneConnection) {
  std::vector<std::string> logs;
  plugin().set_jobs(2);
  void *mem = plugin().open({{"url", "sqlite3://:memory:"}, {"isolation", "rollback"}}, nullptr,
                            nullptr, "db", &logs);
  plugin().set_jobs(1);
  ASSERT_NE(mem, nullptr);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(contains(logs[0], "its tests run one at a time")) << logs[0];
  ASSERT_TRUE(plugin().run("exec", mem, {{"sql", "CREATE TABLE items (id INTEGER)"}}).ok);

  // The first test holds the database until the second has been refused
  // once (whatever the machine's speed), then ends; the patient query waits
  // for that under a deadline only a hang reaches.
  std::atomic<bool> holding{false}, refused{false};
  auto wait_for = [](const std::atomic<bool> &flag) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!flag && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  std::thread first([&] {
    harness::in_test test("mem-1");
    plugin().test_begin(mem, "mem-1");
    EXPECT_TRUE(plugin().run("exec", mem, {{"sql", "INSERT INTO items VALUES (1)"}}).ok);
    holding = true;
    wait_for(refused);
    plugin().test_end(mem, "mem-1");
  });
  wait_for(holding);
  step_result impatient, patient;
  std::thread second([&] {
    harness::in_test test("mem-2");
    plugin().test_begin(mem, "mem-2");
    impatient = plugin().run("query", mem, {{"sql", "SELECT COUNT(*) AS n FROM items"}}, 50);
    refused = true;
    patient = plugin().run("query", mem, {{"sql", "SELECT COUNT(*) AS n FROM items"}}, 60000);
    plugin().test_end(mem, "mem-2");
  });
  first.join();
  second.join();
  EXPECT_FALSE(impatient.ok);
  EXPECT_TRUE(contains(impatient.error, "tests on it run one at a time")) << impatient.error;
  ASSERT_TRUE(patient.ok) << patient.error;
  EXPECT_EQ(patient.output["rows"][0]["n"], 0); // the first test's row was rolled back
  plugin().close(mem);
}

} // namespace
