// Fuzz target: interpolation. The input is a string with ${...} references,
// compiled as a suite's value is and rendered against a few variables. What
// render_json writes must be the JSON text of what render returns.
#include "seam/core/model/interpolate.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

using namespace seam;

namespace {

class Vars : public Resolver {
public:
  std::optional<json> lookup(const Ref &ref) const override {
    static const std::map<std::string, json> values = {
        {"name", "Ada"},
        {"n", 42},
        {"f", 1.5},
        {"t", true},
        {"nil", nullptr},
        {"obj", json::parse(R"({"a": [1, {"b": "c"}], "k-y": "v", "s": "${name}"})")},
        {"arr", json::parse(R"([1, "two", [3], {"x": null}])")},
        {"big", std::string(300, 'x')},
    };
    auto it = values.find(ref.root);
    if (it == values.end())
      return std::nullopt;
    const json *found = ref.path.find(it->second);
    if (!found)
      return std::nullopt;
    return *found;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const SourceLoc loc{SourceFile::intern("fuzz.toml", "value = \"...\""), 1, 9};
  std::string text(reinterpret_cast<const char *>(data), size);
  std::vector<Diagnostic> errors;
  Template t = Template::string(text, loc, errors);
  for (const auto &d : errors)
    (void)d.render(false);
  // Inside a table and an array too, as suites nest values.
  Template nested =
      Template::object({{"k", t}, {"l", Template::array({t, Template::constant(1)})}});
  Vars vars;
  for (const Template *x : {&t, &nested}) {
    (void)x->shape();
    (void)x->shape([](const Ref &r) -> std::optional<json> {
      if (r.root == "n")
        return json(7);
      return std::nullopt;
    });
    size_t refs = 0;
    x->for_each_ref([&](const Ref &) { ++refs; });
    (void)x->expanded_size([](const Ref &) { return size_t{1} << 40; });
    try {
      json value = x->render(vars);
      std::string out;
      x->render_json(vars, out);
      // JSON text has no invalid UTF-8: render_json writes U+FFFD for it, as
      // a plugin's input is written (dump with the replace handler).
      json same = json::parse(value.dump(-1, ' ', false, json::error_handler_t::replace));
      if (json::parse(out) != same)
        std::abort();
      (void)to_text(value);
    } catch (const UndefinedReference &) {
    }
  }
  return 0;
}
