// greet.cpp - the plugin the pack tests ship, install, upgrade and remove.
// Built twice, as versions 1.0.0 and 1.1.0 (GREET_VERSION), so that a suite
// can tell which one ran.
#include <seam/plugin.hpp>

#include <string>

SEAM_PLUGIN(plugin) {
  plugin.info("greet", GREET_VERSION, "Test pack: greets, naming its own version");
  plugin.step(
      "hello", "Returns {\"greeting\": \"hello NAME from VERSION\"}",
      R"({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
          "additionalProperties": false})",
      R"({"type": "object", "properties": {"greeting": {"type": "string"}}})",
      [](const seam::json &in, seam::context &) {
        return seam::json{
            {"greeting", "hello " + in.at("name").get<std::string>() + " from " + GREET_VERSION}};
      });
}
