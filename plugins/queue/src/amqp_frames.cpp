// amqp_frames.cpp - the plumbing under a link's channel: the frame loop
// every wait goes through, methods sent and their replies awaited, the
// channel opened and closed, and how the broker's refusals and a lost
// connection are reported.
#include "amqp_link.hpp"

#include "amqp_text.hpp"
#include "amqp_wait.hpp"

#include <algorithm>

namespace seam::queue::amqp {

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
                        "). It may be overloaded, paused or failing" + dl.slow_hint());
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
    timeval tv = to_timeval(next_slice(dl));
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

} // namespace seam::queue::amqp
