// Fuzz target: the expect language. The input is JSON text: an object
// {"expect": TABLE, "doc": DOCUMENT} (or any value: then it is the table and
// the document at once). The table is compiled as a suite's `expect` is and
// evaluated on the document, with and without secrets to mask; the same goes
// through PluginHost::match (seam_host_api.match, what plugins call).
#include "seam/core/expect/expect.hpp"
#include "seam/core/host/plugin_host.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace seam;

namespace {

class Vars : public Resolver {
public:
  std::optional<json> lookup(const Ref &ref) const override {
    if (ref.root == "v")
      return json{{"a", 1}, {"s", "s3cr3t"}, {"l", json::array({1, 2, 3})}};
    return std::nullopt;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  json in = json::parse(text, nullptr, false);
  if (in.is_discarded())
    return 0;
  json table = in, doc = in;
  if (in.is_object() && in.contains("expect") && in.contains("doc")) {
    table = in["expect"];
    doc = in["doc"];
  }
  if (!table.is_object())
    table = json{{"", table}};
  std::vector<Diagnostic> errors;
  auto expectations = compile_expectations(table, errors);
  for (const auto &d : errors)
    (void)d.render(false);
  static Secrets &secrets = *[] {
    auto *s = new Secrets;
    s->add("s3cr3t");
    return s;
  }();
  Vars vars;
  for (const auto &e : expectations) {
    try {
      (void)evaluate(e, doc, vars);
      auto m = evaluate(e, doc, vars, &secrets);
      if (m && m->message.find("s3cr3t") != std::string::npos &&
          e.path_text().find("s3cr3t") == std::string::npos)
        std::abort(); // a secret shown in a mismatch
    } catch (const UndefinedReference &) {
    }
  }
  std::string why;
  (void)PluginHost::match(table.dump(), doc.dump(), &why);
  return 0;
}
