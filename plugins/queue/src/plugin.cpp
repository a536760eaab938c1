// plugin.cpp - the queue plugin's face: its resource, its steps and their
// schemas (what `seam check` validates and `seam plugins info` shows).
#include "steps.hpp"

namespace {

constexpr const char *duration_schema =
    R"({"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$","examples":["5s","250ms"]})";

seam::json duration(const char *description, const char *fallback) {
  auto s = seam::json::parse(duration_schema);
  s["description"] = description;
  s["default"] = fallback;
  return s;
}

seam::json binding_schema() {
  return {{"type", "object"},
          {"properties",
           {{"exchange", {{"type", "string"}}},
            {"key", {{"type", "string"}, {"description", "binding key, e.g. order.*"}}},
            {"arguments", {{"type", "object"}}}}},
          {"required", {"exchange"}},
          {"additionalProperties", false}};
}

seam::json queue_entry_schema() {
  return {{"type", "object"},
          {"description", "a queue, optionally bound to exchanges"},
          {"properties",
           {{"queue", {{"type", "string"}, {"minLength", 1}}},
            {"durable", {{"type", "boolean"}, {"default", true}}},
            {"auto_delete", {{"type", "boolean"}, {"default", false}}},
            {"arguments",
             {{"type", "object"},
              {"description", "x-message-ttl, x-dead-letter-exchange, x-max-length, ..."}}},
            {"bind",
             {{"oneOf", {binding_schema(), {{"type", "array"}, {"items", binding_schema()}}}}}}}},
          {"required", {"queue"}},
          {"additionalProperties", false}};
}

seam::json exchange_entry_schema() {
  return {{"type", "object"},
          {"description", "an exchange"},
          {"properties",
           {{"exchange", {{"type", "string"}, {"minLength", 1}}},
            {"type",
             {{"type", "string"},
              {"default", "direct"},
              {"examples", {"direct", "topic", "fanout", "headers"}}}},
            {"durable", {{"type", "boolean"}, {"default", true}}},
            {"auto_delete", {{"type", "boolean"}, {"default", false}}},
            {"internal", {{"type", "boolean"}, {"default", false}}},
            {"arguments", {{"type", "object"}}}}},
          {"required", {"exchange"}},
          {"additionalProperties", false}};
}

seam::json with_timeout(seam::json schema, const char *fallback = "5s") {
  schema["properties"]["timeout"] = duration("the longest the broker may take", fallback);
  return schema;
}

seam::json message_schema() {
  return {{"type", "object"},
          {"properties",
           {{"body", {{"type", "string"}}},
            {"body_base64",
             {{"type", "string"},
              {"description", "the exact bytes (base64), present when the body is no UTF-8 "
                              "text"}}},
            {"json", {{"description", "the body parsed as JSON; null when it is none"}}},
            {"headers", {{"type", "object"}}},
            {"routing_key", {{"type", "string"}}},
            {"exchange", {{"type", "string"}}},
            {"redelivered", {{"type", "boolean"}}},
            {"properties", {{"type", "object"}}}}}};
}

seam::json properties_schema() {
  auto text = [] { return seam::json{{"type", "string"}}; };
  return {{"type", "object"},
          {"properties",
           {{"content_type", text()},
            {"content_encoding", text()},
            {"correlation_id", text()},
            {"message_id", text()},
            {"reply_to", text()},
            {"type", text()},
            {"app_id", text()},
            {"user_id", text()},
            {"expiration",
             {{"type", {"string", "integer"}},
              {"description", "milliseconds, or a duration such as \"30s\""}}},
            {"timestamp", {{"type", "integer"}, {"minimum", 0}}},
            {"priority", {{"type", "integer"}, {"minimum", 0}, {"maximum", 255}}},
            {"persistent", {{"type", "boolean"}, {"default", false}}}}},
          {"additionalProperties", false}};
}

} // namespace

