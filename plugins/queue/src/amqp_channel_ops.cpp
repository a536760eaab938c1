// amqp_channel_ops.cpp - what steps do on a link's channel: publish with
// publisher confirms, declare and delete queues and exchanges, purge a queue
// and look up its depth. Consuming is in amqp_consume.cpp.
#include "amqp_link.hpp"

#include "amqp_fields.hpp"
#include "amqp_text.hpp"

#include <stdexcept>

namespace seam::queue::amqp {

namespace {

const std::string redeclare_hint =
    "It exists with other settings (durable, auto_delete, type or arguments): declare it "
    "the same way, or delete it first (queue.delete).";

// A declare's or bind's `arguments` as a field table in `arena`.
amqp_table_t arguments(field_arena &arena, const json &args, const doing &what) {
  try {
    return arena.table(args);
  } catch (const std::invalid_argument &e) {
    throw seam::error(what() + ": arguments: " + e.what());
  }
}

} // namespace

void link::publish(const publish_request &rq, const budget &dl) {
  doing what = [&rq] {
    return rq.exchange.empty() ? "publish to queue " + quote(rq.routing_key) + " (default exchange)"
                               : "publish to exchange " + quote(rq.exchange) +
                                     " with routing key " + quote(rq.routing_key);
  };
  field_arena arena;
  amqp_basic_properties_t props = to_amqp(rq.msg.properties, rq.msg.headers, arena);
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
                    where() + "). It may be overloaded, paused or failing" + dl.slow_hint());
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
  m.arguments = arguments(arena, spec.arguments, what);
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
    bind.arguments = arguments(arena, b.arguments, bwhat);
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
  m.arguments = arguments(arena, spec.arguments, what);
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
