// amqp_connection.cpp - a link's connection to the broker: the amqp:// URL,
// the TCP connection within the deadline, the login (watched for Ctrl-C),
// the goodbye, and the check of an idle pooled connection.
#include "amqp_link.hpp"

#include "amqp_text.hpp"
#include "amqp_wait.hpp"

#include <amqp_tcp_socket.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

namespace seam::queue::amqp {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

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
        int n = poll(&p, 1, static_cast<int>(next_slice(dl).count()));
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

} // namespace seam::queue::amqp
