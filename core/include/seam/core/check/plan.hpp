// What the checker learns about a suite, for the runner: each step and
// resource bound to its plugin, constant inputs rendered once, and the orders
// in which variables are evaluated and resources opened. The suite (the
// loader's model) is never changed: the plan sits beside it, read-only once
// the checker has returned it.
#pragma once

#include "seam/core/model/suite.hpp"

#include <string>
#include <utility>
#include <vector>

namespace seam {

struct StepInfo;     // host/plugin_host.hpp
struct ResourceKind; // host/plugin_host.hpp

struct StepPlan {
  bool bound = false;               // the checker has looked at the step
  const StepInfo *target = nullptr; // nullptr: not bound (an error was reported)
  int resource = -1;                // index into Suite::resources, or -1
  std::string input_text;           // `with` rendered once, when it is constant
  // Schema checks left for run time, on the inputs that hold references:
  // the whole input, or the (key, subschema) pairs that constrain them.
  bool run_check_whole = false;
  std::vector<std::pair<std::string, const json *>> run_checks;
};

struct SuitePlan {
  const Suite *suite = nullptr;
  std::vector<StepPlan> steps;             // by StepDef::id
  std::vector<const ResourceKind *> kinds; // by index into Suite::resources
  std::vector<size_t> open_order;          // resources, dependencies first
  std::vector<size_t> var_order;           // [vars], dependencies first

  const StepPlan &step(const StepDef &s) const { return steps[s.id]; }
  StepPlan &step(const StepDef &s) {
    if (steps.size() <= s.id)
      steps.resize(s.id + 1);
    return steps[s.id];
  }
};

} // namespace seam
