// plain_loop.cpp - the baseline for bench/queue/run: what a hand-written
// rabbitmq-c program does for the same work as the benchmark suite.
//
//   plain_loop URL QUEUE COUNT
//
// Declares QUEUE, publishes COUNT JSON messages to QUEUE (default exchange), each waiting for
// its publisher confirm, then consumes COUNT messages (prefetch COUNT, one
// multiple ack at the end) and checks each body. Prints
// "publish_ms=... consume_ms=... total_ms=..." (total includes connecting).
#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

[[noreturn]] void die(const char *what) {
  std::fprintf(stderr, "plain_loop: %s\n", what);
  std::exit(1);
}

void check(amqp_rpc_reply_t r, const char *what) {
  if (r.reply_type != AMQP_RESPONSE_NORMAL)
    die(what);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4)
    die("usage: plain_loop URL QUEUE COUNT");
  std::string url = argv[1];
  std::string queue = argv[2];
  long count = std::atol(argv[3]);

  auto start = clock_type::now();
  amqp_connection_info info;
  if (amqp_parse_url(url.data(), &info) != AMQP_STATUS_OK)
    die("bad url");
  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t *socket = amqp_tcp_socket_new(conn);
  if (amqp_socket_open(socket, info.host, info.port) != AMQP_STATUS_OK)
    die("cannot connect");
  check(
      amqp_login(conn, info.vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, info.user, info.password),
      "login");
  const amqp_channel_t ch = 1;
  amqp_channel_open(conn, ch);
  check(amqp_get_rpc_reply(conn), "channel.open");
  amqp_confirm_select(conn, ch);
  check(amqp_get_rpc_reply(conn), "confirm.select");

  amqp_queue_declare(conn, ch, amqp_cstring_bytes(queue.c_str()), 0, 0, 0, 0, amqp_empty_table);
  check(amqp_get_rpc_reply(conn), "queue.declare");

  // Publish, one confirm at a time (what a test step does).
  auto publish_start = clock_type::now();
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG;
  props.content_type = amqp_cstring_bytes("application/json");
  for (long i = 1; i <= count; ++i) {
    std::string body =
        "{\"order_id\":\"ord_" + std::to_string(i) + "\",\"n\":" + std::to_string(i) + "}";
    amqp_bytes_t b{body.size(), body.data()};
    if (amqp_basic_publish(conn, ch, amqp_empty_bytes, amqp_cstring_bytes(queue.c_str()), 1, 0,
                           &props, b) != AMQP_STATUS_OK)
      die("publish");
    for (;;) {
      amqp_frame_t f;
      if (amqp_simple_wait_frame(conn, &f) != AMQP_STATUS_OK)
        die("wait for confirm");
      if (f.frame_type != AMQP_FRAME_METHOD)
        continue;
      if (f.payload.method.id == AMQP_BASIC_ACK_METHOD) {
        auto *a = static_cast<amqp_basic_ack_t *>(f.payload.method.decoded);
        if (a->delivery_tag >= static_cast<uint64_t>(i))
          break;
      } else if (f.payload.method.id == AMQP_BASIC_RETURN_METHOD ||
                 f.payload.method.id == AMQP_BASIC_NACK_METHOD) {
        die("message returned or refused");
      }
    }
    amqp_maybe_release_buffers(conn);
  }
  double publish_ms = ms_since(publish_start);

  // Consume them all.
  auto consume_start = clock_type::now();
  uint16_t prefetch = static_cast<uint16_t>(count > 65535 ? 65535 : count);
  amqp_basic_qos(conn, ch, 0, prefetch, 0);
  check(amqp_get_rpc_reply(conn), "basic.qos");
  auto *ok = amqp_basic_consume(conn, ch, amqp_cstring_bytes(queue.c_str()), amqp_empty_bytes, 0, 0,
                                0, amqp_empty_table);
  check(amqp_get_rpc_reply(conn), "basic.consume");
  std::string tag(static_cast<char *>(ok->consumer_tag.bytes), ok->consumer_tag.len);
  uint64_t last = 0;
  for (long i = 1; i <= count; ++i) {
    amqp_maybe_release_buffers(conn);
    amqp_envelope_t env;
    check(amqp_consume_message(conn, &env, nullptr, 0), "consume");
    std::string body(static_cast<char *>(env.message.body.bytes), env.message.body.len);
    std::string want = "\"order_id\":\"ord_" + std::to_string(i) + "\"";
    if (body.find(want) == std::string::npos)
      die("unexpected message");
    last = env.delivery_tag;
    amqp_destroy_envelope(&env);
  }
  amqp_basic_cancel(conn, ch, amqp_cstring_bytes(tag.c_str()));
  check(amqp_get_rpc_reply(conn), "basic.cancel");
  if (amqp_basic_ack(conn, ch, last, 1) != AMQP_STATUS_OK)
    die("ack");
  double consume_ms = ms_since(consume_start);
  amqp_queue_delete(conn, ch, amqp_cstring_bytes(queue.c_str()), 0, 0);
  check(amqp_get_rpc_reply(conn), "queue.delete");

  amqp_channel_close(conn, ch, AMQP_REPLY_SUCCESS);
  amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
  std::printf("publish_ms=%.1f consume_ms=%.1f total_ms=%.1f\n", publish_ms, consume_ms,
              ms_since(start));
  return 0;
}
