// amqp_link.cpp - one AMQP connection + channel on rabbitmq-c.
#include "amqp_link.hpp"

#include "amqp_fields.hpp"

#include <amqp_tcp_socket.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <vector>

namespace seam_queue::amqp {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// How often blocking waits look at the host's cancellation.
constexpr milliseconds wait_slice = 100ms;

timeval to_timeval(milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

amqp_bytes_t view(const std::string &s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char *>(s.data());
  return b;
}

std::string quote(const std::string &s) { return "\"" + s + "\""; }

std::string missing_queue_hint(const std::string &queue) {
  return "Is the queue name " + quote(queue) +
         " right? Declare the queue in the resource's `declare` list or with queue.declare.";
}

const std::string redeclare_hint =
    "It exists with other settings (durable, auto_delete, type or arguments): declare it "
    "the same way, or delete it first (queue.delete).";

// A non-blocking TCP connection to host:port within the deadline. rabbitmq-c
// would do this too, but it reports every failure as "a socket error"; the
// user needs to know whether the name, the route or the port was wrong.
int connect_tcp(const endpoint &ep, const deadline &dl) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *found = nullptr;
  std::string port = std::to_string(ep.port);
  int rc = getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0)
    throw unreachable_error("cannot connect to " + ep.address() + ": cannot resolve host " +
                            quote(ep.host) + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  std::string failure = "no address";
  for (addrinfo *ai = found; ai != nullptr; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    ai->ai_protocol);
    if (fd < 0) {
      failure = std::strerror(errno);
      continue;
    }
    int err = 0;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int left = static_cast<int>(std::max<int64_t>(dl.left().count(), 1));
        int n = poll(&p, 1, left);
        if (n == 0) {
          err = ETIMEDOUT;
        } else if (n < 0) {
          err = errno;
        } else {
          socklen_t len = sizeof err;
          if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
            err = errno;
        }
      }
    }
    if (err == 0) {
      // Requests are small and answered one at a time: never wait for Nagle.
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    ::close(fd);
    failure = err == ETIMEDOUT ? "no answer within " + dl.describe() : std::strerror(err);
    for (auto &c : failure)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  throw unreachable_error("cannot connect to " + ep.address() + ": " + failure);
}

std::string reply_text(uint16_t code, amqp_bytes_t text) {
  std::string t = to_string(text);
  if (t.empty())
    t = "reply code " + std::to_string(code);
  return t;
}

// "text" + ". " + "more", without doubling a full stop the broker wrote.
std::string then(std::string text, const std::string &more) {
  if (more.empty())
    return text;
  if (text.empty() || text.back() != '.')
    text += '.';
  return text + " " + more;
}

} // namespace

endpoint parse_endpoint(const driver_config &config) {
  std::string buffer = config.url;
  amqp_connection_info info{};
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK)
    throw seam::error("resource " + quote(config.resource) + ": cannot read url " +
                      quote(config.masked_url) +
                      ": expected amqp://USER:PASSWORD@HOST:PORT/VHOST (the vhost \"/\" is "
                      "written %2f)");
  if (info.ssl)
    throw seam::error("resource " + quote(config.resource) + ": url " +
                      quote(config.masked_url) +
                      ": amqps:// (TLS) is not supported yet; use amqp:// on a trusted network");
  endpoint ep;
  ep.host = info.host;
  ep.port = info.port;
  ep.user = info.user;
  ep.password = info.password;
  ep.vhost = info.vhost;
  ep.masked_url = config.masked_url;
  ep.resource = config.resource;
  return ep;
}

