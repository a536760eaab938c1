// Fuzz target: the queue plugin's input handling. The input is JSON
// {"url": ..., "headers": {...}, "properties": {...}, "body": ...}:
// - the URL goes through the scheme and password masking, the amqp:// parser,
//   and the plugin's C entry point (resource open) when it is refused before
//   connecting or names 127.0.0.1:1 (a closed port): no other host is tried;
// - headers and properties become AMQP field tables and basic properties,
//   read back as a consumer reads them: the same JSON must come out;
// - body text is base64-encoded and decoded back.
#include "amqp_fields.hpp"
#include "amqp_link.hpp"
#include "driver.hpp"
#include "plugin_fuzz.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

using seam_fuzz::json;
namespace q = seam::queue;

namespace {

void url(const std::string &text) {
  static seam_fuzz::loaded_plugin *queue = new seam_fuzz::loaded_plugin(SEAM_QUEUE_PLUGIN_FILE);
  auto [masked, password] = q::mask_url(text);
  if (!password.empty() && masked.find(password) != std::string::npos &&
      masked.find("***") == std::string::npos)
    std::abort(); // the password is shown
  (void)q::url_scheme(text);
  q::driver_config dc;
  dc.resource = "mq";
  dc.url = text;
  dc.masked_url = masked;
  try {
    auto ep = q::amqp::parse_endpoint(dc);
    if (ep.host != "127.0.0.1" || ep.port != 1)
      return; // would connect somewhere
  } catch (const seam::error &) {
    // refused before any connection: the C entry point must say so too
  }
  void *handle = nullptr;
  seam::CallLimits limits;
  limits.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  json config = {{"url", text}, {"connect_timeout", "200ms"}};
  auto r = queue->host.open_resource(*queue->plugin->default_kind(), "mq",
                                     config.dump(-1, ' ', false, json::error_handler_t::replace),
                                     limits, &handle);
  if (r.ok())
    std::abort(); // nothing listens on 127.0.0.1:1
  if (r.error.empty())
    std::abort();
}

void tables(const json &in) {
  json headers = in.contains("headers") ? in["headers"] : json();
  json properties = in.contains("properties") ? in["properties"] : json();
  q::amqp::field_arena arena;
  if (headers.is_object()) {
    amqp_table_t t = arena.table(headers);
    (void)q::amqp::to_json(t);
  }
  try {
    q::properties read = q::read_properties(seam::json_view(properties));
    amqp_basic_properties_t p = q::amqp::to_amqp(read, headers, arena);
    seam::json_builder out;
    q::write_properties(out, q::amqp::properties_of(p));
    (void)out.take();
    (void)q::amqp::headers_of(p);
  } catch (const std::invalid_argument &) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view raw(reinterpret_cast<const char *>(data), size);
  json in = json::parse(raw, nullptr, false);
  if (!in.is_object()) {
    url(std::string(raw));
    return 0;
  }
  if (in.contains("url") && in["url"].is_string())
    url(in["url"].get<std::string>());
  tables(in);
  if (in.contains("body") && in["body"].is_string()) {
    std::string body = in["body"].get<std::string>();
    auto back = q::base64_decode(q::base64_encode(body));
    if (!back || *back != body)
      std::abort();
    (void)q::base64_decode(body);
    (void)q::valid_utf8(body);
  }
  return 0;
}
