// @NAME@ - a seam plugin: the step @NAME@.greet, and a resource (a counter)
// with the step @NAME@.count on it. seam's docs/plugin-authoring.md explains
// each part.
#include <seam/plugin.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace {

// One [resources.NAME] table with plugin = "@NAME@". Tests may run at once
// (--jobs), so the counter is atomic.
struct counter {
  std::atomic<long long> value{0};
};

std::unique_ptr<counter> open_counter(const std::string &, const seam::json &config,
                                      seam::context &ctx) {
  auto c = std::make_unique<counter>();
  c->value = config.value("start", 0LL);
  ctx.publish({{"start", c->value.load()}}); // ${resources.NAME.start}
  return c;
}

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("@NAME@", "1.0.0", "@NAME@: greets, and counts on a resource");

  plugin.resource<counter>(
      {.summary = "A counter shared by the suite's tests", .config = R"({"type": "object",
                     "properties": {"start": {"type": "integer", "description": "first value"}},
                     "additionalProperties": false})"},
      open_counter);

  plugin.step({.name = "greet",
               .summary = "Greets someone: {text: \"hello WHO\"}",
               .input = R"({"type": "object",
                            "properties": {"who": {"type": "string", "minLength": 1}},
                            "required": ["who"], "additionalProperties": false})",
               .output = R"({"type": "object", "properties": {"text": {"type": "string"}}})"},
              [](const seam::json &in, seam::context &) {
                return seam::json{{"text", "hello " + in["who"].get<std::string>()}};
              });

  plugin.step<counter>(
      {.name = "count",
       .summary = "Adds one to the counter and returns {count}",
       .input = R"({"type": "object", "additionalProperties": false})",
       .output = R"({"type": "object", "properties": {"count": {"type": "integer"}}})"},
      [](counter &c, const seam::json &, seam::context &) {
        return seam::json{{"count", ++c.value}};
      });
}