SEAM_PLUGIN(plugin) {
  using seam::json;
  using seam::queue::bus;
  plugin.info("queue", "0.1.0",
              "Message queues: publish with confirms, consume with matching, inspect queues "
              "(AMQP 0-9-1 / RabbitMQ)");

  plugin.resource<bus>(
      {.summary = "A message broker connection: url = \"amqp://USER:PASSWORD@HOST:5672/%2f\"",
       .config =
           json{{"type", "object"},
                {"properties",
                 {{"url",
                   {{"type", "string"},
                    {"description", "amqp://USER:PASSWORD@HOST:PORT/VHOST (vhost \"/\" is %2f)"}}},
                  {"declare",
                   {{"type", "array"},
                    {"description", "exchanges and queues to declare at open (idempotent)"},
                    {"items", {{"oneOf", {exchange_entry_schema(), queue_entry_schema()}}}}}},
                  {"connect_timeout", duration("the longest a connection may take", "5s")}}},
                {"required", {"url"}},
                {"additionalProperties", false}}},
      [](const std::string &name, const json &config, seam::context &ctx) {
        return seam::queue::open_bus(name, config, ctx);
      });

  plugin.step<bus>(
      {.name = "publish",
       .summary = "Publishes a message and waits for the broker's confirm",
       .input = with_timeout(json{
           {"type", "object"},
           {"properties",
            {{"exchange", {{"type", "string"}, {"default", ""}}},
             {"routing_key", {{"type", "string"}}},
             {"queue",
              {{"type", "string"},
               {"description", "send straight to this queue (the default exchange)"}}},
             {"json", {{"description", "any value, sent as JSON (content_type application/json)"}}},
             {"body", {{"type", "string"}, {"description", "the body as text"}}},
             {"body_base64",
              {{"type", "string"},
               {"description", "the body as bytes, in base64 (for bodies that are no text)"}}},
             {"headers", {{"type", "object"}}},
             {"properties", properties_schema()},
             {"mandatory",
              {{"type", "boolean"},
               {"default", true},
               {"description", "fail when no queue receives the message"}}}}},
           {"additionalProperties", false}}),
       .output = json{{"type", "object"},
                      {"properties",
                       {{"exchange", {{"type", "string"}}},
                        {"routing_key", {{"type", "string"}}},
                        {"bytes", {{"type", "integer"}}},
                        {"confirmed", {{"type", "boolean"}}},
                        {"message_id", {{"type", "string"}}}}}}},
      seam::queue::publish_step);

  plugin.step<bus>(
      {.name = "consume",
       .summary =
           "Takes `count` messages (those matching `match`) from a queue; others stay queued",
       .input = with_timeout(json{
           {"type", "object"},
           {"properties",
            {{"queue", {{"type", "string"}, {"minLength", 1}}},
             {"count", {{"type", "integer"}, {"minimum", 1}, {"default", 1}}},
             {"match",
              {{"type", "object"},
               {"description", "an expect table on each message: \"json.id\" = \"ord_1\""}}},
             {"ack",
              {{"anyOf", {{{"type", "boolean"}}, {{"enum", {"ack", "nack", "requeue", "reject"}}}}},
               {"default", true},
               {"description", "true/\"ack\": remove them; false/\"nack\"/\"requeue\": put "
                               "them back (redelivered); \"reject\": drop or dead-letter"}}}}},
           {"required", {"queue"}},
           {"additionalProperties", false}}),
       .output = json{{"type", "object"},
                      {"properties",
                       {{"messages", {{"type", "array"}, {"items", message_schema()}}},
                        {"count", {{"type", "integer"}}},
                        {"skipped",
                         {{"type", "integer"},
                          {"description", "messages that did not match (left queued)"}}}}}}},
      seam::queue::consume_step);

  plugin.step<bus>(
      {.name = "purge",
       .summary = "Removes every ready message from a queue",
       .input =
           with_timeout(json{{"type", "object"},
                             {"properties", {{"queue", {{"type", "string"}, {"minLength", 1}}}}},
                             {"required", {"queue"}},
                             {"additionalProperties", false}}),
       .output = json{{"type", "object"},
                      {"properties",
                       {{"queue", {{"type", "string"}}}, {"purged", {{"type", "integer"}}}}}}},
      seam::queue::purge_step);

  plugin.step<bus>({.name = "depth",
                    .summary = "How many messages wait in a queue, and how many consumers it has",
                    .input = with_timeout(
                        json{{"type", "object"},
                             {"properties", {{"queue", {{"type", "string"}, {"minLength", 1}}}}},
                             {"required", {"queue"}},
                             {"additionalProperties", false}}),
                    .output = json{{"type", "object"},
                                   {"properties",
                                    {{"queue", {{"type", "string"}}},
                                     {"messages", {{"type", "integer"}}},
                                     {"consumers", {{"type", "integer"}}}}}}},
                   seam::queue::depth_step);

  plugin.step<bus>(
      {.name = "declare",
       .summary = "Declares a queue (with bindings) or an exchange; idempotent",
       .input = json{{"oneOf",
                      {with_timeout(queue_entry_schema()), with_timeout(exchange_entry_schema())}}},
       .output = json{{"type", "object"},
                      {"properties",
                       {{"queue", {{"type", "string"}}},
                        {"exchange", {{"type", "string"}}},
                        {"messages", {{"type", "integer"}}},
                        {"consumers", {{"type", "integer"}}}}}}},
      seam::queue::declare_step);

  plugin.step<bus>({.name = "delete",
                    .summary = "Deletes a queue or an exchange (nothing to delete is no error)",
                    .input = with_timeout(
                        json{{"type", "object"},
                             {"properties",
                              {{"queue", {{"type", "string"}, {"minLength", 1}}},
                               {"exchange", {{"type", "string"}, {"minLength", 1}}},
                               {"if_unused", {{"type", "boolean"}, {"default", false}}},
                               {"if_empty", {{"type", "boolean"}, {"default", false}}}}},
                             // One of them, so that `seam check` finds an empty `with`.
                             {"anyOf", {{{"required", {"queue"}}}, {{"required", {"exchange"}}}}},
                             {"not",
                              {{"required", {"queue", "exchange"}},
                               {"description", "give queue = \"NAME\" or exchange = \"NAME\""}}},
                             {"additionalProperties", false}}),
                    .output = json{{"type", "object"},
                                   {"properties",
                                    {{"queue", {{"type", "string"}}},
                                     {"exchange", {{"type", "string"}}},
                                     {"messages", {{"type", "integer"}}}}}}},
                   seam::queue::delete_step);
}