std::unique_ptr<link> link::connect(const endpoint &ep, const deadline &dl) {
  std::unique_ptr<link> l(new link(ep));
  l->conn_ = amqp_new_connection();
  if (l->conn_ == nullptr)
    throw seam::error("cannot create an AMQP connection: out of memory");
  amqp_socket_t *socket = amqp_tcp_socket_new(l->conn_);
  if (socket == nullptr)
    throw seam::error("cannot create an AMQP socket: out of memory");
  int fd = connect_tcp(ep, dl);
  amqp_tcp_socket_set_sockfd(socket, fd);

  timeval handshake = to_timeval(std::max(dl.left(), milliseconds(1)));
  amqp_set_handshake_timeout(l->conn_, &handshake);
  // Heartbeats off: pooled connections sit idle between steps, and a dead
  // one is noticed when it is taken from the pool (idle_healthy).
  amqp_rpc_reply_t r = amqp_login(l->conn_, ep.vhost.c_str(), 0, 131072, 0,
                                  AMQP_SASL_METHOD_PLAIN, ep.user.c_str(), ep.password.c_str());
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    l->broken_ = true;
    std::string who = "login to " + ep.address() + " as " + quote(ep.user) + " (vhost " +
                      quote(ep.vhost) + ")";
    if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
        r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
      auto *m = static_cast<amqp_connection_close_t *>(r.reply.decoded);
      std::string text = reply_text(m->reply_code, m->reply_text);
      std::string hint = m->reply_code == 530
                             ? "Check the vhost: it is the url's path, and \"/\" is written %2f."
                             : "Check the user and password in the url.";
      throw seam::error(then(who + " refused: " + text, hint));
    }
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        r.library_error == AMQP_STATUS_TIMEOUT)
      throw seam::error(who + " failed: no AMQP handshake within " + dl.describe() +
                        ". Is " + ep.address() + " an AMQP 0-9-1 broker (RabbitMQ)?");
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        r.library_error == AMQP_STATUS_CONNECTION_CLOSED)
      throw seam::error(who + " failed: the broker closed the connection during login. "
                              "Check the user and password in the url, and that the user may "
                              "use the vhost.");
    throw seam::error(who + " failed: " +
                      (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
                           ? std::string(amqp_error_string2(r.library_error))
                           : std::string("unexpected reply")));
  }
  l->set_rpc_timeout(dl);
  l->open_channel();
  return l;
}

