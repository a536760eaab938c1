// steps.cpp - the queue.* steps: read the step's input, ask the driver,
// shape the output. Nothing here knows which broker is behind the driver.
#include "steps.hpp"

#include <chrono>
#include <string>
#include <variant>

namespace seam::queue {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr milliseconds default_timeout = 5s;

std::string quote(const std::string &s) { return "\"" + s + "\""; }

// The host has checked the input against the step's schema before the call
// (types, required fields, the duration pattern): what is read here is there
// and of the right type, or absent.
milliseconds duration_input(seam::json_view in, const char *key, milliseconds fallback) {
  seam::json_view v = in[key];
  if (v.missing())
    return fallback;
  auto d = seam::parse_duration(v.get_string());
  if (!d) // the schema's pattern admits only what parse_duration reads
    throw seam::error(std::string(key) + ": \"" + std::string(v.get_string()) +
                      "\" is not a duration");
  return std::chrono::duration_cast<milliseconds>(*d);
}

budget step_deadline(seam::json_view in, const seam::context &ctx) {
  return budget(duration_input(in, "timeout", default_timeout), ctx.deadline());
}

std::vector<binding> bindings_input(const json &entry) {
  std::vector<binding> out;
  if (!entry.contains("bind"))
    return out;
  json list = entry["bind"].is_array() ? entry["bind"] : json::array({entry["bind"]});
  for (const auto &b : list) {
    binding x;
    x.exchange = b.value("exchange", "");
    x.key = b.value("key", "");
    x.arguments = b.value("arguments", json::object());
    out.push_back(std::move(x));
  }
  return out;
}

using topology = std::variant<queue_spec, exchange_spec>;

// One `declare` entry: { exchange = "events", type = "topic" } or
// { queue = "emails", bind = { exchange = "events", key = "order.*" } }.
// The schema makes it one or the other, with a non-empty name.
topology topology_input(const json &entry) {
  if (entry.contains("exchange")) {
    exchange_spec s;
    s.name = entry.value("exchange", "");
    s.type = entry.value("type", "direct");
    s.durable = entry.value("durable", true);
    s.auto_delete = entry.value("auto_delete", false);
    s.internal = entry.value("internal", false);
    s.arguments = entry.value("arguments", json::object());
    return s;
  }
  queue_spec s;
  s.name = entry.value("queue", "");
  s.durable = entry.value("durable", true);
  s.auto_delete = entry.value("auto_delete", false);
  s.arguments = entry.value("arguments", json::object());
  s.bindings = bindings_input(entry);
  return s;
}

settle settle_input(const json &in) {
  if (!in.contains("ack"))
    return settle::ack;
  const auto &v = in["ack"];
  if (v.is_boolean())
    return v.get<bool>() ? settle::ack : settle::requeue;
  if (v.is_string()) {
    const auto &s = v.get_ref<const std::string &>();
    if (s == "ack")
      return settle::ack;
    if (s == "nack" || s == "requeue")
      return settle::requeue;
    if (s == "reject")
      return settle::reject;
  }
  // The schema admits nothing else.
  throw seam::error("ack: " + v.dump() + " is none of true, false, ack, nack, requeue, reject");
}

std::string plural(size_t n, const char *one, const char *many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

std::unique_ptr<bus> open_bus(const std::string &name, const json &config,
                              const seam::context &ctx) {
  driver_config dc;
  dc.resource = name;
  dc.url = config["url"].get<std::string>();
  auto [masked, password] = mask_url(dc.url);
  if (!password.empty())
    ctx.add_secret(password);
  dc.masked_url = masked;
  dc.options = config;
  dc.connect_timeout = duration_input(seam::json_view(config), "connect_timeout", default_timeout);
  std::string scheme = url_scheme(dc.url);
  const driver_entry *entry = find_driver(scheme);
  if (entry == nullptr)
    throw seam::error("resource " + quote(name) + ": url " + quote(masked) +
                      (scheme.empty() ? ": no scheme" : ": unknown scheme " + quote(scheme)) +
                      "; the queue plugin speaks " + known_schemes());

  auto b = std::make_unique<bus>();
  b->name = name;
  b->broker = entry->make(dc, ctx);

  if (config.contains("declare")) {
    const auto &list = config["declare"];
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = "resource " + quote(name) + ": declare[" + std::to_string(i) + "]: ";
      topology t = topology_input(list[i]);
      budget dl(dc.connect_timeout + 5s, ctx.deadline());
      try {
        if (auto *q = std::get_if<queue_spec>(&t))
          b->broker->declare_queue(*q, dl);
        else
          b->broker->declare_exchange(std::get<exchange_spec>(t), dl);
      } catch (const seam::error &e) {
        throw seam::error(at + e.what());
      }
    }
  }
  ctx.publish({{"url", dc.url}, {"scheme", scheme}});
  return b;
}

seam::json_text publish_step(bus &b, seam::json_view in, seam::context &ctx) {
  publish_request rq;
  rq.exchange = in.value("exchange", "");
  bool has_queue = in.contains("queue"), has_key = in.contains("routing_key");
  if (has_queue && has_key)
    throw seam::error("give either queue (send straight to a queue) or routing_key (with "
                      "exchange), not both");
  if (has_queue) {
    if (!rq.exchange.empty())
      throw seam::error("queue sends through the default exchange \"\"; with exchange = " +
                        quote(rq.exchange) + " give routing_key instead");
    rq.routing_key = in.value("queue", "");
  } else if (has_key) {
    rq.routing_key = in.value("routing_key", "");
  } else if (rq.exchange.empty()) {
    throw seam::error("say where the message goes: queue = \"NAME\", or exchange = \"NAME\" "
                      "and routing_key = \"KEY\"");
  }
  seam::json_view json_body = in["json"], b64 = in["body_base64"], text = in["body"];
  if (!json_body.missing() + !b64.missing() + !text.missing() > 1)
    throw seam::error("give one of json (a value sent as JSON), body (text) or body_base64 "
                      "(bytes), not several");
  try {
    rq.msg.properties = read_properties(in["properties"]);
  } catch (const std::invalid_argument &e) {
    throw seam::error(e.what());
  }
  if (!json_body.missing()) {
    rq.msg.body = seam::json_builder().value(json_body).take().str();
    if (!rq.msg.properties.content_type)
      rq.msg.properties.content_type = "application/json";
  } else if (!b64.missing()) {
    auto bytes = base64_decode(b64.get_string());
    if (!bytes)
      throw seam::error("body_base64: expected base64 text (RFC 4648, e.g. \"3q2+7w==\"), got " +
                        seam::write_json(b64.to_json()));
    rq.msg.body = std::move(*bytes);
  } else {
    rq.msg.body = in.value("body", "");
  }
  if (seam::json_view h = in["headers"]; !h.missing())
    rq.msg.headers = h.to_json();
  rq.mandatory = in.value("mandatory", true);
  budget dl = step_deadline(in, ctx);
  b.broker->publish(rq, dl);
  // Keys in sorted order, as a tree would write them.
  seam::json_builder out;
  out.begin_object();
  out.key("bytes").value(rq.msg.body.size());
  out.key("confirmed").value(true);
  out.key("exchange").value(rq.exchange);
  if (rq.msg.properties.message_id)
    out.key("message_id").value(*rq.msg.properties.message_id);
  out.key("routing_key").value(rq.routing_key);
  out.end_object();
  return out.take();
}

seam::json_text consume_step(bus &b, const json &in, seam::context &ctx) {
  consume_request rq;
  rq.queue = in.value("queue", "");
  rq.count = in.value("count", size_t{1});
  json match = in.value("match", json::object());
  if (!match.empty())
    rq.accept = [&](const json &doc) { return ctx.match(match, doc); };
  rq.mode = settle_input(in);
  // The messages are written into the output as they arrive, while the
  // broker sends the next ones. The output's keys are not in sorted order
  // (its readers look them up by name): the list comes first, as its count
  // is known only at its end, and is not copied into place once complete -
  // for 10,000 messages a fresh 3 MB buffer.
  seam::json_builder out;
  out.begin_object();
  out.key("messages").begin_array();
  rq.keep = [&out](const message &m) { write_message(out, m); };
  budget dl = step_deadline(seam::json_view(in), ctx);
  consume_result r = b.broker->consume(rq, dl);
  if (r.timed_out) {
    std::string wanted = plural(rq.count, "message", "messages");
    if (!match.empty())
      wanted += " matching " + match.dump();
    std::string got = match.empty()
                          ? plural(r.kept, "message", "messages") + " arrived"
                          : plural(r.kept, "matching message", "matching messages") + " arrived, " +
                                plural(r.others, "other", "others") + " did not match";
    // When the host's deadline cut the wait short, the host says "timed
    // out after ..." with the step's configured timeout itself.
    std::string waited =
        dl.host_bound() ? "waiting for " : "timed out after " + dl.describe() + " waiting for ";
    throw seam::error(waited + wanted + " on queue " + quote(rq.queue) + ": " + got + ". " +
                      (r.trouble.empty() ? "Every message was left in the queue." : r.trouble));
  }
  out.end_array();
  out.key("count").value(r.kept);
  out.key("skipped").value(r.others);
  out.end_object();
  return out.take();
}

json purge_step(bus &b, const json &in, seam::context &ctx) {
  std::string queue = in.value("queue", "");
  budget dl = step_deadline(seam::json_view(in), ctx);
  return {{"queue", queue}, {"purged", b.broker->purge(queue, dl)}};
}

json depth_step(bus &b, const json &in, seam::context &ctx) {
  std::string queue = in.value("queue", "");
  budget dl = step_deadline(seam::json_view(in), ctx);
  queue_stats s = b.broker->depth(queue, dl);
  return {{"queue", queue}, {"messages", s.messages}, {"consumers", s.consumers}};
}

json declare_step(bus &b, const json &in, seam::context &ctx) {
  json entry = in;
  entry.erase("timeout");
  topology t = topology_input(entry);
  budget dl = step_deadline(seam::json_view(in), ctx);
  if (auto *q = std::get_if<queue_spec>(&t)) {
    queue_stats s = b.broker->declare_queue(*q, dl);
    return {{"queue", q->name}, {"messages", s.messages}, {"consumers", s.consumers}};
  }
  const auto &x = std::get<exchange_spec>(t);
  b.broker->declare_exchange(x, dl);
  return {{"exchange", x.name}, {"type", x.type}};
}

json delete_step(bus &b, const json &in, seam::context &ctx) {
  bool q = in.contains("queue"); // the schema makes it queue or exchange
  budget dl = step_deadline(seam::json_view(in), ctx);
  bool if_unused = in.value("if_unused", false);
  if (q) {
    std::string name = in.value("queue", "");
    uint64_t n = b.broker->delete_queue(name, if_unused, in.value("if_empty", false), dl);
    return {{"queue", name}, {"messages", n}};
  }
  if (in.contains("if_empty"))
    throw seam::error("if_empty applies to queues only");
  std::string name = in.value("exchange", "");
  b.broker->delete_exchange(name, if_unused, dl);
  return {{"exchange", name}};
}

} // namespace seam::queue
