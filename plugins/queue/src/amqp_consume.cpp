// amqp_consume.cpp - queue.consume on one link: consumers whose prefetch is
// what the step still needs (so that other messages stay in the queue
// untouched), deliveries read frame by frame against the step's deadline,
// and a settle that the next step can rely on.
//
// Settling: acknowledging is enough for messages the step keeps, but a
// basic.nack with requeue is asynchronous in RabbitMQ - a queue.depth right
// after it may not count the message yet, even after another round trip on
// the channel. Closing the channel is synchronous: the broker puts the
// channel's unacknowledged messages back into their queues before it sends
// channel.close-ok. So whenever something goes back, the channel is closed
// (and reopened by the next step).
#include "amqp_link.hpp"

#include "amqp_fields.hpp"
#include "amqp_text.hpp"

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace seam::queue::amqp {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

bool same(amqp_bytes_t a, const std::string &b) {
  return a.len == b.size() && (a.len == 0 || std::memcmp(a.bytes, b.data(), a.len) == 0);
}

// The part of a consume's time kept to put messages back before its
// deadline: a round trip or two, on a slow network too.
milliseconds settle_reserve(milliseconds budget) { return std::clamp(budget / 10, 2ms, 250ms); }

// One message as its frames arrive: basic.deliver, a content header, body
// frames until the header's body size.
struct incoming {
  bool active = false; // a basic.deliver came; its content is being read
  bool ours = false;   // for a consumer of this step
  bool have_header = false;
  uint64_t delivery_tag = 0;
  size_t size = 0;
  message msg;

  void start(const amqp_basic_deliver_t &d, bool for_us) {
    active = true;
    ours = for_us;
    have_header = false;
    delivery_tag = d.delivery_tag;
    size = 0;
    if (!for_us)
      return;
    // One message object for the whole consume: its body and names keep
    // their capacity (headers and properties come with the content header).
    msg.body.clear();
    msg.exchange.assign(as_view(d.exchange));
    msg.routing_key.assign(as_view(d.routing_key));
    msg.redelivered = d.redelivered != 0;
  }
  // True when the message is complete.
  bool header(const amqp_frame_t &f) {
    have_header = true;
    size = static_cast<size_t>(f.payload.properties.body_size);
    if (ours) {
      const auto &p = *static_cast<const amqp_basic_properties_t *>(f.payload.properties.decoded);
      msg.headers = headers_of(p);
      msg.properties = properties_of(p);
      msg.body.reserve(size);
    }
    return size == 0;
  }
  bool body(const amqp_frame_t &f) {
    const auto &b = f.payload.body_fragment;
    if (ours)
      msg.body.append(static_cast<const char *>(b.bytes), b.len);
    size -= std::min(size, b.len);
    return size == 0;
  }
};

} // namespace

std::string link::start_consumer(const std::string &queue, uint16_t prefetch, const budget &dl,
                                 const doing &what) {
  // Per-consumer prefetch: the broker sends no more than we still need, so
  // the other messages stay in the queue untouched.
  if (prefetch_ != prefetch) {
    amqp_basic_qos_t qos{};
    qos.prefetch_count = prefetch;
    rpc(AMQP_BASIC_QOS_METHOD, &qos, {AMQP_BASIC_QOS_OK_METHOD}, dl, what);
    prefetch_ = prefetch;
  }
  amqp_basic_consume_t m{};
  m.queue = view(queue);
  auto ok = rpc(AMQP_BASIC_CONSUME_METHOD, &m, {AMQP_BASIC_CONSUME_OK_METHOD}, dl, what,
                missing_queue_hint(queue));
  return to_string(static_cast<amqp_basic_consume_ok_t *>(ok.decoded)->consumer_tag);
}

