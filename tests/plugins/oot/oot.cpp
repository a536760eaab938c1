// oot.cpp - a plugin built out of tree, against an installed seam, exactly as
// a vendor would: find_package(Seam) + seam_add_plugin(). tests/abi/
// oot_build.sh builds it with clang and libc++ to prove that a plugin's C++
// runtime never has to match the host's.
#include <seam/plugin.hpp>

SEAM_PLUGIN(plugin) {
  plugin.info("oot", "1.0.0", "Out-of-tree example plugin");

  plugin.step("add", "Adds two numbers: {a, b} -> {sum}",
              R"({"type": "object",
                  "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                  "required": ["a", "b"], "additionalProperties": false})",
              R"({"type": "object", "properties": {"sum": {"type": "number"}}})",
              [](const seam::json &in, seam::context &) {
                return seam::json{{"sum", in["a"].get<double>() + in["b"].get<double>()}};
              });

  plugin.step(
      "ctx", "Logs a line and reports the time left before the step's deadline",
      R"({"type": "object", "additionalProperties": false})",
      R"({"type": "object", "properties": {"remaining_ms": {"type": ["integer", "null"]}}})",
      [](const seam::json &, seam::context &ctx) {
        ctx.info("oot.ctx: hello from an out-of-tree plugin");
        auto left = ctx.remaining();
        return seam::json{{"remaining_ms", left ? seam::json(left->count()) : seam::json()}};
      });
}
