// database.cpp - the connection pool and scoped transactions of a resource.
#include "database.hpp"

#include <algorithm>
#include <functional>

namespace seam::sql {

// The host checked the table against the resource's schema (plugin.cpp):
// url is there, every key is known and of its type and range.
database_config parse_config(const json &config, unsigned jobs) {
  database_config c;
  c.url = parse_url(config.value("url", ""));
  // One connection per test running at once. An in-memory SQLite database
  // lives inside one connection, so a pool of several would be several empty
  // databases.
  c.pool = c.url.in_memory() ? 1 : std::clamp<size_t>(jobs, 1, 64);
  if (auto p = config.find("pool"); p != config.end()) {
    c.pool = p->get<size_t>();
    if (c.url.in_memory() && c.pool > 1)
      throw seam::error("pool = " + p->dump() +
                        " with sqlite3://:memory: would give each connection its own empty "
                        "database; use pool = 1, or a file (sqlite3:///tmp/test.db)");
  }
  c.iso = config.value("isolation", "none") == "rollback" ? isolation::rollback : isolation::none;
  c.options.statement_cache = config.value("statement_cache", c.options.statement_cache);
  if (auto b = config.find("busy_timeout"); b != config.end()) {
    auto d = seam::parse_duration(b->get_ref<const std::string &>());
    if (!d)
      throw seam::error("busy_timeout must be a duration such as \"5s\" or \"250ms\", not " +
                        b->dump());
    c.options.busy_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }
  return c;
}

scope_key database::scope_of(const seam::context &ctx) {
  std::lock_guard lk(mu_);
  return scope_locked(ctx);
}

scope_key database::scope_locked(const seam::context &ctx) const {
  std::string_view id = ctx.test_id();
  if (!id.empty())
    return std::string(id);
  if (auto it = threads_.find(std::this_thread::get_id()); it != threads_.end())
    return it->second;
  // Outside a test (setup, teardown), or a host without test hooks: the
  // calling thread is the scope. The prefix keeps it apart from test ids.
  thread_local const std::string self =
      "thread:" + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  return self;
}

database::database(std::string name, database_config config)
    : name_(std::move(name)), config_(std::move(config)) {
  idle_.push_back(open_connection(config_.url, config_.options));
  open_ = 1;
}

database::~database() {
  // Transactions still open belong to tests that never reached their end:
  // their data must not outlive the run.
  for (auto &[key, sc] : scopes_) {
    try {
      if (sc.conn && !sc.conn->broken() && sc.conn->in_transaction())
        sc.conn->command("ROLLBACK", seam::deadline());
    } catch (...) {
    }
  }
}

database::handle::~handle() {
  if (owned_)
    db_->release(std::move(owned_));
}

std::unique_ptr<connection> database::acquire(const seam::deadline &lim) {
  std::unique_lock lk(mu_);
  return acquire(lk, lim);
}

std::unique_ptr<connection> database::acquire(std::unique_lock<std::mutex> &lk,
                                              const seam::deadline &lim) {
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      lk.unlock();
      // A server restart (or pg_terminate_backend) while the connection sat
      // idle must not fail the step that picks it up: replace it.
      if (c->alive())
        return c;
      c.reset(); // closes outside the lock
      lk.lock();
      --open_;
    }
    if (open_ < config_.pool) {
      ++open_;
      lk.unlock();
      try {
        return open_connection(config_.url, config_.options);
      } catch (...) {
        lk.lock();
        --open_;
        freed_.notify_one();
        throw;
      }
    }
    if (lim.done()) {
      if (config_.url.in_memory() && config_.iso == isolation::rollback)
        throw sql_error(sql_error::kind::cancelled,
                        "the one connection of resource \"" + name_ +
                            "\" (sqlite3://:memory: has one) stayed in another test's "
                            "transaction until this step's deadline: with isolation = "
                            "\"rollback\" tests on it run one at a time. Give the step a longer "
                            "timeout, run fewer tests at once (--jobs), or use a file "
                            "(sqlite3:///tmp/test.db) with a larger pool");
      throw sql_error(sql_error::kind::cancelled,
                      "all " + std::to_string(config_.pool) + " connections of resource \"" +
                          name_ +
                          "\" stayed busy until the step's deadline; raise its pool "
                          "or run fewer tests at once");
    }
    freed_.wait_for(lk, std::chrono::milliseconds(20));
  }
}

void database::release(std::unique_ptr<connection> c) {
  // A step that failed half-way may leave a transaction behind (a script's
  // own BEGIN); the next user of the connection must not inherit it.
  if (!c->broken() && c->in_transaction()) {
    try {
      c->command("ROLLBACK", seam::deadline());
    } catch (...) {
    }
  }
  bool keep = !c->broken() && !c->in_transaction();
  std::unique_ptr<connection> discard;
  {
    std::lock_guard lk(mu_);
    if (keep) {
      idle_.push_back(std::move(c));
    } else {
      discard = std::move(c);
      --open_;
    }
  }
  freed_.notify_one();
  // discard closes outside the lock.
}

