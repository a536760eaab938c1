// amqp_driver.cpp - the amqp:// driver: a pool of links (connection +
// channel) so that steps of tests running in parallel do not wait for each
// other, and so that a broker restart costs one reconnect, not a failed run.
#include "amqp_link.hpp"

#include <mutex>
#include <utility>
#include <vector>

namespace seam::queue {

namespace {

class amqp_driver final : public driver {
public:
  amqp_driver(amqp::endpoint ep, std::chrono::milliseconds connect_timeout)
      : ep_(std::move(ep)), connect_timeout_(connect_timeout) {}

  // Opens the first link now: a wrong URL or password fails at resource open.
  void connect_now(const seam::context &ctx) {
    budget dl(connect_timeout_, ctx.deadline());
    release(amqp::link::connect(ep_, dl));
  }

  void publish(const publish_request &rq, const budget &dl) override {
    with_link(dl, [&](amqp::link &l) { l.publish(rq, dl); });
  }
  consume_result consume(const consume_request &rq, const budget &dl) override {
    consume_result r;
    with_link(dl, [&](amqp::link &l) { r = l.consume(rq, dl); });
    return r;
  }
  uint64_t purge(const std::string &queue, const budget &dl) override {
    uint64_t n = 0;
    with_link(dl, [&](amqp::link &l) { n = l.purge(queue, dl); });
    return n;
  }
  queue_stats depth(const std::string &queue, const budget &dl) override {
    queue_stats s;
    with_link(dl, [&](amqp::link &l) { s = l.depth(queue, dl); });
    return s;
  }
  queue_stats declare_queue(const queue_spec &spec, const budget &dl) override {
    queue_stats s;
    with_link(dl, [&](amqp::link &l) { s = l.declare_queue(spec, dl); });
    return s;
  }
  void declare_exchange(const exchange_spec &spec, const budget &dl) override {
    with_link(dl, [&](amqp::link &l) { l.declare_exchange(spec, dl); });
  }
  uint64_t delete_queue(const std::string &queue, bool if_unused, bool if_empty,
                        const budget &dl) override {
    uint64_t n = 0;
    with_link(dl, [&](amqp::link &l) { n = l.delete_queue(queue, if_unused, if_empty, dl); });
    return n;
  }
  void delete_exchange(const std::string &exchange, bool if_unused, const budget &dl) override {
    with_link(dl, [&](amqp::link &l) { l.delete_exchange(exchange, if_unused, dl); });
  }

private:
  template <class Fn> void with_link(const budget &dl, Fn &&fn) {
    std::unique_ptr<amqp::link> l = acquire(dl);
    try {
      fn(*l);
    } catch (...) {
      release(std::move(l));
      throw;
    }
    release(std::move(l));
  }

  std::unique_ptr<amqp::link> acquire(const budget &dl) {
    for (;;) {
      std::unique_ptr<amqp::link> l;
      {
        std::lock_guard lock(mutex_);
        if (idle_.empty())
          break;
        l = std::move(idle_.back());
        idle_.pop_back();
      }
      // A link the broker closed while it sat in the pool (a restart, an
      // idle timeout) is dropped here; the step gets a fresh one.
      if (l->idle_healthy())
        return l;
    }
    // The broker answered before: whatever fails now is about getting back
    // to it, not about the URL.
    std::string where = " (resource \"" + ep_.resource + "\", " + ep_.masked_url + ")";
    budget connect_dl = dl.capped(connect_timeout_);
    try {
      return amqp::link::connect(ep_, connect_dl);
    } catch (const amqp::unreachable_error &e) {
      throw seam::error(std::string("cannot reach the broker again: ") + e.what() + where);
    } catch (const amqp::handshake_timeout &) {
      throw seam::error("cannot reach the broker again: " + ep_.address() +
                        " accepted the connection but did not answer the AMQP handshake" +
                        connect_dl.within() + where +
                        ". It answered before, so it is overloaded, paused or shutting down.");
    }
  }

  void release(std::unique_ptr<amqp::link> l) {
    if (!l || !l->usable())
      return;
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(l));
  }

  amqp::endpoint ep_;
  std::chrono::milliseconds connect_timeout_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<amqp::link>> idle_;
};

} // namespace

std::unique_ptr<driver> make_amqp_driver(const driver_config &config, const seam::context &ctx) {
  auto ep = amqp::parse_endpoint(config);
  std::string address = ep.address();
  auto d = std::make_unique<amqp_driver>(std::move(ep), config.connect_timeout);
  try {
    d->connect_now(ctx);
  } catch (const amqp::unreachable_error &e) {
    // seam run --skip-unavailable skips the suites of a broker that is not running.
    throw seam::unavailable(std::string(e.what()) + " (resource \"" + config.resource + "\", " +
                            config.masked_url +
                            "). Is the broker running? tools/rabbitmq start DIR starts one.");
  } catch (const amqp::handshake_timeout &e) {
    throw seam::error("resource \"" + config.resource + "\" (" + config.masked_url +
                      "): " + e.what() + ". Is " + address +
                      " an AMQP 0-9-1 broker (RabbitMQ), and is it not overloaded?");
  } catch (const seam::error &e) {
    throw seam::error("resource \"" + config.resource + "\" (" + config.masked_url +
                      "): " + e.what());
  }
  return d;
}

} // namespace seam::queue
