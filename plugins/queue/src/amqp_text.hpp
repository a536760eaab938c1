// amqp_text.hpp - how the AMQP link's messages word names, the broker's
// replies and their hints, the same in every file of the link.
#ifndef SEAM_QUEUE_AMQP_TEXT_HPP
#define SEAM_QUEUE_AMQP_TEXT_HPP

#include "amqp_fields.hpp"

#include <cstdint>
#include <string>

namespace seam::queue::amqp {

inline std::string quote(const std::string &s) { return "\"" + s + "\""; }

// The broker's reply text, or its code when it sent none.
inline std::string reply_text(uint16_t code, amqp_bytes_t text) {
  std::string t = to_string(text);
  if (t.empty())
    t = "reply code " + std::to_string(code);
  return t;
}

// "text" + ". " + "more", without doubling a full stop the broker wrote.
inline std::string then(std::string text, const std::string &more) {
  if (more.empty())
    return text;
  if (text.empty() || text.back() != '.')
    text += '.';
  return text + " " + more;
}

// For a 404 on a queue the step names.
inline std::string missing_queue_hint(const std::string &queue) {
  return "Is the queue name " + quote(queue) +
         " right? Declare the queue in the resource's `declare` list or with queue.declare.";
}

} // namespace seam::queue::amqp

#endif // SEAM_QUEUE_AMQP_TEXT_HPP
