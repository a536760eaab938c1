// amqp_link.cpp - one AMQP connection + channel on rabbitmq-c: connecting,
// the frame loop every wait goes through, replies, publish with confirms and
// the queue and exchange methods. Consuming is in amqp_consume.cpp.
#include "amqp_link.hpp"

#include "amqp_fields.hpp"

#include <amqp_tcp_socket.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace seam::queue::amqp {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// How often waits look at the host's cancellation (Ctrl-C).
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

std::string lower(std::string s) {
  for (auto &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A non-blocking TCP connection to host:port within the deadline. rabbitmq-c
// would do this too, but it reports every failure as "a socket error"; the
// user needs to know whether the name, the route or the port was wrong.
int connect_tcp(const endpoint &ep, const budget &dl) {
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
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      failure = std::strerror(errno);
      continue;
    }
    int err = 0;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      err = errno;
      // In slices, so that Ctrl-C is seen.
      while (err == EINPROGRESS) {
        if (dl.passed()) {
          err = ETIMEDOUT;
          break;
        }
        pollfd p{fd, POLLOUT, 0};
        int n = poll(&p, 1, static_cast<int>(std::clamp(dl.left(), 1ms, wait_slice).count()));
        if (n < 0 && errno != EINTR) {
          err = errno;
        } else if (n > 0) {
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
    failure = err == ETIMEDOUT ? "no answer" + dl.within() : lower(std::strerror(err));
  }
  throw unreachable_error("cannot connect to " + ep.address() + ": " + failure);
}

// rabbitmq-c's login cannot be waited on in slices. While it runs, this
// watches the host's cancellation and, on Ctrl-C, shuts the socket down, so
// that the login returns at once.
class cancel_watch {
public:
  cancel_watch(const budget &dl, int fd)
      : thread_([this, &dl, fd] {
          std::unique_lock lock(mutex_);
          while (!done_) {
            if (dl.cancelled()) {
              fired_ = true;
              ::shutdown(fd, SHUT_RDWR);
              return;
            }
            wake_.wait_for(lock, 20ms);
          }
        }) {}
  ~cancel_watch() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  cancel_watch(const cancel_watch &) = delete;
  cancel_watch &operator=(const cancel_watch &) = delete;
  bool fired() const { return fired_; }

private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_; // last: starts once the members above exist
};

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
    throw seam::error("resource " + quote(config.resource) + ": url " + quote(config.masked_url) +
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

std::unique_ptr<link> link::connect(const endpoint &ep, const budget &dl) {
  std::unique_ptr<link> l(new link(ep));
  l->conn_ = amqp_new_connection();
  if (l->conn_ == nullptr)
    throw seam::error("cannot create an AMQP connection: out of memory");
  amqp_socket_t *socket = amqp_tcp_socket_new(l->conn_);
  if (socket == nullptr)
    throw seam::error("cannot create an AMQP socket: out of memory");
  amqp_tcp_socket_set_sockfd(socket, connect_tcp(ep, dl));
  l->login(dl);
  l->open_channel(dl);
  return l;
}

void link::login(const budget &dl) {
  timeval handshake = to_timeval(std::max(dl.left(), milliseconds(1)));
  amqp_set_handshake_timeout(conn_, &handshake);
  // connection.blocked: the broker says when it stops reading publishes (a
  // memory or disk alarm), so that a publish that waits can say why. The
  // name shows in `rabbitmqctl list_connections client_properties`.
  std::string name = "seam: resource " + quote(ep_.resource);
  amqp_table_entry_t capability[1];
  capability[0].key = amqp_cstring_bytes("connection.blocked");
  capability[0].value.kind = AMQP_FIELD_KIND_BOOLEAN;
  capability[0].value.value.boolean = 1;
  amqp_table_entry_t entries[2];
  entries[0].key = amqp_cstring_bytes("capabilities");
  entries[0].value.kind = AMQP_FIELD_KIND_TABLE;
  entries[0].value.value.table = {1, capability};
  entries[1].key = amqp_cstring_bytes("connection_name");
  entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
  entries[1].value.value.bytes = view(name);
  amqp_table_t properties{2, entries};

  amqp_rpc_reply_t r;
  bool interrupted;
  {
    cancel_watch watch(dl, amqp_get_sockfd(conn_));
    // Heartbeats off: pooled connections sit idle between steps, and a dead
    // one is noticed when it is taken from the pool (idle_healthy).
    r = amqp_login_with_properties(conn_, ep_.vhost.c_str(), 0, 131072, 0, &properties,
                                   AMQP_SASL_METHOD_PLAIN, ep_.user.c_str(), ep_.password.c_str());
    interrupted = watch.fired();
  }
  if (r.reply_type == AMQP_RESPONSE_NORMAL)
    return;
  broken_ = true;
  std::string who =
      "login to " + ep_.address() + " as " + quote(ep_.user) + " (vhost " + quote(ep_.vhost) + ")";
  if (interrupted)
    throw seam::error(who + ": cancelled");
  if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
      r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto *m = static_cast<amqp_connection_close_t *>(r.reply.decoded);
    std::string text = reply_text(m->reply_code, m->reply_text);
    std::string hint = m->reply_code == 530
                           ? "Check the vhost: it is the url's path, and \"/\" is written %2f."
                           : "Check the user and password in the url.";
    throw seam::error(then(who + " refused: " + text, hint));
  }
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) {
    // rabbitmq-c counts whole milliseconds: let the deadline pass for sure,
    // so that a host that set it sees the time-out as its own.
    while (!dl.passed())
      std::this_thread::sleep_for(1ms);
    throw handshake_timeout(who + " failed: connected, but no AMQP handshake" + dl.within());
  }
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

link::~link() {
  if (conn_ == nullptr)
    return;
  if (!broken_) {
    // A clean goodbye, but never a long wait for a broker that went away.
    amqp_connection_close_t close{};
    close.reply_code = AMQP_REPLY_SUCCESS;
    if (amqp_send_method(conn_, 0, AMQP_CONNECTION_CLOSE_METHOD, &close) == AMQP_STATUS_OK) {
      budget dl(500ms, seam::deadline());
      while (!dl.passed()) {
        amqp_frame_t f;
        timeval tv = to_timeval(std::max(dl.left(), milliseconds(1)));
        if (amqp_simple_wait_frame_noblock(conn_, &f, &tv) != AMQP_STATUS_OK)
          continue;
        if (f.frame_type == AMQP_FRAME_METHOD && f.channel == 0 &&
            f.payload.method.id == AMQP_CONNECTION_CLOSE_OK_METHOD)
          break;
      }
    }
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

void link::fail_library(int status, const doing &what) {
  broken_ = true;
  throw seam::error(what() + " failed: lost the connection to the broker: " +
                    amqp_error_string2(status) + " (" + where() + ")");
}

void link::no_answer(const budget &dl, const doing &what) {
  // A reply may still come; this connection's state is unknown now.
  broken_ = true;
  throw no_answer_error(what() + ": the broker did not answer" + dl.within() + " (" + where() +
                        "). It may be overloaded, paused or failing" +
                        (dl.host_bound() ? "." : "; raise `timeout` if it is only slow."));
}

void link::on_connection_close(const amqp_frame_t &frame, const doing &what) {
  auto *m = static_cast<amqp_connection_close_t *>(frame.payload.method.decoded);
  std::string text = reply_text(m->reply_code, m->reply_text);
  amqp_connection_close_ok_t ok{};
  amqp_send_method(conn_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
  broken_ = true;
  throw seam::error(what() + " failed: the broker closed the connection: " + text + " (" + where() +
                    ")");
}

void link::on_channel_close(const amqp_frame_t &frame, const doing &what, const std::string &hint) {
  auto *m = static_cast<amqp_channel_close_t *>(frame.payload.method.decoded);
  std::string text = reply_text(m->reply_code, m->reply_text);
  uint16_t code = m->reply_code;
  amqp_channel_close_ok_t ok{};
  amqp_send_method(conn_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
  channel_open_ = false;
  std::string message = what() + " failed: " + text;
  // 404: a name is wrong; 406: it exists with other settings.
  if (code == 404 || code == 406)
    message = then(message, hint);
  throw seam::error(message);
}

bool link::next_frame(amqp_frame_t &frame, const budget &dl, const doing &what) {
  for (;;) {
    if (dl.passed())
      return false;
    timeval tv = to_timeval(std::clamp(dl.left(), 1ms, wait_slice));
    int rc = amqp_simple_wait_frame_noblock(conn_, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT)
      continue;
    if (rc != AMQP_STATUS_OK)
      fail_library(rc, what);
    if (frame.frame_type != AMQP_FRAME_METHOD || frame.channel != 0)
      return true;
    switch (frame.payload.method.id) {
    case AMQP_CONNECTION_CLOSE_METHOD:
      on_connection_close(frame, what);
    case AMQP_CONNECTION_BLOCKED_METHOD: {
      auto *m = static_cast<amqp_connection_blocked_t *>(frame.payload.method.decoded);
      blocked_ = m->reason.len > 0 ? to_string(m->reason) : std::string("no reason given");
      continue;
    }
    case AMQP_CONNECTION_UNBLOCKED_METHOD:
      blocked_.reset();
      continue;
    default:
      return true;
    }
  }
}

void link::send(amqp_method_number_t id, void *request, const doing &what) {
  int rc = amqp_send_method(conn_, channel_, id, request);
  if (rc != AMQP_STATUS_OK)
    fail_library(rc, what);
}

amqp_method_t link::rpc(amqp_method_number_t id, void *request,
                        std::initializer_list<amqp_method_number_t> replies, const budget &dl,
                        const doing &what, const std::string &hint) {
  send(id, request, what);
  amqp_frame_t f;
  while (next_frame(f, dl, what)) {
    // Anything else on the channel (a delivery to a consumer being
    // cancelled) stays unacknowledged: closing the channel returns it.
    if (f.frame_type != AMQP_FRAME_METHOD || f.channel != channel_)
      continue;
    amqp_method_number_t got = f.payload.method.id;
    if (got == AMQP_BASIC_DELIVER_METHOD)
      ++swallowed_;
    if (std::find(replies.begin(), replies.end(), got) != replies.end())
      return f.payload.method;
    if (got == AMQP_CHANNEL_CLOSE_METHOD)
      on_channel_close(f, what, hint);
  }
  no_answer(dl, what);
}

void link::begin(const budget &dl) {
  if (broken_)
    throw seam::error("the connection to the broker is broken (" + where() + ")");
  amqp_maybe_release_buffers(conn_);
  if (!channel_open_)
    open_channel(dl);
}

void link::open_channel(const budget &dl) {
  int max = amqp_get_channel_max(conn_);
  if (max <= 0)
    max = 65535;
  channel_ = static_cast<amqp_channel_t>(channel_ >= max ? 1 : channel_ + 1);
  amqp_channel_open_t open{};
  rpc(AMQP_CHANNEL_OPEN_METHOD, &open, {AMQP_CHANNEL_OPEN_OK_METHOD}, dl,
      [] { return std::string("open a channel"); });
  // Confirms make publish wait until the broker has taken the message.
  amqp_confirm_select_t select{};
  rpc(AMQP_CONFIRM_SELECT_METHOD, &select, {AMQP_CONFIRM_SELECT_OK_METHOD}, dl,
      [] { return std::string("enable publisher confirms"); });
  channel_open_ = true;
  next_publish_tag_ = 1;
  prefetch_ = -1;
}

void link::close_channel(const budget &dl, const doing &what) {
  amqp_channel_close_t close{};
  close.reply_code = AMQP_REPLY_SUCCESS;
  channel_open_ = false;
  send(AMQP_CHANNEL_CLOSE_METHOD, &close, what);
  amqp_frame_t f;
  while (next_frame(f, dl, what)) {
    if (f.frame_type != AMQP_FRAME_METHOD || f.channel != channel_)
      continue;
    // The broker may have closed the channel at the same time.
    if (f.payload.method.id == AMQP_CHANNEL_CLOSE_OK_METHOD ||
        f.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD)
      return;
  }
  no_answer(dl, what);
}

void link::publish(const publish_request &rq, const budget &dl) {
  doing what = [&rq] {
    return rq.exchange.empty() ? "publish to queue " + quote(rq.routing_key) + " (default exchange)"
                               : "publish to exchange " + quote(rq.exchange) +
                                     " with routing key " + quote(rq.routing_key);
  };
  field_arena arena;
  amqp_basic_properties_t props;
  try {
    props = make_properties(rq.msg.properties, rq.msg.headers, arena);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what() + ": " + e.what());
  }
  begin(dl);
  int rc = amqp_basic_publish(conn_, channel_, view(rq.exchange), view(rq.routing_key),
                              rq.mandatory ? 1 : 0, 0, &props, view(rq.msg.body));
  if (rc != AMQP_STATUS_OK)
    fail_library(rc, what);
  uint64_t tag = next_publish_tag_++;
  auto covers = [tag](uint64_t delivery_tag, amqp_boolean_t multiple) {
    return multiple ? delivery_tag >= tag : delivery_tag == tag;
  };
  std::optional<std::string> returned;
  amqp_frame_t f;
  while (next_frame(f, dl, what)) {
    // A returned message's content frames follow basic.return; only the
    // method matters.
    if (f.frame_type != AMQP_FRAME_METHOD || f.channel != channel_)
      continue;
    switch (f.payload.method.id) {
    case AMQP_CHANNEL_CLOSE_METHOD:
      on_channel_close(f, what,
                       "Declare the exchange in the resource's `declare` list or with "
                       "queue.declare.");
    case AMQP_BASIC_RETURN_METHOD: {
      auto *m = static_cast<amqp_basic_return_t *>(f.payload.method.decoded);
      returned = what() + " failed: the broker returned the message as unroutable (" +
                 reply_text(m->reply_code, m->reply_text) + "): no queue is bound " +
                 (rq.exchange.empty() ? "under that name"
                                      : "to " + quote(rq.exchange) + " for that routing key") +
                 ". Declare and bind a queue first, or set mandatory = false to allow "
                 "dropping it.";
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
        throw seam::error(what() +
                          " failed: the broker refused the message (basic.nack), e.g. a "
                          "queue at its length limit with x-overflow = \"reject-publish\" (" +
                          where() + ")");
      break;
    }
    default:
      break;
    }
  }
  // A confirm may still come; this channel's state is unknown now.
  broken_ = true;
  if (blocked_)
    throw seam::error(what() + ": the broker is blocking publishers (connection.blocked: " +
                      *blocked_ + "; " + where() +
                      "): it raised a memory or disk alarm and takes no message until the alarm "
                      "clears. Free memory or disk space on the broker; `rabbitmqctl status` "
                      "lists its alarms.");
  throw seam::error(what() + ": the broker did not confirm the message" + dl.within() + " (" +
                    where() + "). It may be overloaded, paused or failing" +
                    (dl.host_bound() ? "." : "; raise `timeout` if it is only slow."));
}

uint64_t link::purge(const std::string &queue, const budget &dl) {
  doing what = [&] { return "purge queue " + quote(queue); };
  begin(dl);
  amqp_queue_purge_t m{};
  m.queue = view(queue);
  auto ok = rpc(AMQP_QUEUE_PURGE_METHOD, &m, {AMQP_QUEUE_PURGE_OK_METHOD}, dl, what,
                missing_queue_hint(queue));
  return static_cast<amqp_queue_purge_ok_t *>(ok.decoded)->message_count;
}

queue_stats link::depth(const std::string &queue, const budget &dl) {
  doing what = [&] { return "look up queue " + quote(queue); };
  begin(dl);
  amqp_queue_declare_t m{};
  m.queue = view(queue);
  m.passive = 1;
  auto ok = rpc(AMQP_QUEUE_DECLARE_METHOD, &m, {AMQP_QUEUE_DECLARE_OK_METHOD}, dl, what,
                missing_queue_hint(queue));
  auto *r = static_cast<amqp_queue_declare_ok_t *>(ok.decoded);
  return {r->message_count, r->consumer_count};
}

queue_stats link::declare_queue(const queue_spec &spec, const budget &dl) {
  doing what = [&] { return "declare queue " + quote(spec.name); };
  field_arena arena;
  amqp_queue_declare_t m{};
  try {
    m.arguments = arena.table(spec.arguments);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what() + ": arguments: " + e.what());
  }
  begin(dl);
  m.queue = view(spec.name);
  m.durable = spec.durable;
  m.auto_delete = spec.auto_delete;
  auto ok =
      rpc(AMQP_QUEUE_DECLARE_METHOD, &m, {AMQP_QUEUE_DECLARE_OK_METHOD}, dl, what, redeclare_hint);
  auto *r = static_cast<amqp_queue_declare_ok_t *>(ok.decoded);
  queue_stats stats{r->message_count, r->consumer_count};
  for (const auto &b : spec.bindings) {
    doing bwhat = [&] {
      return "bind queue " + quote(spec.name) + " to exchange " + quote(b.exchange) + " with key " +
             quote(b.key);
    };
    amqp_queue_bind_t bind{};
    try {
      bind.arguments = arena.table(b.arguments);
    } catch (const std::invalid_argument &e) {
      throw seam::error(bwhat() + ": arguments: " + e.what());
    }
    bind.queue = view(spec.name);
    bind.exchange = view(b.exchange);
    bind.routing_key = view(b.key);
    rpc(AMQP_QUEUE_BIND_METHOD, &bind, {AMQP_QUEUE_BIND_OK_METHOD}, dl, bwhat,
        "Declare the exchange first (list it before the queue in `declare`).");
  }
  return stats;
}

void link::declare_exchange(const exchange_spec &spec, const budget &dl) {
  doing what = [&] {
    return "declare exchange " + quote(spec.name) + " of type " + quote(spec.type);
  };
  field_arena arena;
  amqp_exchange_declare_t m{};
  try {
    m.arguments = arena.table(spec.arguments);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what() + ": arguments: " + e.what());
  }
  begin(dl);
  m.exchange = view(spec.name);
  m.type = view(spec.type);
  m.durable = spec.durable;
  m.auto_delete = spec.auto_delete;
  m.internal = spec.internal;
  rpc(AMQP_EXCHANGE_DECLARE_METHOD, &m, {AMQP_EXCHANGE_DECLARE_OK_METHOD}, dl, what,
      redeclare_hint);
}

uint64_t link::delete_queue(const std::string &queue, bool if_unused, bool if_empty,
                            const budget &dl) {
  doing what = [&] { return "delete queue " + quote(queue); };
  begin(dl);
  amqp_queue_delete_t m{};
  m.queue = view(queue);
  m.if_unused = if_unused;
  m.if_empty = if_empty;
  auto ok = rpc(AMQP_QUEUE_DELETE_METHOD, &m, {AMQP_QUEUE_DELETE_OK_METHOD}, dl, what);
  return static_cast<amqp_queue_delete_ok_t *>(ok.decoded)->message_count;
}

void link::delete_exchange(const std::string &exchange, bool if_unused, const budget &dl) {
  doing what = [&] { return "delete exchange " + quote(exchange); };
  begin(dl);
  amqp_exchange_delete_t m{};
  m.exchange = view(exchange);
  m.if_unused = if_unused;
  rpc(AMQP_EXCHANGE_DELETE_METHOD, &m, {AMQP_EXCHANGE_DELETE_OK_METHOD}, dl, what);
}

} // namespace seam::queue::amqp