link::~link() {
  if (conn_ == nullptr)
    return;
  if (!broken_) {
    // A clean goodbye, but never a long wait for a broker that went away.
    timeval tv{1, 0};
    amqp_set_rpc_timeout(conn_, &tv);
    amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(conn_);
}

bool link::idle_healthy() {
  if (broken_)
    return false;
  if (amqp_frames_enqueued(conn_) || amqp_data_in_buffer(conn_))
    return false;
  // An idle connection has nothing to read. A broker that shut down sent
  // connection.close and closed the socket: readable.
  pollfd p{amqp_get_sockfd(conn_), POLLIN, 0};
  return poll(&p, 1, 0) == 0;
}

std::string link::where() const {
  return "resource " + quote(ep_.resource) + ", " + ep_.masked_url;
}

void link::set_rpc_timeout(const deadline &dl) {
  auto left = dl.left();
  if (left <= milliseconds(0))
    throw seam::error("no time left for the broker to answer (" + where() + ")");
  timeval tv = to_timeval(left);
  amqp_set_rpc_timeout(conn_, &tv);
}

void link::begin(const deadline &dl) {
  if (broken_)
    throw seam::error("the connection to the broker is broken (" + where() + ")");
  amqp_maybe_release_buffers(conn_);
  set_rpc_timeout(dl);
  if (!channel_open_)
    open_channel();
}

void link::open_channel() {
  int max = amqp_get_channel_max(conn_);
  if (max <= 0)
    max = 65535;
  channel_ = static_cast<amqp_channel_t>(channel_ >= max ? 1 : channel_ + 1);
  amqp_channel_open(conn_, channel_);
  check(amqp_get_rpc_reply(conn_), "open a channel");
  // Confirms make publish wait until the broker has taken the message.
  amqp_confirm_select(conn_, channel_);
  check(amqp_get_rpc_reply(conn_), "enable publisher confirms");
  channel_open_ = true;
  next_publish_tag_ = 1;
  prefetch_ = -1;
}

void link::fail_library(int status, const std::string &what) {
  broken_ = true;
  if (status == AMQP_STATUS_TIMEOUT)
    throw seam::error(what + " failed: the broker did not answer in time (" + where() + ")");
  throw seam::error(what + " failed: lost the connection to the broker: " +
                    amqp_error_string2(status) + " (" + where() + ")");
}

void link::on_connection_close(const amqp_frame_t &frame, const std::string &what) {
  auto *m = static_cast<amqp_connection_close_t *>(frame.payload.method.decoded);
  std::string text = reply_text(m->reply_code, m->reply_text);
  amqp_connection_close_ok_t ok{};
  amqp_send_method(conn_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
  broken_ = true;
  throw seam::error(what + " failed: the broker closed the connection: " + text + " (" +
                    where() + ")");
}

void link::on_channel_close(const amqp_frame_t &frame, const std::string &what,
                            const std::string &hint) {
  auto *m = static_cast<amqp_channel_close_t *>(frame.payload.method.decoded);
  std::string text = reply_text(m->reply_code, m->reply_text);
  uint16_t code = m->reply_code;
  amqp_channel_close_ok_t ok{};
  amqp_send_method(conn_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
  channel_open_ = false;
  std::string message = what + " failed: " + text;
  // 404: a name is wrong; 406: it exists with other settings.
  if (code == 404 || code == 406)
    message = then(message, hint);
  throw seam::error(message);
}

void link::check(amqp_rpc_reply_t reply, const std::string &what, const std::string &hint) {
  switch (reply.reply_type) {
  case AMQP_RESPONSE_NORMAL:
    return;
  case AMQP_RESPONSE_LIBRARY_EXCEPTION:
    fail_library(reply.library_error, what);
  case AMQP_RESPONSE_SERVER_EXCEPTION: {
    amqp_frame_t frame{};
    frame.frame_type = AMQP_FRAME_METHOD;
    frame.payload.method = reply.reply;
    if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
      frame.channel = 0;
      on_connection_close(frame, what);
    }
    if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
      frame.channel = channel_;
      on_channel_close(frame, what, hint);
    }
    break;
  }
  default:
    break;
  }
  broken_ = true;
  throw seam::error(what + " failed: unexpected reply from the broker (" + where() + ")");
}

bool link::next_frame(amqp_frame_t &frame, milliseconds slice, const std::string &what) {
  timeval tv = to_timeval(slice);
  int rc = amqp_simple_wait_frame_noblock(conn_, &frame, &tv);
  if (rc == AMQP_STATUS_TIMEOUT)
    return false;
  if (rc != AMQP_STATUS_OK)
    fail_library(rc, what);
  if (frame.frame_type == AMQP_FRAME_METHOD &&
      frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)
    on_connection_close(frame, what);
  return true;
}

void link::publish(const publish_request &rq, const deadline &dl) {
  std::string what = rq.exchange.empty()
                         ? "publish to queue " + quote(rq.routing_key) + " (default exchange)"
                         : "publish to exchange " + quote(rq.exchange) + " with routing key " +
                               quote(rq.routing_key);
  field_arena arena;
  amqp_basic_properties_t props;
  try {
    props = make_properties(rq.msg.properties, rq.msg.headers, arena);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what + ": " + e.what());
  }
  begin(dl);
  int rc = amqp_basic_publish(conn_, channel_, view(rq.exchange), view(rq.routing_key),
                              rq.mandatory ? 1 : 0, 0, &props, view(rq.msg.body));
  if (rc != AMQP_STATUS_OK)
    fail_library(rc, what);
  uint64_t tag = next_publish_tag_++;
  std::optional<std::string> returned;
  auto covers = [tag](uint64_t delivery_tag, amqp_boolean_t multiple) {
    return multiple ? delivery_tag >= tag : delivery_tag == tag;
  };
  std::string hint = "Declare the exchange in the resource's `declare` list or with "
                     "queue.declare.";
  for (;;) {
    if (dl.passed()) {
      // A confirm may still come; this channel's state is unknown now.
      broken_ = true;
      throw seam::error(what + ": the broker did not confirm the message within " +
                        dl.describe() + " (" + where() +
                        "). Raise the step's timeout if the broker is slow.");
    }
    amqp_frame_t f;
    if (!next_frame(f, std::min(dl.left(), wait_slice), what))
      continue;
    if (f.frame_type != AMQP_FRAME_METHOD || f.channel != channel_)
      continue;
    switch (f.payload.method.id) {
    case AMQP_CHANNEL_CLOSE_METHOD:
      on_channel_close(f, what, hint);
    case AMQP_BASIC_RETURN_METHOD: {
      auto *m = static_cast<amqp_basic_return_t *>(f.payload.method.decoded);
      returned = what + " failed: the broker returned the message as unroutable (" +
                 reply_text(m->reply_code, m->reply_text) + "): no queue is bound " +
                 (rq.exchange.empty() ? "under that name"
                                      : "to " + quote(rq.exchange) + " for that routing key") +
                 ". Declare and bind a queue first, or set mandatory = false to allow "
                 "dropping it.";
      amqp_message_t content;
      amqp_rpc_reply_t r = amqp_read_message(conn_, f.channel, &content, 0);
      check(r, what);
      amqp_destroy_message(&content);
      break;
    }
    case AMQP_BASIC_ACK_METHOD: {
      auto *m = static_cast<amqp_basic_ack_t *>(f.payload.method.decoded);
      if (covers(m->delivery_tag, m->multiple)) {
        if (returned)
          throw seam::error(*returned);
        return;
      }
      break;
    }
    case AMQP_BASIC_NACK_METHOD: {
      auto *m = static_cast<amqp_basic_nack_t *>(f.payload.method.decoded);
      if (covers(m->delivery_tag, m->multiple))
        throw seam::error(what + " failed: the broker refused the message (basic.nack), "
                                 "e.g. a queue at its length limit with overflow "
                                 "reject-publish (" +
                          where() + ")");
      break;
    }
    default:
      break;
    }
  }
}

