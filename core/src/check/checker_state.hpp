// The one walk over a suite that check_suite makes (checker.hpp): a Checker
// holds what the walk shares (the names defined so far, the plan, the list of
// problems). Its work is split by idea: checker.cpp walks the suite and
// orders [vars], references.cpp checks every ${...} against what is defined
// where it is used, binding.cpp binds steps and resources to their plugins
// and orders the resources. Private to core/src/check.
#pragma once

#include "seam/core/check/checker.hpp"

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace seam::checking {

std::string join(const std::vector<std::string> &v, const std::string &sep = ", ");

// The value of variable `name` when it is a constant of the suite: not from
// the environment, not overridden with --var, and not a secret (a secret is
// never put into a check's message). nullptr otherwise.
const json *constant_var(const Suite &suite, const std::set<std::string> &cli_vars,
                         const std::string &name);

// A reference to a variable whose value is a constant of the suite is known
// before the run.
std::optional<json> known_constant(const Suite &suite, const std::set<std::string> &cli_vars,
                                   const Ref &ref);

Diagnostic unknown_plugin_error(PluginHost &host, const std::string &name, const SourceLoc &loc);

// Where a name can be used: the variables defined so far.
struct Scope {
  std::set<std::string> vars;
  std::set<std::string> saved; // names a step saves (they shadow [vars])
  bool in_test = false;
  const TestDef *test = nullptr; // the test being checked, for ${case.X}
};

class Checker {
public:
  Checker(const LoadedSuite &ls, PluginHost &host, const std::set<std::string> &cli_vars,
          SuitePlan &plan, std::vector<Diagnostic> &errors)
      : ls_(ls), s_(ls.suite), host_(host), cli_vars_(cli_vars), plan_(plan), errors_(errors) {}

  void run();

private:
  void error(SourceLoc l, std::string msg, std::string hint = {}) {
    errors_.push_back({std::move(l), std::move(msg), std::move(hint)});
  }

  const ResourceDef *resource(const std::string &name) const {
    for (const auto &r : s_.resources)
      if (r.name == name)
        return &r;
    return nullptr;
  }

  std::vector<std::string> resource_names() const {
    std::vector<std::string> n;
    for (const auto &r : s_.resources)
      n.push_back(r.name);
    return n;
  }

  // checker.cpp: the walk and [vars].
  // The names a suite defines before any step: its [vars] and --var.
  Scope suite_scope() const;
  void check_steps(const std::vector<StepDef> &steps, Scope &scope);
  void check_step(const StepDef &step, Scope &scope);
  // What of the step's output its expect and save read (interned in the plan).
  const OutputProjection *project_output(const StepDef &step);
  void order_vars();
  void check_expanded_sizes();

  // references.cpp
  void check_ref(const Ref &r, const Scope &scope, bool allow_resources);
  void check_case_ref(const Ref &r, const Scope &scope, const std::string &column);

  // binding.cpp
  void check_resources();
  const ResourceKind *bind_resource(const ResourceDef &r);
  const ResourceKind *bind_kind(const ResourceDef &r, const LoadedPlugin &p);
  void unknown_plugin(const std::string &name, const SourceLoc &loc);
  int bind_resource(const StepDef &step, const LoadedPlugin &p, const StepInfo &info);
  std::vector<std::string> resources_of(const LoadedPlugin &p, const ResourceKind *kind) const;
  int resource_index(const std::string &name) const;
  static std::string kind_clause(const ResourceKind &k);

  const LoadedSuite &ls_;
  const Suite &s_;
  PluginHost &host_;
  const std::set<std::string> &cli_vars_;
  SuitePlan &plan_;
  std::vector<Diagnostic> &errors_;
  std::set<std::string> reported_; // ${case.X} problems already said
  // The projection of a shared expect table (steps that save nothing).
  std::unordered_map<const Expectation *, const OutputProjection *> projection_of_table_;
};

} // namespace seam::checking
