// sql_fixture.hpp - what the tests of seam-sql.so through its C ABI share:
// the harness every test uses, and the fixture `Sql` that runs a test on
// SQLite (a file of its own) and on the PostgreSQL of the ctest fixture (a
// database of this test binary's own), each starting from empty tables.
#ifndef SEAM_TESTS_SQL_FIXTURE_HPP
#define SEAM_TESTS_SQL_FIXTURE_HPP

#include "plugin_harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace sqltest {

inline harness &plugin() {
  static harness h;
  return h;
}

inline std::string temp_path(const std::string &leaf) {
  auto dir = std::filesystem::temp_directory_path() / ("seam-sql-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / leaf).string();
}

inline bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// The PostgreSQL database this test binary owns (created once, dropped at exit).
inline std::string pg_database_url() {
  static std::string url = [] {
    std::string base = sqltest::pg_url();
    if (base.empty())
      return base;
    std::string db = "seam_unit_" + std::to_string(getpid());
    void *admin = plugin().open({{"url", base}});
    if (admin == nullptr)
      return std::string();
    plugin().run("exec", admin, {{"sql", "DROP DATABASE IF EXISTS " + db}});
    auto r = plugin().run("exec", admin, {{"sql", "CREATE DATABASE " + db}});
    plugin().close(admin);
    if (!r.ok)
      return std::string();
    std::string out = base;
    size_t slash = out.find('/', out.find("://") + 3);
    size_t q = out.find('?', slash);
    out.replace(slash + 1, (q == std::string::npos ? out.size() : q) - slash - 1, db);
    return out;
  }();
  return url;
}

class Sql : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    if (pg()) {
      url_ = pg_database_url();
      if (url_.empty()) {
        if (sqltest::pg_required())
          FAIL() << "no PostgreSQL server: SEAM_SQL_PG_URL_FILE names none that answers";
        GTEST_SKIP() << "no PostgreSQL server (run through ctest, or set SEAM_SQL_PG_URL_FILE)";
      }
    } else {
      std::string leaf = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      for (auto &c : leaf)
        if (c == '/')
          c = '_';
      file_ = temp_path(leaf + ".db");
      std::filesystem::remove(file_);
      url_ = "sqlite3://" + file_;
    }
    db_ = open({{"url", url_}, {"pool", 4}});
    ASSERT_NE(db_, nullptr) << error_;
    // Each test starts from empty tables of its own.
    for (const char *t : {"profiles", "users", "items", "ev", "t"})
      ok("DROP TABLE IF EXISTS " + std::string(t));
  }
  void TearDown() override {
    if (db_)
      plugin().close(db_);
    if (!file_.empty())
      std::filesystem::remove(file_);
  }

  bool pg() const { return GetParam() == "postgresql"; }
  std::string serial() const { return pg() ? "SERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY"; }

  void *open(const json &config) {
    error_.clear();
    return plugin().open(config, &error_);
  }
  step_result run(const std::string &step, const json &in, int64_t remaining_ms = -1) {
    return plugin().run(step, db_, in, remaining_ms);
  }
  json ok(const std::string &sql, const json &params = json::object(), const char *step = "exec") {
    auto r = run(step, {{"sql", sql}, {"params", params}});
    EXPECT_TRUE(r.ok) << sql << "\n -> " << r.error;
    return r.output;
  }
  json query(const std::string &sql, const json &params = json::object()) {
    return ok(sql, params, "query");
  }
  std::string fails(const std::string &step, const json &in) {
    auto r = run(step, in);
    EXPECT_FALSE(r.ok) << step << " " << in.dump() << " unexpectedly passed: " << r.output.dump();
    return r.error;
  }
  void users_table() {
    ok("CREATE TABLE users (id " + serial() +
       ", email TEXT NOT NULL UNIQUE, name TEXT, age INTEGER, score DOUBLE PRECISION, active "
       "BOOLEAN, created TIMESTAMP, note TEXT)");
  }

  std::string url_, file_, error_;
  void *db_ = nullptr;
};

} // namespace sqltest

#endif
