// amqp_link.hpp - one AMQP 0-9-1 connection with one channel in publisher
// confirm mode, used by one step at a time (the driver pools them).
//
// A link that lost its connection is marked broken and dropped by the pool;
// a channel the broker closed (a missing queue, say) is reopened on next use.
#ifndef SEAM_QUEUE_AMQP_LINK_HPP
#define SEAM_QUEUE_AMQP_LINK_HPP

#include "driver.hpp"

#include <amqp.h>

#include <memory>
#include <string>

namespace seam_queue::amqp {

// Where and as whom to connect, parsed from an amqp:// URL.
struct endpoint {
  std::string host;
  int port = 5672;
  std::string user, password, vhost;
  std::string masked_url; // for messages
  std::string resource;   // the suite's resource name, for messages

  std::string address() const { return host + ":" + std::to_string(port); }
};

// Throws seam::error on a URL that is no amqp:// URL.
endpoint parse_endpoint(const driver_config &config);

// Nothing accepted a connection at the endpoint (refused, unreachable, name
// not resolved, connect timeout): the broker is not there.
class unreachable_error : public seam::error {
public:
  using seam::error::error;
};

class link {
public:
  // Connects, logs in, opens a channel in confirm mode. Throws
  // unreachable_error or seam::error (login refused, no AMQP handshake).
  static std::unique_ptr<link> connect(const endpoint &ep, const deadline &dl);
  ~link();
  link(const link &) = delete;
  link &operator=(const link &) = delete;

  // False once the connection failed or is in an unknown state.
  bool usable() const { return !broken_; }
  // For a pooled link about to be reused: false when the broker closed the
  // connection meanwhile (a restart) or sent something unexpected.
  bool idle_healthy();

  void publish(const publish_request &request, const deadline &dl);
  consume_result consume(const consume_request &request, const deadline &dl);
  uint64_t purge(const std::string &queue, const deadline &dl);
  queue_stats depth(const std::string &queue, const deadline &dl);
  queue_stats declare_queue(const queue_spec &spec, const deadline &dl);
  void declare_exchange(const exchange_spec &spec, const deadline &dl);
  uint64_t delete_queue(const std::string &queue, bool if_unused, bool if_empty,
                        const deadline &dl);
  void delete_exchange(const std::string &exchange, bool if_unused, const deadline &dl);

private:
  explicit link(const endpoint &ep) : ep_(ep) {}

  void begin(const deadline &dl);
  void open_channel();
  // Checks an RPC's reply; on failure throws with `what` ("declare queue
  // \"x\"") and `hint`, after marking the channel or connection closed.
  void check(amqp_rpc_reply_t reply, const std::string &what, const std::string &hint = {});
  [[noreturn]] void fail_library(int status, const std::string &what);
  [[noreturn]] void on_connection_close(const amqp_frame_t &frame, const std::string &what);
  [[noreturn]] void on_channel_close(const amqp_frame_t &frame, const std::string &what,
                                     const std::string &hint);
  // Waits up to `slice` for a frame; false on timeout.
  bool next_frame(amqp_frame_t &frame, std::chrono::milliseconds slice, const std::string &what);
  void set_rpc_timeout(const deadline &dl);
  void set_prefetch(uint16_t count, const std::string &what);
  std::string start_consumer(const std::string &queue, uint16_t prefetch);
  void cancel_consumer(const std::string &tag, const std::string &what);
  std::string where() const;

  endpoint ep_;
  amqp_connection_state_t conn_ = nullptr;
  amqp_channel_t channel_ = 0;
  bool channel_open_ = false;
  bool broken_ = false;
  uint64_t next_publish_tag_ = 1; // publisher confirms count per channel
  int prefetch_ = -1;             // the channel's basic.qos, -1 = not set
};

} // namespace seam_queue::amqp

#endif // SEAM_QUEUE_AMQP_LINK_HPP
