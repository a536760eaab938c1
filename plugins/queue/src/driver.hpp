// driver.hpp - what the queue steps need from a message broker.
//
// The steps (steps.cpp) speak only to this interface; a driver per URL scheme
// implements it (amqp:// -> RabbitMQ through rabbitmq-c). Another broker
// (Redis Streams, Kafka) is one more driver registered in driver.cpp; suites
// do not change.
#ifndef SEAM_QUEUE_DRIVER_HPP
#define SEAM_QUEUE_DRIVER_HPP

#include "budget.hpp"

#include <seam/plugin.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seam::queue {

using seam::json;

// A message's properties (AMQP 0-9-1's basic properties but the headers,
// which message::headers holds): the ones set. expiration is AMQP's text of
// milliseconds.
struct properties {
  std::optional<std::string> app_id, content_encoding, content_type, correlation_id, expiration,
      message_id, reply_to, type, user_id;
  std::optional<bool> persistent;
  std::optional<uint8_t> priority;
  std::optional<uint64_t> timestamp;
};

// A step's `properties` (an object) as properties: expiration may be
// milliseconds (a number or digits) or a duration ("30s"). Throws
// std::invalid_argument naming a property of the wrong type.
properties read_properties(seam::json_view in);
// The properties set, as an object with its keys in sorted order.
void write_properties(seam::json_builder &out, const properties &p);

// A message as published and as consumed.
struct message {
  std::string body;
  json headers; // a table; null means none (so that no message allocates one)
  queue::properties properties;
  std::string exchange;    // consumed: where it was published
  std::string routing_key; // consumed: the key it was published with
  bool redelivered = false;
};

// The document consume outputs per message and `match` is evaluated on:
// body, json (the body parsed, null when it is no JSON), headers, routing_key,
// exchange, redelivered, properties; and body_base64 (the exact bytes) when
// the body is no UTF-8 text, since `body` can carry text only.
void write_message(seam::json_builder &out, const message &m);
// The same document as a tree (what `match` is evaluated on).
json to_json(const message &m);

// Base64 (RFC 4648, with padding), for bodies that are no text.
std::string base64_encode(std::string_view bytes);
// nullopt when `text` is no base64.
std::optional<std::string> base64_decode(std::string_view text);
bool valid_utf8(std::string_view text);

struct publish_request {
  std::string exchange; // "" = the default exchange (routes by queue name)
  std::string routing_key;
  message msg;
  bool mandatory = true; // an unroutable message is an error, not silently dropped
};

// What happens to the messages a consume took.
enum class settle {
  ack,     // acknowledged: removed from the queue
  requeue, // returned to the queue, redelivered later (redelivered = true)
  reject,  // removed without acknowledgement: dead-lettered if the queue has a DLX
};

struct consume_request {
  std::string queue;
  size_t count = 1;
  // Whether a message (as to_json gives it) is one the step waits for.
  // Messages it refuses go back to the queue.
  std::function<bool(const json &)> accept;
  // Given each accepted message as it arrives, in arrival order, so that
  // the step writes it out while the broker sends the next one. The message
  // is the driver's: it is gone after the call.
  std::function<void(const message &)> keep;
  settle mode = settle::ack;
};

struct consume_result {
  size_t kept = 0;        // messages accepted (each given to `keep`)
  size_t others = 0;      // messages seen that `accept` refused (requeued)
  bool timed_out = false; // the deadline passed before `count` were accepted;
                          // then every message taken was requeued
  std::string trouble;    // timed out: what went wrong putting them back, if anything
};

struct binding {
  std::string exchange;
  std::string key;
  json arguments = json::object();
};

struct queue_spec {
  std::string name;
  bool durable = true;
  bool auto_delete = false;
  json arguments = json::object(); // x-message-ttl, x-dead-letter-exchange, ...
  std::vector<binding> bindings;
};

struct exchange_spec {
  std::string name;
  std::string type = "direct";
  bool durable = true;
  bool auto_delete = false;
  bool internal = false;
  json arguments = json::object();
};

struct queue_stats {
  uint64_t messages = 0; // ready messages (not counting unacknowledged ones)
  uint64_t consumers = 0;
};

// One broker, as a resource sees it. Thread-safe: steps of tests running in
// parallel call it at the same time. Every call reconnects when the broker
// went away since the last one. Errors are seam::error with a message that
// says what failed, where, and what to try.
class driver {
public:
  virtual ~driver() = default;

  virtual void publish(const publish_request &request, const budget &dl) = 0;
  virtual consume_result consume(const consume_request &request, const budget &dl) = 0;
  // Removes the ready messages of a queue; returns how many.
  virtual uint64_t purge(const std::string &queue, const budget &dl) = 0;
  // Fails when the queue does not exist.
  virtual queue_stats depth(const std::string &queue, const budget &dl) = 0;
  // Idempotent: declaring what exists with the same settings does nothing.
  virtual queue_stats declare_queue(const queue_spec &spec, const budget &dl) = 0;
  virtual void declare_exchange(const exchange_spec &spec, const budget &dl) = 0;
  // Deleting what does not exist succeeds. Returns the messages deleted.
  virtual uint64_t delete_queue(const std::string &queue, bool if_unused, bool if_empty,
                                const budget &dl) = 0;
  virtual void delete_exchange(const std::string &exchange, bool if_unused, const budget &dl) = 0;
};

struct driver_config {
  std::string resource;   // the suite's resource name, for messages
  std::string url;        // as written (with the password)
  std::string masked_url; // the same with the password replaced by ***
  std::chrono::milliseconds connect_timeout{5000};
  json options = json::object(); // the resource table, for driver-specific keys
};

// Connects (so that a wrong URL, refused connection or wrong password fail
// at resource open). A broker that cannot be reached throws seam::unavailable
// (the runner may skip the suite for it).
using driver_factory =
    std::function<std::unique_ptr<driver>(const driver_config &, const seam::context &)>;

struct driver_entry {
  std::string_view scheme; // "amqp"
  std::string_view summary;
  driver_factory make;
};

// The driver for a URL's scheme; nullptr when none is registered.
const driver_entry *find_driver(std::string_view scheme);
// Scheme names, for messages ("amqp, ...").
std::string known_schemes();

// "amqp" for "amqp://..."; empty when the text has no scheme.
std::string url_scheme(std::string_view url);
// The URL with the password (user:PASSWORD@) replaced by ***, and the password.
std::pair<std::string, std::string> mask_url(std::string_view url);

// The amqp:// driver (amqp_driver.cpp).
std::unique_ptr<driver> make_amqp_driver(const driver_config &config, const seam::context &ctx);

} // namespace seam::queue

#endif // SEAM_QUEUE_DRIVER_HPP
