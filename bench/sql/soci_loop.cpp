// soci_loop.cpp - the baseline of bench/sql/run: what a C++ program does with
// SOCI alone for N single-row inserts and N single-row selects by key.
//
//   soci_loop URL N      URL: sqlite3://:memory: or postgresql://...
//
// Two loops each: "prepared" prepares once and re-executes (the fastest way
// to use SOCI), "oneshot" writes `sql << "...", use(x)` per row (the most
// common way). Prints one line per figure: NAME MILLISECONDS.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::unique_ptr<soci::session> connect(const std::string &url) {
  if (url.rfind("sqlite3://", 0) == 0)
    return std::make_unique<soci::session>(soci::sqlite3, "db=\"" + url.substr(10) + "\"");
  return std::make_unique<soci::session>(soci::postgresql, url);
}

void fail(const char *what) {
  std::fprintf(stderr, "soci_loop: %s\n", what);
  std::exit(1);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: soci_loop URL N\n");
    return 2;
  }
  std::string url = argv[1];
  int n = std::atoi(argv[2]);
  try {
    auto sql = connect(url);
    for (const char *table : {"bench_loop_a", "bench_loop_b"}) {
      *sql << "DROP TABLE IF EXISTS " << table;
      *sql << "CREATE TABLE " << table << " (id INTEGER PRIMARY KEY, name TEXT NOT NULL)";
    }

    // Prepared once, executed n times.
    int id = 0;
    std::string name;
    auto t0 = std::chrono::steady_clock::now();
    {
      soci::statement st =
          (sql->prepare << "INSERT INTO bench_loop_a (id, name) VALUES (:id, :name)",
           soci::use(id, "id"), soci::use(name, "name"));
      for (int i = 1; i <= n; ++i) {
        id = i;
        name = "user-" + std::to_string(i);
        st.execute(true);
        if (st.get_affected_rows() != 1)
          fail("insert affected no row");
      }
    }
    std::printf("insert_prepared %.3f\n", ms_since(t0));

    int key = 0, got_id = 0;
    std::string got_name;
    t0 = std::chrono::steady_clock::now();
    {
      soci::statement st = (sql->prepare << "SELECT id, name FROM bench_loop_a WHERE id = :id",
                            soci::use(key, "id"), soci::into(got_id), soci::into(got_name));
      for (int i = 1; i <= n; ++i) {
        key = i;
        if (!st.execute(true) || got_id != i)
          fail("select found no row");
      }
    }
    std::printf("select_prepared %.3f\n", ms_since(t0));

    // The everyday form: a statement per row.
    t0 = std::chrono::steady_clock::now();
    for (int i = 1; i <= n; ++i) {
      std::string nm = "user-" + std::to_string(i);
      *sql << "INSERT INTO bench_loop_b (id, name) VALUES (:id, :name)", soci::use(i, "id"),
          soci::use(nm, "name");
    }
    std::printf("insert_oneshot %.3f\n", ms_since(t0));

    t0 = std::chrono::steady_clock::now();
    for (int i = 1; i <= n; ++i) {
      int gid = 0;
      std::string gname;
      *sql << "SELECT id, name FROM bench_loop_b WHERE id = :id", soci::use(i, "id"),
          soci::into(gid), soci::into(gname);
      if (gid != i)
        fail("select found no row");
    }
    std::printf("select_oneshot %.3f\n", ms_since(t0));

    for (const char *table : {"bench_loop_a", "bench_loop_b"})
      *sql << "DROP TABLE " << table;
  } catch (const std::exception &e) {
    fail(e.what());
  }
  return 0;
}
