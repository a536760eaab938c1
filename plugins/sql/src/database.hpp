// database.hpp - an sql resource: a pool of connections to one database, and
// the transactions that outlive one step, each pinned to a connection of its
// own for its scope:
//  - with isolation = "rollback", every test's: opened at the test's first
//    step on this resource (tests that never touch it cost nothing), rolled
//    back when the host reports the test's end (test_end);
//  - a test's own, between sql.begin and sql.commit / sql.rollback.
//
// A scope is the test a step belongs to: the host's ${test.id} (ABI 1.1
// ctx.test_id(), whichever thread runs the step). A host that does not give
// steps the test id calls test_begin, the test's steps and test_end on one
// thread, so test_begin remembers the calling thread's test for them.
// Steps outside a test (setup, teardown) are scoped by their thread.
#ifndef SEAM_SQL_DATABASE_HPP
#define SEAM_SQL_DATABASE_HPP

#include "connection.hpp"
#include "url.hpp"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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
// again here for callers that skip it); throws seam::error. `jobs` is how
// many tests the run executes at once: the default pool.
database_config parse_config(const json &config, unsigned jobs = 1);

using scope_key = std::string;

class database {
public:
  // Opens the first connection, so that a wrong URL or password fails here.
  database(std::string name, database_config config);
  ~database();
  database(const database &) = delete;
  database &operator=(const database &) = delete;

  // The connection a step uses: its scope's open transaction, if any, else a
  // pooled one returned (or discarded, when broken) at the end of the step.
  // Whose transaction a pinned connection holds.
  enum class pin { none, isolation, explicit_tx };

  class handle {
  public:
    handle(database *db, connection *pinned, pin why) : db_(db), pinned_(pinned), pin_(why) {}
    handle(database *db, std::unique_ptr<connection> c) : db_(db), owned_(std::move(c)) {}
    handle(handle &&) = default;
    handle &operator=(handle &&) = delete;
    ~handle();
    connection &operator*() const { return owned_ ? *owned_ : *pinned_; }
    connection *operator->() const { return &**this; }
    bool in_scope_transaction() const { return pinned_ != nullptr; }
    pin pinned_by() const { return pin_; }

  private:
    database *db_;
    connection *pinned_ = nullptr;
    pin pin_ = pin::none;
    std::unique_ptr<connection> owned_;
  };

  // The scope of a call (see above).
  scope_key scope_of(const seam::context &ctx);

  // The connection for a step of the call `ctx`.
  handle use(const seam::context &ctx, const seam::deadline &lim);

  // The host's per-test hooks: with isolation = "rollback", steps of the
  // test `test_id` run in a transaction that test_end rolls back. test_end
  // also rolls back what a test's sql.begin left open, and says so (true).
  void test_begin(const std::string &test_id);
  bool test_end(const std::string &test_id);

  // sql.begin: opens a transaction for `scope` on a connection of its own.
  void begin(const scope_key &scope, const seam::deadline &lim);
  // sql.commit / sql.rollback of what sql.begin opened.
  enum class ended { nothing_open, done };
  ended end(const scope_key &scope, bool commit, const seam::deadline &lim);

  const std::string &name() const { return name_; }
  const database_config &config() const { return config_; }
  dialect kind() const { return config_.url.kind; }
  size_t open_connections();

private:
  std::unique_ptr<connection> acquire(const seam::deadline &lim);
  std::unique_ptr<connection> acquire(std::unique_lock<std::mutex> &lk, const seam::deadline &lim);
  scope_key scope_locked(const seam::context &ctx) const; // mu_ held
  void release(std::unique_ptr<connection> c);
  // Takes a connection, opens a transaction on it and pins it to `scope`.
  connection *pin_transaction(const scope_key &scope, const seam::deadline &lim, bool explicit_tx);

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
  // The test each thread runs, for hosts that do not give steps a test id.
  std::unordered_map<std::thread::id, std::string> threads_;
};

} // namespace seam::sql

#endif