consume_result link::consume(const consume_request &rq, const budget &dl) {
  doing what = [&rq] { return "consume from queue " + quote(rq.queue); };
  begin(dl);
  // Waiting for messages ends a little before the deadline, so that putting
  // them back fits in the step's time.
  const budget wait = dl.minus(settle_reserve(dl.left()));
  consume_result out;
  const size_t need = rq.count;
  std::vector<uint64_t> accepted;
  size_t strays = 0; // deliveries to no consumer of this step (kept unacknowledged)
  swallowed_ = 0;
  auto still_needed = [&] {
    return static_cast<uint16_t>(std::min<size_t>(need - out.kept, 65535));
  };
  std::vector<std::string> tags; // this step's consumers, the last one active
  auto cancel = [&] {
    amqp_basic_cancel_t m{};
    m.consumer_tag = view(tags.back());
    rpc(AMQP_BASIC_CANCEL_METHOD, &m, {AMQP_BASIC_CANCEL_OK_METHOD}, dl, what);
  };

  try {
    uint16_t generation = still_needed();
    size_t delivered = 0;
    tags.push_back(start_consumer(rq.queue, generation, dl, what));
    incoming in;
    amqp_frame_t f;
    while (out.kept < need && next_frame(f, wait, what)) {
      if (f.channel != channel_)
        continue;
      bool complete = false;
      if (f.frame_type == AMQP_FRAME_METHOD) {
        switch (f.payload.method.id) {
        case AMQP_BASIC_DELIVER_METHOD: {
          const auto &d = *static_cast<amqp_basic_deliver_t *>(f.payload.method.decoded);
          in.start(d, same(d.consumer_tag, tags.back()));
          continue;
        }
        case AMQP_CHANNEL_CLOSE_METHOD:
          on_channel_close(f, what, missing_queue_hint(rq.queue));
        case AMQP_BASIC_CANCEL_METHOD:
          throw seam::error(what() + " failed: the broker cancelled the consumer (was the "
                                     "queue deleted meanwhile?)");
        default:
          continue;
        }
      } else if (f.frame_type == AMQP_FRAME_HEADER && in.active && !in.have_header) {
        complete = in.header(f);
      } else if (f.frame_type == AMQP_FRAME_BODY && in.active && in.have_header) {
        complete = in.body(f);
      }
      if (!complete)
        continue;
      in.active = false;
      if (!in.ours) {
        ++strays;
        continue;
      }
      if (!rq.accept || rq.accept(to_json(in.msg))) {
        if (rq.keep)
          rq.keep(in.msg);
        ++out.kept;
        accepted.push_back(in.delivery_tag);
      } else {
        ++out.others;
      }
      amqp_maybe_release_buffers(conn_);
      // Messages that did not match hold this consumer's prefetch: go on
      // with a fresh consumer (the held ones stay unacknowledged with us).
      if (++delivered == generation && out.kept < need) {
        cancel();
        generation = still_needed();
        delivered = 0;
        tags.push_back(start_consumer(rq.queue, generation, dl, what));
      }
    }
    out.timed_out = out.kept < need;
    bool keep = !out.timed_out && rq.mode != settle::requeue;

    if (keep && out.others == 0 && strays == 0 && swallowed_ == 0) {
      // Everything delivered is kept, and the consumer's prefetch is used
      // up, so nothing more arrives: cancel, then settle all at once.
      cancel();
      amqp_basic_ack_t ack{};
      amqp_basic_nack_t reject{};
      if (rq.mode == settle::ack) {
        ack.delivery_tag = accepted.back();
        ack.multiple = 1;
        send(AMQP_BASIC_ACK_METHOD, &ack, what);
      } else {
        reject.delivery_tag = accepted.back();
        reject.multiple = 1;
        send(AMQP_BASIC_NACK_METHOD, &reject, what);
      }
      if (rq.mode == settle::ack)
        return out;
      // Rejected messages move to the dead-letter exchange when the queue
      // handles the nack; closing the channel waits for that too.
    } else if (keep) {
      for (uint64_t tag : accepted) {
        if (rq.mode == settle::ack) {
          amqp_basic_ack_t ack{};
          ack.delivery_tag = tag;
          send(AMQP_BASIC_ACK_METHOD, &ack, what);
        } else {
          amqp_basic_nack_t reject{};
          reject.delivery_tag = tag;
          send(AMQP_BASIC_NACK_METHOD, &reject, what);
        }
      }
    }
    // The rest goes back: close the channel while the consumer is still on
    // it, and wait for the broker to confirm.
    if (out.timed_out) {
      try {
        close_channel(dl, what);
      } catch (const no_answer_error &) {
        out.trouble = "The broker then did not answer when the step stopped consuming (" + where() +
                      "): it may be overloaded, paused or failing. It returns the messages the "
                      "step held to the queue when it notices that the connection closed.";
      } catch (const seam::error &e) {
        out.trouble = std::string("Stopping the consumer then failed: ") + e.what();
      }
      // The step waits its whole timeout, as configured. When that is the
      // host's, its clock must run out too, so that it reports the time-out
      // (with the step's timeout, which it knows).
      while (!dl.passed())
        std::this_thread::sleep_for(std::clamp(dl.left(), 1ms, 20ms));
    } else {
      close_channel(dl, what);
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

} // namespace seam::queue::amqp
