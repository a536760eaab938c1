// proxy.cpp - the fault proxy. Everything below runs on the proxy's one Asio
// thread, except the public calls, which hand their work to that thread and
// wait for it: no lock guards the connections or the faults.
//
// Each connection has two pumps, one per direction. A pump reads from its
// source and queues what it read with the time it may leave (latency); it
// writes the queue in pieces (slicer, bandwidth) to its destination. Black
// holes drop data as it arrives; resets are queued behind the data that may
// still pass, so that "after N bytes" means N bytes reach the other side.
#include "proxy.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <future>
#include <random>

namespace seam_net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using error_code = boost::system::error_code;

namespace {
// A pump stops reading while this much waits to be written (slow bandwidth).
constexpr size_t max_queued = 256 * 1024;
} // namespace

class connection : public std::enable_shared_from_this<connection> {
public:
  connection(proxy &owner, tcp::socket client)
      : owner_(owner), client_(std::move(client)),
        upstream_(owner.io_), pumps_{pump(client_, upstream_, up), pump(upstream_, client_, down)} {
  }

  void start() {
    asio::async_connect(upstream_, owner_.upstream_,
                        [self = shared_from_this()](const error_code &ec, const tcp::endpoint &) {
                          if (self->closed_)
                            return;
                          if (ec) {
                            ++self->owner_.stats_.upstream_errors;
                            self->refuse();
                            return;
                          }
                          error_code ignored;
                          self->client_.set_option(tcp::no_delay(true), ignored);
                          self->upstream_.set_option(tcp::no_delay(true), ignored);
                          // Writes are tried at once, on this thread (see write_next).
                          self->client_.non_blocking(true, ignored);
                          self->upstream_.non_blocking(true, ignored);
                          for (auto &p : self->pumps_)
                            self->read_next(p);
                        });
  }

  // The dependency is not there: end the service's connection with a FIN,
  // and read what it sent until it closes too. Closing at once would send a
  // RST whenever its request had already arrived: what the service sees
  // would depend on timing.
  void refuse() {
    error_code ignored;
    client_.shutdown(tcp::socket::shutdown_send, ignored);
    client_.async_read_some(asio::buffer(pumps_[0].buffer),
                            [self = shared_from_this()](const error_code &ec, size_t) {
                              if (self->closed_)
                                return;
                              if (ec)
                                self->close(false);
                              else
                                self->refuse();
                            });
  }

  // Closes both sides; `reset` sends RST rather than FIN.
  void close(bool reset) {
    if (closed_)
      return;
    closed_ = true;
    error_code ignored;
    for (tcp::socket *s : {&client_, &upstream_}) {
      if (reset && s->is_open())
        s->set_option(asio::socket_base::linger(true, 0), ignored);
      s->close(ignored);
    }
    for (auto &p : pumps_)
      p.timer.cancel();
    owner_.forget(this);
  }

private:
  struct chunk {
    enum kind_type { data, eof, reset } kind = data;
    std::vector<char> bytes;
    size_t offset = 0;
    clock_type::time_point due;
  };

  struct pump {
    pump(tcp::socket &from, tcp::socket &to, direction d)
        : src(&from), dst(&to), dir(d), timer(from.get_executor()) {}
    tcp::socket *src, *dst;
    direction dir;
    asio::steady_timer timer;
    std::array<char, 16384> buffer{};
    std::deque<chunk> queue;
    size_t queued = 0;
    bool reading = false, writing = false, source_done = false, done = false;
    uint64_t counted = 0, generation = 0; // bytes toward reset_peer, per fault change
    clock_type::time_point last_due, next_at;
  };

  const shaping &faults(const pump &p) const { return owner_.faults_.dir[p.dir]; }

  void read_next(pump &p) {
    if (closed_ || p.reading || p.source_done || p.queued > max_queued)
      return;
    p.reading = true;
    p.src->async_read_some(asio::buffer(p.buffer),
                           [self = shared_from_this(), &p](const error_code &ec, size_t n) {
                             p.reading = false;
                             if (!self->closed_)
                               self->on_read(p, ec, n);
                           });
  }

