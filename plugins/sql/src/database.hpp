// database.hpp - an sql resource: a pool of connections to one database, and
// the transactions that outlive one step, each pinned to a connection of its
// own for its scope:
//  - with isolation = "rollback", every test's: opened at the test's first
//    step on this resource (tests that never touch it cost nothing), rolled
//    back when the host reports the test's end (test_end);
//  - a test's own, between sql.begin and sql.commit / sql.rollback.
//
// A scope is the test a step belongs to. The host calls test_begin, the
// test's steps and test_end on one thread, and tells steps nothing else about
// their test, so a scope is keyed by the calling thread.
#ifndef SEAM_SQL_DATABASE_HPP
#define SEAM_SQL_DATABASE_HPP

#include "connection.hpp"
#include "url.hpp"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace seam::sql {

enum class isolation { none, rollback };

struct database_config {
  db_url url;
  size_t pool = 1;
  isolation iso = isolation::none;
  connection_options options;
};

// Reads a resource table (already validated against the schema, checked
// again here for callers that skip it); throws seam::error.
database_config parse_config(const json &config);

using scope_key = uint64_t;
scope_key current_scope();

class database {
public:
  // Opens the first connection, so that a wrong URL or password fails here.
  database(std::string name, database_config config);
  ~database();
  database(const database &) = delete;
  database &operator=(const database &) = delete;

  // The connection a step uses: its scope's open transaction, if any, else a
  // pooled one returned (or discarded, when broken) at the end of the step.
  class handle {
  public:
    handle(database *db, connection *pinned) : db_(db), pinned_(pinned) {}
    handle(database *db, std::unique_ptr<connection> c) : db_(db), owned_(std::move(c)) {}
    handle(handle &&) = default;
    handle &operator=(handle &&) = delete;
    ~handle();
    connection &operator*() const { return owned_ ? *owned_ : *pinned_; }
    connection *operator->() const { return &**this; }
    bool in_scope_transaction() const { return pinned_ != nullptr; }

  private:
    database *db_;
    connection *pinned_ = nullptr;
    std::unique_ptr<connection> owned_;
  };

  handle use(scope_key scope, const limits &lim);

  // The host's per-test hooks: with isolation = "rollback", steps of the
  // test `test_id` run in a transaction that test_end rolls back. test_end
  // also rolls back what a test's sql.begin left open, and says so (true).
  void test_begin(scope_key scope, const std::string &test_id);
  bool test_end(scope_key scope);

  // sql.begin: opens a transaction for `scope` on a connection of its own.
  void begin(scope_key scope, const limits &lim);
  // sql.commit / sql.rollback of what sql.begin opened.
  enum class ended { nothing_open, done };
  ended end(scope_key scope, bool commit, const limits &lim);

  const std::string &name() const { return name_; }
  const database_config &config() const { return config_; }
  dialect kind() const { return config_.url.kind; }
  size_t open_connections();

private:
  std::unique_ptr<connection> acquire(const limits &lim);
  void release(std::unique_ptr<connection> c);

  std::string name_;
  database_config config_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<connection>> idle_;
  size_t open_ = 0; // idle + in use + pinned
  struct scope_state {
    std::string test_id;              // set while an isolated test runs
    std::unique_ptr<connection> conn; // pinned, with a transaction open
    bool explicit_tx = false;         // opened by sql.begin, not by isolation
  };
  std::unordered_map<scope_key, scope_state> scopes_;
};

} // namespace seam::sql

#endif
