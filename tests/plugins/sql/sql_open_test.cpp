// Opening an sql resource through seam-sql.so's C ABI: the password of a URL
// is a secret however wrong the URL is; a server that does not answer is
// unavailable (seam run --skip-unavailable skips the suite), one that
// answers with a refusal is not; a file that is no database fails at open.
#include "sql_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace {

using namespace sqltest;

bool registered(const std::string &secret) {
  const auto s = plugin().secrets();
  return std::find(s.begin(), s.end(), secret) != s.end();
}

std::string pg_or_skip() {
  std::string url = pg_url();
  if (url.empty() && pg_required())
    ADD_FAILURE() << "no PostgreSQL server";
  return url;
}

// Replaces the database of a PostgreSQL URL.
std::string with_database(std::string url, const std::string &db) {
  size_t slash = url.find('/', url.find("://") + 3);
  size_t q = url.find('?', slash);
  return url.replace(slash + 1, (q == std::string::npos ? url.size() : q) - slash - 1, db);
}

TEST(SqlOpenSecrets, APasswordNeverShowsWhateverTheUrlLooksLike) {
  struct bad_url {
    const char *url, *password, *message;
  };
  const bad_url cases[] = {
      {"postgresq://seam:Misspelt-pw1@127.0.0.1:5432/seam", "Misspelt-pw1", "is not supported"},
      {"postgresql:/seam:OneSlash-pw2@127.0.0.1:5432/seam", "OneSlash-pw2", "needs two slashes"},
      {"seam:NoScheme-pw3@127.0.0.1:5432/seam", "NoScheme-pw3", "has no scheme"},
      {"postgresql://seam:Slash/pw4@127.0.0.1:5432/seam", "Slash/pw4", "'/' as %2F"},
      {"postgresql://seam:At@pw5@127.0.0.1:5432/seam", "At@pw5", "'@' as %40"},
      {"mysql://seam:Other-pw6@127.0.0.1/seam", "Other-pw6", "\"mysql://\" is not supported"},
  };
  for (const auto &c : cases) {
    std::string error;
    EXPECT_EQ(plugin().open({{"url", c.url}}, &error), nullptr) << c.url;
    EXPECT_FALSE(contains(error, c.password)) << error;
    EXPECT_TRUE(contains(error, c.message)) << error;
    EXPECT_TRUE(contains(error, "***")) << error;
    // Registered with the host, so that seam masks it in every report too
    // (the resource's table, with the url, is part of them).
    EXPECT_TRUE(registered(c.password)) << c.password;
  }
  // The piece of a password that a '/' makes libpq read as a port is never
  // handed to libpq to quote.
  std::string error;
  plugin().open({{"url", "postgresql://seam:abc/def@127.0.0.1:5432/seam"}}, &error);
  EXPECT_FALSE(contains(error, "abc")) << error;
  EXPECT_FALSE(contains(error, "port")) << error;
}

TEST(SqlOpenAvailability, ARefusedConnectionIsUnavailable) {
  std::string error;
  bool unavailable = false;
  EXPECT_EQ(plugin().open({{"url", "postgresql://seam:pw-refused@127.0.0.1:1/seam"}}, &error,
                          nullptr, "db", nullptr, &unavailable),
            nullptr);
  EXPECT_TRUE(unavailable) << error;
  EXPECT_EQ(error.rfind("cannot connect to postgresql://seam:***@127.0.0.1:1/seam", 0), 0u)
      << error;
  EXPECT_TRUE(contains(error, "Connection refused")) << error;
  EXPECT_TRUE(contains(error, "(resource \"db\")")) << error;
  EXPECT_FALSE(contains(error, "pw-refused")) << error;
}

TEST(SqlOpenAvailability, AServerThatAnswersWithARefusalIsNotUnavailable) {
  std::string url = pg_or_skip();
  if (url.empty())
    GTEST_SKIP() << "no PostgreSQL server";
  size_t colon = url.find(':', url.find("://") + 3);
  std::string wrong_password =
      url.substr(0, colon + 1) + "not-the-password" + url.substr(url.find('@'));
  std::string error;
  EXPECT_EQ(plugin().open({{"url", wrong_password}}, &error), nullptr);
  EXPECT_EQ(error.rfind("resource \"db\": ", 0), 0u) << error;
  EXPECT_TRUE(contains(error, "password authentication failed")) << error;

  EXPECT_EQ(plugin().open({{"url", with_database(url, "no_such_database")}}, &error), nullptr);
  EXPECT_EQ(error.rfind("resource \"db\": ", 0), 0u) << error;
  EXPECT_TRUE(contains(error, "database \"no_such_database\" does not exist")) << error;
}

TEST(SqlOpenSqlite, AFileThatIsNoDatabaseFailsAtOpen) {
  std::string path = temp_path("not-a-database.db");
  std::ofstream(path) << "this is a text file, not an SQLite database\n"
                      << std::string(200, 'x') << "\n";
  std::string error;
  EXPECT_EQ(plugin().open({{"url", "sqlite3://" + path}}, &error), nullptr);
  EXPECT_TRUE(contains(error, "resource \"db\": cannot open SQLite database \"" + path + "\""))
      << error;
  EXPECT_TRUE(contains(error, "file is not a database")) << error;
  std::filesystem::remove(path);

  // A path that does not exist yet is created, as before.
  std::string fresh = temp_path("fresh.db");
  std::filesystem::remove(fresh);
  void *db = plugin().open({{"url", "sqlite3://" + fresh}}, &error);
  ASSERT_NE(db, nullptr) << error;
  plugin().close(db);
  std::filesystem::remove(fresh);
}

} // namespace
