// Connection loss: a PostgreSQL server of this test's own (tools/pg) is
// stopped between two steps and brought back. A step while it is down fails
// with a clear message; the one after it works on a new connection; a
// restart between steps goes unnoticed.
#include "plugin_harness.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

using sqltest::harness;
using sqltest::json;

namespace {

int tools_pg(const std::string &command, const std::string &dir) {
  std::string cmd =
      std::string(SEAM_SOURCE_DIR) + "/tools/pg " + command + " " + dir + " >/dev/null";
  return std::system(cmd.c_str());
}

class PgServer : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = "/tmp/seam-sql-loss-" + std::to_string(getpid());
    if (tools_pg("start", dir_) != 0) {
      if (sqltest::pg_required())
        FAIL() << "tools/pg could not start a server in " << dir_;
      GTEST_SKIP() << "tools/pg could not start a server";
    }
    FILE *f = fopen((dir_ + "/url").c_str(), "r");
    ASSERT_NE(f, nullptr);
    char buf[512] = {};
    ASSERT_NE(fgets(buf, sizeof buf, f), nullptr);
    fclose(f);
    url_ = buf;
    while (!url_.empty() && (url_.back() == '\n'))
      url_.pop_back();
  }
  void TearDown() override {
    tools_pg("stop", dir_);
    std::filesystem::remove_all(dir_);
  }
  std::string password() const {
    size_t colon = url_.find(':', url_.find("://") + 3);
    return url_.substr(colon + 1, url_.find('@') - colon - 1);
  }
  std::string dir_, url_;
};

TEST_F(PgServer, StoppedServerGivesAClearStepErrorAndTheNextStepReconnects) {
  harness h;
  std::string error;
  void *db = h.open({{"url", url_}, {"pool", 2}}, &error);
  ASSERT_NE(db, nullptr) << error;
  auto before = h.run("query", db, {{"sql", "SELECT 1 AS x"}});
  ASSERT_TRUE(before.ok) << before.error;

  ASSERT_EQ(tools_pg("stop", dir_), 0);
  // The idle connection is found dead before use; a new one is refused
  // with the server's words, without libpq's noise.
  auto during = h.run("query", db, {{"sql", "SELECT 1 AS x"}});
  EXPECT_FALSE(during.ok);
  EXPECT_NE(during.error.find("cannot connect to postgresql://seam:***@127.0.0.1:"),
            std::string::npos)
      << during.error;
  EXPECT_NE(during.error.find("Connection refused"), std::string::npos) << during.error;
  EXPECT_EQ(during.error.find("invalid socket"), std::string::npos) << during.error;
  EXPECT_EQ(during.error.find(password()), std::string::npos)
      << "the password leaked: " << during.error;

  ASSERT_EQ(tools_pg("start", dir_), 0);
  auto after = h.run("query", db, {{"sql", "SELECT 3 AS x"}});
  ASSERT_TRUE(after.ok) << after.error;
  EXPECT_EQ(after.output["rows"][0]["x"], 3);
  h.close(db);
}

// A server restart while connections sit idle in the pool is invisible to
// the next step: the stale connection is replaced before it is used.
TEST_F(PgServer, IdleConnectionsStaleAfterARestartAreReplaced) {
  harness h;
  std::string error;
  void *db = h.open({{"url", url_}, {"pool", 1}}, &error);
  ASSERT_NE(db, nullptr) << error;
  ASSERT_TRUE(h.run("query", db, {{"sql", "SELECT 1 AS x"}}).ok);
  ASSERT_EQ(tools_pg("stop", dir_), 0);
  ASSERT_EQ(tools_pg("start", dir_), 0);
  auto after = h.run("query", db, {{"sql", "SELECT 2 AS x"}});
  ASSERT_TRUE(after.ok) << after.error;
  EXPECT_EQ(after.output["rows"][0]["x"], 2);

  // A connection a test's transaction holds cannot be replaced: its step
  // says the connection was lost, in one clean message.
  ASSERT_TRUE(h.run("begin", db, json::object()).ok);
  ASSERT_EQ(tools_pg("stop", dir_), 0);
  ASSERT_EQ(tools_pg("start", dir_), 0);
  auto lost = h.run("query", db, {{"sql", "SELECT 3 AS x"}});
  EXPECT_FALSE(lost.ok);
  EXPECT_NE(lost.error.find("lost the connection to the PostgreSQL server at 127.0.0.1:"),
            std::string::npos)
      << lost.error;
  EXPECT_EQ(lost.error.find("invalid socket"), std::string::npos) << lost.error;
  EXPECT_EQ(lost.error.find("\n\t"), std::string::npos) << lost.error;
  EXPECT_TRUE(h.run("rollback", db, json::object()).ok);
  EXPECT_TRUE(h.run("query", db, {{"sql", "SELECT 4 AS x"}}).ok);
  h.close(db);
}

TEST_F(PgServer, ATerminatedBackendInsideATransactionIsReported) {
  harness h;
  std::string error;
  void *db = h.open({{"url", url_}, {"pool", 2}}, &error);
  ASSERT_NE(db, nullptr) << error;
  auto tx = h.run("transaction", db,
                  {{"statements",
                    {{{"sql", "CREATE TABLE t (x INT)"}},
                     {{"sql", "SELECT pg_terminate_backend(pg_backend_pid())"}},
                     {{"sql", "INSERT INTO t VALUES (1)"}}}}});
  EXPECT_FALSE(tx.ok);
  EXPECT_NE(tx.error.find("statement 2 of the transaction failed"), std::string::npos) << tx.error;
  EXPECT_NE(tx.error.find("nothing was committed"), std::string::npos) << tx.error;
  auto q =
      h.run("query", db, {{"sql", "SELECT COUNT(*) AS n FROM pg_tables WHERE tablename = 't'"}});
  ASSERT_TRUE(q.ok) << q.error;
  EXPECT_EQ(q.output["rows"][0]["n"], 0);
  h.close(db);
}

} // namespace
