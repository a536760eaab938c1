// amqp_link.hpp - one AMQP 0-9-1 connection with one channel in publisher
// confirm mode, used by one step at a time (the driver pools them).
//
// Every wait on the broker (a reply, a confirm, a delivery) goes through
// next_frame(), in slices, against the step's one deadline, so that a broker
// that hangs costs the step its timeout and no more, and Ctrl-C is seen.
// A link that lost its connection, or whose state is unknown after a wait
// that timed out, is marked broken and dropped by the pool; a channel the
// broker closed (a missing queue, say) is reopened on next use.
//
// Its members are defined by idea: the connection in amqp_connection.cpp, the
// frame loop and replies in amqp_frames.cpp, the queue and exchange methods
// in amqp_channel_ops.cpp, consuming in amqp_consume.cpp.
#ifndef SEAM_QUEUE_AMQP_LINK_HPP
#define SEAM_QUEUE_AMQP_LINK_HPP

#include "driver.hpp"

#include <amqp.h>

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>

namespace seam::queue::amqp {

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

// Something accepted the TCP connection but did not answer the AMQP
// handshake in time: no AMQP broker, or one that hangs.
class handshake_timeout : public seam::error {
public:
  using seam::error::error;
};

// The broker did not answer before the step's deadline.
class no_answer_error : public seam::error {
public:
  using seam::error::error;
};

// What a step is doing ("publish to queue \"q\""), for error messages; only
// called when one is needed, so the hot path builds no strings.
using doing = std::function<std::string()>;

class link {
public:
  // Connects, logs in, opens a channel in confirm mode. Throws
  // unreachable_error, handshake_timeout or seam::error (login refused).
  static std::unique_ptr<link> connect(const endpoint &ep, const budget &dl);
  ~link();
  link(const link &) = delete;
  link &operator=(const link &) = delete;

  // False once the connection failed or is in an unknown state.
  bool usable() const { return !broken_; }
  // For a pooled link about to be reused: false when the broker closed the
  // connection meanwhile (a restart) or sent something unexpected.
  bool idle_healthy();

  void publish(const publish_request &request, const budget &dl);
  consume_result consume(const consume_request &request, const budget &dl);
  uint64_t purge(const std::string &queue, const budget &dl);
  queue_stats depth(const std::string &queue, const budget &dl);
  queue_stats declare_queue(const queue_spec &spec, const budget &dl);
  void declare_exchange(const exchange_spec &spec, const budget &dl);
  uint64_t delete_queue(const std::string &queue, bool if_unused, bool if_empty, const budget &dl);
  void delete_exchange(const std::string &exchange, bool if_unused, const budget &dl);

private:
  explicit link(const endpoint &ep) : ep_(ep) {}

  void login(const budget &dl);
  void begin(const budget &dl);
  void open_channel(const budget &dl);
  // Closes the channel and waits for the broker's close-ok. RabbitMQ puts
  // the channel's unacknowledged messages back into their queues before it
  // answers, so a next step (on any connection) sees them.
  void close_channel(const budget &dl, const doing &what);

  // Waits for the next frame until dl, in slices. False when dl passed.
  // Handles connection.close (throws) and connection.blocked/unblocked.
  bool next_frame(amqp_frame_t &frame, const budget &dl, const doing &what);
  // Sends a method on the channel and waits for one of `replies` on it.
  // Throws on channel.close (adding `hint` to 404/406 errors), a lost
  // connection, or no reply before dl.
  amqp_method_t rpc(amqp_method_number_t id, void *request,
                    std::initializer_list<amqp_method_number_t> replies, const budget &dl,
                    const doing &what, const std::string &hint = {});
  // Sends a method that has no reply (ack, nack, publish's frames).
  void send(amqp_method_number_t id, void *request, const doing &what);

  [[noreturn]] void fail_library(int status, const doing &what);
  [[noreturn]] void no_answer(const budget &dl, const doing &what);
  [[noreturn]] void on_connection_close(const amqp_frame_t &frame, const doing &what);
  [[noreturn]] void on_channel_close(const amqp_frame_t &frame, const doing &what,
                                     const std::string &hint);

  std::string start_consumer(const std::string &queue, uint16_t prefetch, const budget &dl,
                             const doing &what);
  std::string where() const;

  endpoint ep_;
  amqp_connection_state_t conn_ = nullptr;
  amqp_channel_t channel_ = 0;
  bool channel_open_ = false;
  bool broken_ = false;
  uint64_t next_publish_tag_ = 1; // publisher confirms count per channel
  int prefetch_ = -1;             // the channel's basic.qos, -1 = not set
  // Set while the broker blocks this connection's publishes
  // (connection.blocked: a memory or disk alarm): its reason.
  std::optional<std::string> blocked_;
  // Deliveries that arrived while rpc() waited for a reply: they stay
  // unacknowledged on the channel until it closes.
  size_t swallowed_ = 0;
};

} // namespace seam::queue::amqp

#endif // SEAM_QUEUE_AMQP_LINK_HPP
