// throwing.cpp - a C++ plugin whose steps throw, to prove that no exception
// crosses the ABI: seam/plugin.hpp must turn each one into a failed step with
// a message, and the run must go on.
#include <seam/plugin.hpp>

#include <stdexcept>

namespace {

constexpr const char *no_input = R"({"type": "object", "additionalProperties": false})";

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("throwing", "1.0.0", "Test plugin whose steps throw C++ exceptions");
  plugin.step("throw", "Throws std::runtime_error(\"boom from plugin\")", no_input, nullptr,
              [](const seam::json &, seam::context &) -> seam::json {
                throw std::runtime_error("boom from plugin");
              });
  plugin.step("throw_int", "Throws an int (no std::exception)", no_input, nullptr,
              [](const seam::json &, seam::context &) -> seam::json { throw 42; });
  plugin.step("ok", "Returns {\"ok\": true}", no_input,
              R"({"type": "object", "properties": {"ok": {"const": true}}})",
              [](const seam::json &, seam::context &) {
                return seam::json{{"ok", true}};
              });
}