void link::set_prefetch(uint16_t count, const std::string &what) {
  if (prefetch_ == count)
    return;
  amqp_basic_qos(conn_, channel_, 0, count, 0);
  check(amqp_get_rpc_reply(conn_), what);
  prefetch_ = count;
}

std::string link::start_consumer(const std::string &queue, uint16_t prefetch) {
  std::string what = "consume from queue " + quote(queue);
  // Per-consumer prefetch: the broker sends no more than we still need, so
  // the other messages stay in the queue untouched.
  set_prefetch(prefetch, what);
  auto *ok = amqp_basic_consume(conn_, channel_, view(queue), amqp_empty_bytes, 0, 0, 0,
                                amqp_empty_table);
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what, missing_queue_hint(queue));
  return to_string(ok->consumer_tag);
}

void link::cancel_consumer(const std::string &tag, const std::string &what) {
  amqp_basic_cancel(conn_, channel_, view(tag));
  check(amqp_get_rpc_reply(conn_), what);
}

consume_result link::consume(const consume_request &rq, const deadline &dl) {
  std::string what = "consume from queue " + quote(rq.queue);
  begin(dl);
  consume_result out;
  std::vector<uint64_t> accepted, others;
  const size_t need = rq.count;
  auto budget = [&] {
    return static_cast<uint16_t>(std::min<size_t>(need - out.messages.size(), 65535));
  };
  std::vector<std::string> tags; // this step's consumers
  std::vector<uint64_t> strays;   // deliveries to no consumer of this step
  auto take = [&](amqp_envelope_t &env) {
    if (std::find(tags.begin(), tags.end(), to_string(env.consumer_tag)) == tags.end()) {
      strays.push_back(env.delivery_tag);
      return;
    }
    message m;
    m.body = to_string(env.message.body);
    m.headers = headers_of(env.message.properties);
    m.properties = properties_to_json(env.message.properties);
    m.exchange = to_string(env.exchange);
    m.routing_key = to_string(env.routing_key);
    m.redelivered = env.redelivered != 0;
    json doc = to_json(m);
    if (out.messages.size() < need && (!rq.accept || rq.accept(doc))) {
      out.messages.push_back(std::move(doc));
      accepted.push_back(env.delivery_tag);
    } else {
      others.push_back(env.delivery_tag);
    }
  };
  // Deliveries that arrived while basic.cancel was under way sit in
  // rabbitmq-c's frame queue.
  auto drain = [&] {
    while (amqp_frames_enqueued(conn_)) {
      amqp_envelope_t env;
      timeval zero{0, 0};
      amqp_rpc_reply_t r = amqp_consume_message(conn_, &env, &zero, 0);
      if (r.reply_type == AMQP_RESPONSE_NORMAL) {
        take(env);
        amqp_destroy_envelope(&env);
      } else if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
                 r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        amqp_frame_t f;
        next_frame(f, wait_slice, what);
      } else {
        check(r, what);
      }
    }
  };

  try {
    uint16_t generation = budget();
    size_t delivered = 0;
    std::string tag = start_consumer(rq.queue, generation);
    tags.push_back(tag);
    while (out.messages.size() < need && !dl.passed()) {
      amqp_maybe_release_buffers(conn_);
      amqp_envelope_t env;
      timeval tv = to_timeval(std::min(dl.left(), wait_slice));
      amqp_rpc_reply_t r = amqp_consume_message(conn_, &env, &tv, 0);
      if (r.reply_type == AMQP_RESPONSE_NORMAL) {
        take(env);
        amqp_destroy_envelope(&env);
        // Messages that did not match hold this consumer's prefetch: go on
        // with a fresh consumer (the held ones stay unacknowledged with us).
        if (++delivered == generation && out.messages.size() < need) {
          cancel_consumer(tag, what);
          tag.clear();
          drain();
          if (out.messages.size() >= need)
            break;
          generation = budget();
          delivered = 0;
          tag = start_consumer(rq.queue, generation);
          tags.push_back(tag);
        }
        continue;
      }
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
          r.library_error == AMQP_STATUS_TIMEOUT)
        continue;
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
          r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        amqp_frame_t f;
        if (!next_frame(f, wait_slice, what))
          continue;
        if (f.frame_type == AMQP_FRAME_METHOD && f.channel == channel_) {
          if (f.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD)
            on_channel_close(f, what, missing_queue_hint(rq.queue));
          if (f.payload.method.id == AMQP_BASIC_CANCEL_METHOD) {
            tag.clear();
            throw seam::error(what + " failed: the broker cancelled the consumer (was the "
                                     "queue deleted meanwhile?)");
          }
        }
        continue;
      }
      check(r, what);
    }
    if (!tag.empty()) {
      cancel_consumer(tag, what);
      drain();
    }
    out.timed_out = out.messages.size() < need;
    out.others = others.size();

    // Settle. A step that timed out consumed nothing: all goes back.
    int rc = AMQP_STATUS_OK;
    bool keep = !out.timed_out;
    std::vector<uint64_t> back = others;
    back.insert(back.end(), strays.begin(), strays.end());
    if (keep && rq.mode == settle::ack && !accepted.empty()) {
      if (others.empty() && strays.empty())
        rc = amqp_basic_ack(conn_, channel_, accepted.back(), 1);
      else
        for (size_t i = 0; i < accepted.size() && rc == AMQP_STATUS_OK; ++i)
          rc = amqp_basic_ack(conn_, channel_, accepted[i], 0);
    } else if (keep && rq.mode == settle::reject) {
      for (size_t i = 0; i < accepted.size() && rc == AMQP_STATUS_OK; ++i)
        rc = amqp_basic_nack(conn_, channel_, accepted[i], 0, 0);
    } else {
      back.insert(back.end(), accepted.begin(), accepted.end());
    }
    if (rc != AMQP_STATUS_OK)
      fail_library(rc, what);
    if (!back.empty()) {
      // What is left unacknowledged on this channel is exactly `back`.
      uint64_t last = *std::max_element(back.begin(), back.end());
      rc = amqp_basic_nack(conn_, channel_, last, 1, 1);
      if (rc != AMQP_STATUS_OK)
        fail_library(rc, what);
    }
    if (!back.empty() || (keep && rq.mode == settle::reject && !accepted.empty())) {
      // A round trip on this channel: once it is answered the broker has
      // requeued the messages, so a next step (queue.depth on another
      // connection, say) sees them.
      amqp_basic_qos(conn_, channel_, 0, static_cast<uint16_t>(std::max(prefetch_, 0)), 0);
      check(amqp_get_rpc_reply(conn_), what);
    }
  } catch (...) {
    // Closing the connection returns every unacknowledged message to the
    // queue; a channel the broker closed did that already.
    if (channel_open_)
      broken_ = true;
    throw;
  }
  return out;
}

