// check_suite (checker.hpp): one walk over the suite in the order it runs,
// the names defined so far in scope at each step, and the order [vars] are
// evaluated in. References and binding are checked on the way
// (references.cpp, binding.cpp).
#include "checker_state.hpp"
#include "seam/core/check/requirements.hpp"

#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>

namespace seam::checking {

std::string join(const std::vector<std::string> &v, const std::string &sep) {
  std::string s;
  for (const auto &x : v)
    s += (s.empty() ? "" : sep) + x;
  return s;
}

void Checker::run() {
  if (s_.tests.empty()) {
    // An empty or setup-only file is almost surely a mistake (a wrong file,
    // [test] for [[test]]); passing it as "0 tests" would hide that.
    error(SourceLoc{s_.file, 1, 1}, "the suite file has no tests",
          "a test is a [[test]] table with a name and [[test.steps]]; see "
          "docs/suite-reference.md");
  }
  plan_.suite = &s_;
  order_vars();
  check_resources();
  Scope global = suite_scope();
  check_steps(s_.setup, global);
  for (const auto &t : s_.tests) {
    Scope scope = global;
    scope.in_test = true;
    scope.test = &t;
    check_steps(t.steps, scope);
    // Cleanup runs whatever happened: it may see every save of the test
    // (a value never saved skips the cleanup step that needs it).
    check_steps(t.cleanup, scope);
  }
  Scope after = global;
  check_steps(s_.teardown, after);
}

void Checker::check_steps(const std::vector<StepDef> &steps, Scope &scope) {
  for (size_t i = 0; i < steps.size(); ++i) {
    // The runner finds a step's plan by its place in its list
    // (SuitePlan::step_in), which holds while the loader numbers them so.
    if (steps[i].id != steps.front().id + i)
      throw std::logic_error("the steps of a list are not numbered one after another");
    check_step(steps[i], scope);
  }
}

void Checker::check_step(const StepDef &step, Scope &scope) {
  auto refs = [&](const Template &t) {
    t.for_each_ref([&](const Ref &r) { check_ref(r, scope, true); });
  };
  refs(step.with);
  for (const auto &e : step.expect)
    for (const auto &c : e.matcher.checks)
      refs(c.operand);
  if (step.expect_error)
    for (const auto &c : step.expect_error->checks)
      refs(c.operand);
  if (step.expect_error || step.expect_any_error) {
    if (!step.save.empty())
      error(step.save.front().loc, "a step that is expected to fail cannot save outputs");
  }
  for (const auto &sv : step.save) {
    scope.vars.insert(sv.var);
    scope.saved.insert(sv.var);
  }
  StepPlan &bound = plan_.step(step);
  if (!bound.bound)
    bind_step(ls_, host_, step, plan_, errors_, cli_vars_);
  bound.run = StepRun::of(step);
  if (bound.target)
    bound.resource = bind_resource(step, *bound.target->plugin, *bound.target);
  bound.projection = project_output(step);
}

const OutputProjection *Checker::project_output(const StepDef &step) {
  if (step.expect.empty() && step.save.empty())
    return nullptr;
  // Steps that share an expect table and save nothing share its projection:
  // no key is made for each of them.
  const bool by_table = step.save.empty();
  if (by_table)
    if (auto it = projection_of_table_.find(step.expect.begin()); it != projection_of_table_.end())
      return it->second;
  std::vector<const JsonPath *> paths;
  std::string key;
  auto add = [&](const JsonPath &p) {
    paths.push_back(&p);
    key += std::to_string(p.text().size()) + ':' + p.text();
  };
  for (const auto &e : step.expect)
    add(e.path);
  for (const auto &sv : step.save)
    add(sv.path);
  auto it = plan_.projections.find(key);
  if (it == plan_.projections.end())
    it = plan_.projections.emplace(std::move(key), OutputProjection::of(paths)).first;
  if (by_table)
    projection_of_table_.emplace(step.expect.begin(), it->second.get());
  return it->second.get();
}

Scope Checker::suite_scope() const {
  Scope scope;
  for (const auto &v : s_.vars)
    scope.vars.insert(v.name);
  scope.vars.insert(cli_vars_.begin(), cli_vars_.end());
  return scope;
}

void Checker::order_vars() {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < s_.vars.size(); ++i)
    index[s_.vars[i].name] = i;
  Scope all = suite_scope();
  std::vector<int> state(s_.vars.size(), 0); // 0 new, 1 visiting, 2 done
  std::vector<size_t> ordered;
  // A chain of variables is walked recursively: bounded, so that a
  // generated suite cannot exhaust the stack.
  constexpr size_t kMaxChain = 1000;
  size_t depth = 0;
  bool too_deep = false;
  std::function<void(size_t)> visit = [&](size_t i) {
    if (state[i] == 2)
      return;
    if (depth >= kMaxChain) {
      if (!too_deep)
        error(s_.vars[i].loc,
              "variables refer to each other through more than " + std::to_string(kMaxChain) +
                  " levels",
              "shorten the chain of variables defined through each other");
      too_deep = true;
      return;
    }
    if (state[i] == 1) {
      error(s_.vars[i].loc,
            "variable '" + s_.vars[i].name + "' refers to itself through other variables",
            "break the cycle between the variables");
      return;
    }
    state[i] = 1;
    ++depth;
    s_.vars[i].value.for_each_ref([&](const Ref &r) {
      check_ref(r, all, false);
      if (auto it = index.find(r.root); it != index.end() && !cli_vars_.count(r.root))
        visit(it->second);
    });
    --depth;
    state[i] = 2;
    ordered.push_back(i);
  };
  for (size_t i = 0; i < s_.vars.size(); ++i)
    visit(i);
  if (ordered.size() == s_.vars.size()) {
    plan_.var_order = std::move(ordered);
    check_expanded_sizes();
  }
}

// Variables made of variables can grow exponentially (`w2 = "${w1}${w1}"`,
// forty levels deep): refuse the first one that would pass the bound, before
// anything renders it. The vars are in dependency order here.
void Checker::check_expanded_sizes() {
  std::map<std::string, size_t> size;
  auto ref_size = [&](const Ref &r) -> size_t {
    if (cli_vars_.count(r.root))
      return 0; // known only at run time; bounded there by its own length
    if (auto it = size.find(r.root); it != size.end())
      return it->second;
    if (r.root == "env") {
      const char *e = std::getenv(r.path.text().c_str());
      return e ? std::strlen(e) : 0;
    }
    return 64; // built-ins and saved outputs: small, or known at run time
  };
  for (size_t i : plan_.var_order) {
    const VarDef &v = s_.vars[i];
    size_t n = v.value.expanded_size(ref_size);
    if (n > kMaxExpandedBytes) {
      error(v.loc,
            "variable '" + v.name + "' expands to " +
                (n == SIZE_MAX ? std::string("more than 16 EiB")
                               : "about " + std::to_string(n >> 20) + " MiB") +
                ", more than the 16 MiB a value may hold",
            "a variable that uses another twice doubles it: build large values in the "
            "system under test, not in [vars]");
      return;
    }
    size[v.name] = n;
  }
}

} // namespace seam::checking

namespace seam {

void check_suite(const LoadedSuite &loaded, PluginHost &host, const std::set<std::string> &cli_vars,
                 SuitePlan &plan, std::vector<Diagnostic> &errors) {
  checking::Checker(loaded, host, cli_vars, plan, errors).run();
  check_requirements(loaded.suite, host, errors);
  std::unordered_set<std::string>().swap(plan.valid_shapes);
}

} // namespace seam
