// proxy.hpp - a TCP proxy on its own Asio thread that forwards a service's
// connections to its dependency and applies the faults in force.
#pragma once

#include "address.hpp"
#include "faults.hpp"

#include <boost/asio.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace seam_net {

struct proxy_stats {
  uint64_t connections_total = 0; // accepted since the start (or the last reset)
  uint64_t connections_open = 0;
  uint64_t bytes[2] = {0, 0};   // forwarded, by direction
  uint64_t upstream_errors = 0; // connections the dependency refused
  uint64_t resets = 0;          // connections reset by reset_peer
  seam::json to_json() const;
};

class connection;

class proxy {
public:
  // Listens on `listen` (port 0: a free one) and forwards to `upstream`.
  // Throws seam::error when it cannot resolve or listen.
  proxy(const address &listen, const address &upstream, const std::string &name);
  ~proxy();
  proxy(const proxy &) = delete;
  proxy &operator=(const proxy &) = delete;

  const std::string &host() const { return host_; }
  uint16_t port() const { return port_; }

  // Puts `state` in force; returns when the proxy applies it (a `down` proxy
  // has closed its connections then). Throws when it cannot listen again.
  void set_faults(const fault_state &state);
  proxy_stats stats(bool reset);

private:
  friend class connection;
  using tcp = boost::asio::ip::tcp;

  // Runs fn on the proxy's thread and waits for it; rethrows what it threw.
  void call(std::function<void()> fn);
  void open_acceptor();
  void accept_next();
  void forget(connection *c);
  void close_all(bool reset);

  std::string name_, host_;
  uint16_t port_ = 0;
  // Sockets are only used on the proxy's thread (see proxy.cpp): their
  // reactor needs no lock; posting (call) from other threads keeps one.
  boost::asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  tcp::endpoint listen_ep_;
  tcp::resolver::results_type upstream_;
  std::string upstream_text_;
  tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_; // accepting again after an error
  std::mt19937_64 random_;          // jitter
  uint64_t generation_ = 0;         // bumped by every fault change
  std::unordered_map<connection *, std::shared_ptr<connection>> connections_;
  fault_state faults_;
  proxy_stats stats_;
  std::thread thread_;
};

} // namespace seam_net
