// Connection loss: a PostgreSQL server of this test's own (tools/pg) is
// stopped between two steps and brought back. The step in between fails with
// a clear message; the one after it works on a new connection.
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
  std::string cmd = std::string(SEAM_SOURCE_DIR) + "/tools/pg " + command + " " + dir + " >/dev/null";
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
  auto during = h.run("query", db, {{"sql", "SELECT 1 AS x"}});
  EXPECT_FALSE(during.ok);
  EXPECT_NE(during.error.find("lost the connection to the PostgreSQL server at 127.0.0.1:"),
            std::string::npos)
      << during.error;
  EXPECT_EQ(during.error.find(url_.substr(url_.find(':', 14) + 1, 8)), std::string::npos)
      << "the password leaked: " << during.error;
  // While it is down, a new connection is refused with the server's words.
  auto down = h.run("query", db, {{"sql", "SELECT 1 AS x"}});
  EXPECT_FALSE(down.ok);
  EXPECT_NE(down.error.find("Connection refused"), std::string::npos) << down.error;

  ASSERT_EQ(tools_pg("start", dir_), 0);
  auto after = h.run("query", db, {{"sql", "SELECT 3 AS x"}});
  ASSERT_TRUE(after.ok) << after.error;
  EXPECT_EQ(after.output["rows"][0]["x"], 3);
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
  auto q = h.run("query", db, {{"sql", "SELECT COUNT(*) AS n FROM pg_tables WHERE tablename = 't'"}});
  ASSERT_TRUE(q.ok) << q.error;
  EXPECT_EQ(q.output["rows"][0]["n"], 0);
  h.close(db);
}

} // namespace