uint64_t link::purge(const std::string &queue, const deadline &dl) {
  std::string what = "purge queue " + quote(queue);
  begin(dl);
  auto *ok = amqp_queue_purge(conn_, channel_, view(queue));
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what, missing_queue_hint(queue));
  return ok->message_count;
}

queue_stats link::depth(const std::string &queue, const deadline &dl) {
  std::string what = "look up queue " + quote(queue);
  begin(dl);
  auto *ok = amqp_queue_declare(conn_, channel_, view(queue), 1, 0, 0, 0, amqp_empty_table);
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what, missing_queue_hint(queue));
  return {ok->message_count, ok->consumer_count};
}

queue_stats link::declare_queue(const queue_spec &spec, const deadline &dl) {
  std::string what = "declare queue " + quote(spec.name);
  field_arena arena;
  amqp_table_t arguments;
  try {
    arguments = arena.table(spec.arguments);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what + ": arguments: " + e.what());
  }
  begin(dl);
  auto *ok = amqp_queue_declare(conn_, channel_, view(spec.name), 0, spec.durable, 0,
                                spec.auto_delete, arguments);
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what, redeclare_hint);
  queue_stats stats{ok->message_count, ok->consumer_count};
  for (const auto &b : spec.bindings) {
    std::string bwhat = "bind queue " + quote(spec.name) + " to exchange " +
                        quote(b.exchange) + " with key " + quote(b.key);
    amqp_table_t bargs;
    try {
      bargs = arena.table(b.arguments);
    } catch (const std::invalid_argument &e) {
      throw seam::error(bwhat + ": arguments: " + e.what());
    }
    auto *bok = amqp_queue_bind(conn_, channel_, view(spec.name), view(b.exchange), view(b.key),
                                bargs);
    if (bok == nullptr)
      check(amqp_get_rpc_reply(conn_), bwhat,
            "Declare the exchange first (list it before the queue in `declare`).");
  }
  return stats;
}