database::handle database::use(const seam::context &ctx, const seam::deadline &lim) {
  bool isolated = false;
  scope_key scope;
  {
    std::unique_lock lk(mu_);
    // No test holds a transaction: any pooled connection, one lock taken.
    if (scopes_.empty())
      return handle(this, acquire(lk, lim));
    scope = scope_locked(ctx);
    auto it = scopes_.find(scope);
    if (it != scopes_.end()) {
      scope_state &sc = it->second;
      if (sc.conn) {
        if (sc.conn->broken())
          throw sql_error(sql_error::kind::connection_lost,
                          std::string("the connection of this test's transaction was lost; ") +
                              (sc.explicit_tx ? "sql.rollback ends it, and later steps get a "
                                                "new connection"
                                              : "the test's remaining steps cannot run in it"));
        return handle(this, sc.conn.get(), sc.explicit_tx ? pin::explicit_tx : pin::isolation);
      }
      isolated = !sc.test_id.empty();
    }
  }
  if (!isolated)
    return handle(this, acquire(lim));
  // The test's first step on this resource: its transaction starts here.
  return handle(this, pin_transaction(scope, lim, false), pin::isolation);
}

connection *database::pin_transaction(const scope_key &scope, const seam::deadline &lim,
                                      bool explicit_tx) {
  auto c = acquire(lim);
  try {
    c->command("BEGIN", lim);
  } catch (...) {
    release(std::move(c));
    throw;
  }
  std::lock_guard lk(mu_);
  scope_state &sc = scopes_[scope];
  sc.conn = std::move(c);
  sc.explicit_tx = explicit_tx;
  return sc.conn.get();
}

void database::test_begin(const std::string &test_id) {
  std::lock_guard lk(mu_);
  threads_[std::this_thread::get_id()] = test_id;
  if (config_.iso == isolation::rollback)
    scopes_[test_id].test_id = test_id;
}

bool database::test_end(const std::string &test_id) {
  std::unique_ptr<connection> c;
  bool left_open = false;
  {
    std::lock_guard lk(mu_);
    if (auto t = threads_.find(std::this_thread::get_id());
        t != threads_.end() && t->second == test_id)
      threads_.erase(t);
    auto it = scopes_.find(test_id);
    if (it == scopes_.end())
      return false;
    c = std::move(it->second.conn);
    left_open = c && it->second.explicit_tx;
    scopes_.erase(it);
  }
  if (!c)
    return false;
  if (!c->broken()) {
    auto lim = seam::deadline::after(std::chrono::seconds(10));
    try {
      c->command("ROLLBACK", lim);
    } catch (...) {
      // release() discards a connection whose transaction is still open.
    }
  }
  release(std::move(c));
  return left_open;
}

void database::begin(const scope_key &scope, const seam::deadline &lim) {
  {
    std::lock_guard lk(mu_);
    auto it = scopes_.find(scope);
    if (it != scopes_.end() && it->second.conn) {
      if (it->second.explicit_tx)
        throw seam::error("a transaction opened by sql.begin is still open on \"" + name_ +
                          "\" for this test; end it with sql.commit or sql.rollback first");
      throw seam::error("resource \"" + name_ +
                        "\" has isolation = \"rollback\": this test already runs in a "
                        "transaction, rolled back when it ends; sql.begin is not needed");
    }
    if (it != scopes_.end() && !it->second.test_id.empty())
      throw seam::error("resource \"" + name_ +
                        "\" has isolation = \"rollback\": every test already runs in a "
                        "transaction, rolled back when it ends; sql.begin is not needed");
  }
  pin_transaction(scope, lim, true);
}

database::ended database::end(const scope_key &scope, bool commit, const seam::deadline &lim) {
  std::unique_ptr<connection> c;
  {
    std::lock_guard lk(mu_);
    auto it = scopes_.find(scope);
    if (it == scopes_.end() || !it->second.conn || !it->second.explicit_tx)
      return ended::nothing_open;
    c = std::move(it->second.conn);
    if (it->second.test_id.empty())
      scopes_.erase(it);
  }
  std::exception_ptr failed;
  try {
    if (!c->broken())
      c->command(commit ? "COMMIT" : "ROLLBACK", lim);
  } catch (...) {
    failed = std::current_exception();
  }
  bool lost = c->broken();
  release(std::move(c));
  if (failed)
    std::rethrow_exception(failed);
  if (lost && commit)
    throw sql_error(sql_error::kind::connection_lost,
                    "the connection of the transaction was lost before sql.commit: nothing was "
                    "committed");
  return ended::done;
}

size_t database::open_connections() {
  std::lock_guard lk(mu_);
  return open_;
}

} // namespace seam::sql
