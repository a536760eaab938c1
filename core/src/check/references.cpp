// Checks every ${...} reference of a suite against what is defined where it
// is used: built-ins and where they exist, ${env.NAME}, ${resources.NAME.X},
// ${case.COLUMN}, and variables ([vars], --var, saves of earlier steps).
#include "checker_state.hpp"

#include "seam/core/model/builtins.hpp"

#include <algorithm>

namespace seam::checking {

const json *constant_var(const Suite &suite, const std::set<std::string> &cli_vars,
                         const std::string &name) {
  if (cli_vars.count(name))
    return nullptr;
  for (const auto &v : suite.vars) {
    if (v.name != name)
      continue;
    if (v.env || v.secret || !v.value.is_constant() || v.value.constant_value().is_discarded())
      return nullptr;
    return &v.value.constant_value();
  }
  return nullptr;
}

std::optional<json> known_constant(const Suite &suite, const std::set<std::string> &cli_vars,
                                   const Ref &ref) {
  if (const json *value = constant_var(suite, cli_vars, ref.root))
    if (const json *found = ref.path.find(*value))
      return *found;
  return std::nullopt;
}

// Checks a reference against what is defined; `allow_resources` is false
// in [vars] (they are evaluated before any resource opens).
void Checker::check_ref(const Ref &r, const Scope &scope, bool allow_resources) {
  const auto &segs = r.path.segments();
  auto first = [&]() -> std::string {
    if (segs.empty())
      return "";
    const auto *k = std::get_if<std::string>(&segs[0]);
    return k ? *k : "";
  };
  const BuiltinRoot *builtin = r.builtin;
  if (builtin && builtin->whole == Builtin::Env) {
    if (segs.size() != 1 || first().empty())
      error(r.loc, "bad reference '${" + r.text + "}'",
            "write ${env.NAME} or ${env.NAME:-default}");
    return;
  }
  if (builtin && !builtin->fields.empty()) {
    if (!builtin_of(*builtin, r))
      error(r.loc, "unknown built-in '${" + r.text + "}'",
            "available: " + builtin_fields_hint(*builtin));
    else if (builtin->only_in_test && !scope.in_test)
      error(r.loc, "'${" + r.text + "}' is only defined inside a test",
            "setup and teardown run outside tests; use ${run.id} there");
    return;
  }
  if (builtin && !builtin->takes_path) {
    if (!segs.empty())
      error(r.loc, "'${" + r.root + "}' takes no path", "write ${" + r.root + "}");
    return;
  }
  if (builtin && builtin->whole == Builtin::Case) {
    check_case_ref(r, scope, first());
    return;
  }
  if (builtin && builtin->whole == Builtin::Resources) {
    if (!allow_resources) {
      error(r.loc, "variables cannot refer to resources ('${" + r.text + "}')",
            "[vars] are evaluated before resources open; use ${resources...} in steps");
      return;
    }
    std::string name = first();
    if (name.empty() || segs.size() < 2) {
      error(r.loc, "bad reference '${" + r.text + "}'",
            "write ${resources.NAME.ATTRIBUTE}, e.g. ${resources.api.url}");
      return;
    }
    if (!resource(name)) {
      std::string near = closest(name, resource_names());
      error(r.loc, "undefined resource '" + name + "' in '${" + r.text + "}'",
            near.empty() ? (s_.resources.empty() ? "declare it as [resources." + name + "]"
                                                 : "declared resources: " + join(resource_names()))
                         : "did you mean '" + near + "'?");
    }
    return;
  }
  if (r.fallback)
    return;
  if (scope.vars.count(r.root)) {
    // A path into a constant variable can be followed now.
    if (!r.path.empty() && !scope.saved.count(r.root)) {
      const json *value = constant_var(s_, cli_vars_, r.root);
      if (value && !r.path.find(*value))
        error(r.loc,
              "'${" + r.text + "}': variable '" + r.root + "' has no '" + r.path.text() + "'",
              "its value is " + brief(*value));
    }
    return;
  }
  std::vector<std::string> known(scope.vars.begin(), scope.vars.end());
  std::string near = closest(r.root, known);
  error(r.loc, "unknown variable '" + r.root + "'",
        near.empty()
            ? "define it in [vars], pass --var " + r.root + "=..., or save it from an earlier step"
            : "did you mean '" + near + "'?");
}

// ${case.COLUMN} (or ${case}, the whole case): only in a data-driven test,
// and a column its cases have.
// A column no case has is said once, at the reference; a case without a
// column the others have, at the case (its CSV or JSON line).
void Checker::check_case_ref(const Ref &r, const Scope &scope, const std::string &column) {
  const TestDef *t = scope.test;
  if (!t || !t->cases) {
    if (reported_.insert(r.loc.str()).second)
      error(r.loc, "'${" + r.text + "}' is only defined in a test with cases",
            scope.in_test ? "give the test cases = [ { ... } ] or cases = \"data/FILE.csv\""
                          : "setup and teardown run outside tests");
    return;
  }
  if (column.empty()) // ${case}: the whole case, a table
    return;
  const auto &columns = t->cases->columns;
  if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
    if (!reported_.insert(r.loc.str()).second || r.fallback)
      return;
    std::string near = closest(column, columns);
    std::string from = t->cases->source ? t->cases->source->path + ":1" : t->cases->at.str();
    error(r.loc, "'${" + r.text + "}': the cases have no column '" + column + "'",
          near.empty() ? "columns (" + from + "): " + join(columns)
                       : "did you mean '" + near + "'? (columns at " + from + ")");
    return;
  }
  if (!t->case_values.contains(column) && !r.fallback &&
      reported_.insert(t->name + "\n" + column).second)
    error(t->case_loc, "case '" + t->name + "' has no '" + column + "'",
          "${" + r.text + "} at " + r.loc.str() + " uses it; give every case a value for it");
}

} // namespace seam::checking