void link::declare_exchange(const exchange_spec &spec, const deadline &dl) {
  std::string what = "declare exchange " + quote(spec.name) + " of type " + quote(spec.type);
  field_arena arena;
  amqp_table_t arguments;
  try {
    arguments = arena.table(spec.arguments);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what + ": arguments: " + e.what());
  }
  begin(dl);
  auto *ok = amqp_exchange_declare(conn_, channel_, view(spec.name), view(spec.type), 0,
                                   spec.durable, spec.auto_delete, spec.internal, arguments);
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what, redeclare_hint);
}

uint64_t link::delete_queue(const std::string &queue, bool if_unused, bool if_empty,
                            const deadline &dl) {
  std::string what = "delete queue " + quote(queue);
  begin(dl);
  auto *ok = amqp_queue_delete(conn_, channel_, view(queue), if_unused, if_empty);
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what);
  return ok->message_count;
}

void link::delete_exchange(const std::string &exchange, bool if_unused, const deadline &dl) {
  std::string what = "delete exchange " + quote(exchange);
  begin(dl);
  auto *ok = amqp_exchange_delete(conn_, channel_, view(exchange), if_unused);
  if (ok == nullptr)
    check(amqp_get_rpc_reply(conn_), what);
}

} // namespace seam_queue::amqp
