#include "seam/core/model/builtins.hpp"

#include <array>

namespace seam {

namespace {

const std::array<BuiltinRoot, 8> &table() {
  static const std::array<BuiltinRoot, 8> roots{{
      {"env", {}, Builtin::Env, true, false},
      {"run", {{"id", Builtin::RunId}, {"started_at", Builtin::RunStartedAt}}, Builtin::RunId},
      {"suite", {{"name", Builtin::SuiteName}, {"file", Builtin::SuiteFile}}, Builtin::SuiteName},
      {"test",
       {{"id", Builtin::TestId}, {"name", Builtin::TestName}},
       Builtin::TestId,
       false,
       true},
      {"uuid", {}, Builtin::Uuid},
      {"now", {}, Builtin::Now},
      {"resources", {}, Builtin::Resources, true},
      {"case", {}, Builtin::Case, true, true},
  }};
  return roots;
}

} // namespace

const BuiltinRoot *builtin_root(std::string_view root) {
  for (const auto &r : table())
    if (r.root == root)
      return &r;
  return nullptr;
}

std::optional<Builtin> builtin_of(const BuiltinRoot &root, const Ref &ref) {
  if (root.fields.empty())
    return root.whole;
  const auto &segs = ref.path.segments();
  if (segs.size() != 1)
    return std::nullopt;
  const auto *field = std::get_if<std::string>(&segs[0]);
  if (!field)
    return std::nullopt;
  for (const auto &[name, what] : root.fields)
    if (name == *field)
      return what;
  return std::nullopt;
}

std::string builtin_fields_hint(const BuiltinRoot &root) {
  std::string out;
  for (const auto &f : root.fields) {
    if (!out.empty())
      out += ", ";
    out += "${" + std::string(root.root) + "." + std::string(f.first) + "}";
  }
  return out;
}

} // namespace seam