  void on_read(pump &p, const error_code &ec, size_t n) {
    const shaping &s = faults(p);
    if (ec == asio::error::eof) {
      p.source_done = true;
      if (s.blackhole) // nothing crosses a black hole, not even the end
        finish(p);
      else
        push(p, chunk{chunk::eof, {}, 0, due_time(p, s)});
      return;
    }
    if (ec) {
      // Pass a reset on as a reset: the other side sees what a direct
      // connection would have shown it.
      close(ec == asio::error::connection_reset);
      return;
    }
    if (s.blackhole) {
      read_next(p);
      return;
    }
    if (s.clean() && p.queue.empty() && !p.writing) {
      relay(p, n);
      return;
    }
    size_t take = n;
    bool reset = false;
    if (s.reset_after) {
      if (p.generation != owner_.generation_) {
        p.generation = owner_.generation_;
        p.counted = 0;
      }
      uint64_t limit = *s.reset_after;
      if (p.counted + n >= limit) {
        take = static_cast<size_t>(limit - std::min(limit, p.counted));
        reset = true;
      }
      p.counted += take;
    }
    auto due = due_time(p, s);
    if (take > 0)
      push(p,
           chunk{chunk::data, std::vector<char>(p.buffer.data(), p.buffer.data() + take), 0, due});
    if (reset) {
      p.source_done = true;
      push(p, chunk{chunk::reset, {}, 0, due});
      return;
    }
    read_next(p);
  }

  // No fault in this direction and nothing queued: the bytes read go out
  // at once from the read buffer, without a copy, a queue or a timer; only
  // what the socket does not take now is queued (and written when it can).
  void relay(pump &p, size_t n) {
    error_code ec;
    size_t sent = p.dst->write_some(asio::buffer(p.buffer.data(), n), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again)
      sent = 0;
    else if (ec) {
      close(false);
      return;
    }
    owner_.stats_.bytes[p.dir] += sent;
    if (sent < n)
      push(p, chunk{chunk::data, std::vector<char>(p.buffer.data() + sent, p.buffer.data() + n), 0,
                    clock_type::now()});
    read_next(p);
  }

  // When data read now may leave: after `latency` +/- `jitter`, never before
  // what was read earlier.
  clock_type::time_point due_time(pump &p, const shaping &s) {
    auto delay = s.latency;
    if (s.jitter.count() > 0) {
      std::uniform_int_distribution<int64_t> spread(-s.jitter.count(), s.jitter.count());
      delay = std::max(micros(0), delay + micros(spread(owner_.random_)));
    }
    p.last_due = std::max(p.last_due, clock_type::now() + delay);
    return p.last_due;
  }

  void push(pump &p, chunk c) {
    p.queued += c.bytes.size();
    p.queue.push_back(std::move(c));
    write_next(p);
  }

  void write_next(pump &p) {
    if (closed_ || p.writing || p.queue.empty())
      return;
    chunk &c = p.queue.front();
    auto at = std::max(c.due, p.next_at);
    if (at > clock_type::now()) {
      p.writing = true;
      p.timer.expires_at(at);
      p.timer.async_wait([self = shared_from_this(), &p](const error_code &ec) {
        p.writing = false;
        if (!ec && !self->closed_)
          self->write_next(p);
      });
      return;
    }
    if (c.kind == chunk::reset) {
      ++owner_.stats_.resets;
      close(true);
      return;
    }
    if (c.kind == chunk::eof) {
      p.queue.pop_front();
      error_code ignored;
      p.dst->shutdown(tcp::socket::shutdown_send, ignored);
      finish(p);
      return;
    }
    const shaping &s = faults(p);
    size_t piece = c.bytes.size() - c.offset;
    if (s.slice_size)
      piece = std::min<size_t>(piece, s.slice_size);
    if (s.bandwidth) // 20 ms worth at a time keeps the rate smooth
      piece = std::min<size_t>(piece, std::max<uint64_t>(1, s.bandwidth / 50));
    // A write that the socket takes at once is counted by the same handler
    // that made it: a net.stats call queued meanwhile already sees its bytes,
    // and no completion goes through the queue (less latency).
    error_code ec;
    size_t n = p.dst->write_some(asio::buffer(c.bytes.data() + c.offset, piece), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      p.writing = true;
      p.dst->async_wait(tcp::socket::wait_write,
                        [self = shared_from_this(), &p](const error_code &e) {
                          p.writing = false;
                          if (self->closed_)
                            return;
                          if (e)
                            self->close(false);
                          else
                            self->write_next(p);
                        });
      return;
    }
    on_written(p, ec, n);
  }

  void on_written(pump &p, const error_code &ec, size_t n) {
    if (ec) {
      close(false);
      return;
    }
    owner_.stats_.bytes[p.dir] += n;
    chunk &c = p.queue.front();
    c.offset += n;
    p.queued -= n;
    const shaping &s = faults(p);
    micros pause{0};
    if (s.slice_size)
      pause += s.slice_delay;
    if (s.bandwidth)
      pause += micros(static_cast<int64_t>(n * 1'000'000 / s.bandwidth));
    p.next_at = clock_type::now() + pause;
    if (c.offset == c.bytes.size())
      p.queue.pop_front();
    write_next(p);
    read_next(p);
  }

  void finish(pump &p) {
    p.done = true;
    if (pumps_[0].done && pumps_[1].done)
      close(false);
  }

