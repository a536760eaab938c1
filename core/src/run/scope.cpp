// The variable scope of a step: what ${name} evaluates to at run time. The
// built-in roots come from the one table the checker also reads
// (model/builtins.hpp); then a test's saved values, then the suite's
// variables (its [vars], --var, and values saved in setup).
#include "run_state.hpp"

#include "seam/core/model/builtins.hpp"

#include <cstdlib>

namespace seam {

namespace {

std::optional<json> walk(const json &v, const JsonPath &p) {
  const json *found = p.find(v);
  if (!found)
    return std::nullopt;
  return *found;
}

} // namespace

std::optional<json> Runner::Vars::lookup(const Ref &ref) const {
  if (const BuiltinRoot *root = ref.builtin) {
    auto what = builtin_of(*root, ref);
    if (!what)
      return std::nullopt;
    switch (*what) {
    case Builtin::Env: {
      const auto &segs = ref.path.segments();
      const auto *name = segs.empty() ? nullptr : std::get_if<std::string>(&segs[0]);
      const char *v = name ? std::getenv(name->c_str()) : nullptr;
      return v ? std::optional<json>(json(v)) : std::nullopt;
    }
    case Builtin::RunId:
      return json(r_.run_id_);
    case Builtin::RunStartedAt:
      return json(r_.started_at_);
    case Builtin::SuiteName:
      return json(s_.suite->name);
    case Builtin::SuiteFile:
      return json(s_.suite->file->path);
    case Builtin::TestId:
      return t_ ? std::optional<json>(json(t_->id)) : std::nullopt;
    case Builtin::TestName:
      return t_ ? std::optional<json>(json(t_->def->name)) : std::nullopt;
    case Builtin::Uuid:
      return json(uuid4());
    case Builtin::Now:
      return json(iso_now());
    case Builtin::Resources:
      return walk(s_.resources, ref.path);
    case Builtin::Case:
      return t_ ? walk(t_->def->case_values, ref.path) : std::nullopt;
    }
    return std::nullopt;
  }
  if (const json *v = stored(ref))
    return *v;
  return std::nullopt;
}

// Saved values and variables without the copy; built-in roots are made on
// each use and go through lookup().
const json *Runner::Vars::find(const Ref &ref) const { return ref.builtin ? nullptr : stored(ref); }

// A test's saved values hide the suite's variables of the same name.
const json *Runner::Vars::stored(const Ref &ref) const {
  if (t_ && !t_->saves.empty()) { // no hashing for a test that saved nothing
    if (auto it = t_->saves.find(ref.root); it != t_->saves.end())
      return ref.path.find(it->second);
  }
  if (auto it = s_.vars.find(ref.root); it != s_.vars.end())
    return ref.path.find(it->second);
  return nullptr;
}

} // namespace seam