  proxy &owner_;
  tcp::socket client_, upstream_;
  std::array<pump, 2> pumps_;
  bool closed_ = false;
};

seam::json proxy_stats::to_json() const {
  return {{"connections", {{"total", connections_total}, {"open", connections_open}}},
          {"bytes", {{"up", bytes[up]}, {"down", bytes[down]}}},
          {"upstream_errors", upstream_errors},
          {"resets", resets}};
}

proxy::proxy(const address &listen, const address &upstream, const std::string &name)
    : name_(name), host_(listen.host), work_(asio::make_work_guard(io_)), acceptor_(io_),
      retry_(io_), random_(std::random_device{}()) {
  tcp::resolver resolver(io_);
  error_code ec;
  auto listen_at = resolver.resolve(listen.host, std::to_string(listen.port),
                                    tcp::resolver::numeric_service, ec);
  if (ec || listen_at.empty())
    throw seam::error("net: resource " + name + ": cannot resolve the `listen` host '" +
                      listen.host + "' (" + ec.message() + ")");
  listen_ep_ = *listen_at.begin();
  if (upstream.port == 0)
    throw seam::error("net: resource " + name + ": `upstream` needs a port other than 0");
  upstream_text_ = upstream.host + ":" + std::to_string(upstream.port);
  upstream_ = resolver.resolve(upstream.host, std::to_string(upstream.port),
                               tcp::resolver::numeric_service, ec);
  if (ec || upstream_.empty())
    throw seam::error("net: resource " + name + ": cannot resolve the `upstream` host '" +
                      upstream.host + "' (" + ec.message() + "); hint: check the host name");
  try {
    open_acceptor();
  } catch (const boost::system::system_error &e) {
    throw seam::error("net: resource " + name + ": cannot listen on " + listen.host + ":" +
                      std::to_string(listen.port) + " (" + e.code().message() +
                      "); hint: use port 0 for a free port");
  }
  port_ = acceptor_.local_endpoint().port();
  listen_ep_.port(port_); // a `down` proxy comes back on the same port
  accept_next();
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (...) { // a handler that threw loses its connection, not the proxy
      }
    }
  });
}

proxy::~proxy() {
  try {
    call([this] {
      error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
      close_all(false);
    });
  } catch (...) {
  }
  // Every handler now sees its socket closed and ends; run() returns.
  work_.reset();
  thread_.join();
}

void proxy::call(std::function<void()> fn) {
  std::promise<void> done;
  asio::post(io_, [&] {
    try {
      fn();
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  done.get_future().get();
}

void proxy::open_acceptor() {
  acceptor_.open(listen_ep_.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(listen_ep_);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void proxy::accept_next() {
  acceptor_.async_accept([this](const error_code &ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open())
      return;
    if (ec) { // out of descriptors, say: try again soon rather than spin
      retry_.expires_after(std::chrono::milliseconds(10));
      retry_.async_wait([this](const error_code &e) {
        if (!e && acceptor_.is_open())
          accept_next();
      });
      return;
    }
    ++stats_.connections_total;
    auto c = std::make_shared<connection>(*this, std::move(socket));
    connections_.emplace(c.get(), c);
    c->start();
    accept_next();
  });
}

void proxy::forget(connection *c) { connections_.erase(c); }

void proxy::close_all(bool reset) {
  // close() takes each connection out of connections_: walk a copy.
  std::vector<std::shared_ptr<connection>> all;
  all.reserve(connections_.size());
  for (auto &[raw, c] : connections_)
    all.push_back(c);
  for (auto &c : all)
    c->close(reset);
}

void proxy::set_faults(const fault_state &state) {
  call([&] {
    bool was_down = faults_.down;
    faults_ = state;
    ++generation_;
    bool reset_now = false;
    for (const auto &s : state.dir)
      reset_now = reset_now || (s.reset_after && *s.reset_after == 0);
    if (state.down && !was_down) {
      error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
    }
    if (state.down || reset_now) {
      if (!state.down)
        stats_.resets += connections_.size();
      close_all(!state.down);
    }
    if (!state.down && was_down) {
      try {
        open_acceptor();
      } catch (const boost::system::system_error &e) {
        error_code ignored;
        acceptor_.close(ignored);
        faults_.down = true;
        throw seam::error("net: resource " + name_ + ": cannot listen on port " +
                          std::to_string(port_) + " again (" + e.code().message() + ")");
      }
      accept_next();
    }
  });
}

proxy_stats proxy::stats(bool reset) {
  proxy_stats out;
  call([&] {
    out = stats_;
    out.connections_open = connections_.size();
    if (reset)
      stats_ = proxy_stats{};
  });
  return out;
}

} // namespace seam_net
