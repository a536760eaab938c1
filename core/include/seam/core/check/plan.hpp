// What the checker learns about a suite, for the runner: each step and
// resource bound to its plugin, constant inputs rendered once, and the orders
// in which variables are evaluated and resources opened. The suite (the
// loader's model) is never changed: the plan sits beside it, read-only once
// the checker has returned it.
#pragma once

#include "seam/core/expect/output_projection.hpp"
#include "seam/core/model/suite.hpp"

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace seam {

struct StepInfo;     // host/plugin_host.hpp
struct ResourceKind; // host/plugin_host.hpp

// What the runner reads of a step each time it runs it, copied from its
// StepDef by the checker: a step that passes is run from its plan alone, and
// its StepDef is read only to report it. The plans lie packed in chunks, the
// StepDefs among the rest of the model, and a worker process pays for each
// page of the parent's memory it reads first (docs/performance.md).
struct StepRun {
  Template with;                         // StepDef::with
  std::span<const Expectation> expect;   // StepDef::expect (shared)
  std::span<const SaveDef> save;         // StepDef::save
  const Matcher *expect_error = nullptr; // StepDef::expect_error
  bool expect_any_error = false;         // StepDef::expect_any_error
  std::optional<Micros> timeout;         // StepDef::timeout
  Retry retry;                           // StepDef::retry

  static StepRun of(const StepDef &s) {
    return {s.with,
            {s.expect.begin(), s.expect.size()},
            s.save,
            s.expect_error.get(),
            s.expect_any_error,
            s.timeout,
            s.retry};
  }
  bool expects_error() const { return expect_error || expect_any_error; }
};

struct StepPlan {
  const StepInfo *target = nullptr; // nullptr: not bound (an error was reported)
  StepRun run;                      // set by the checker, with `bound`
  // `with` rendered once, when it is constant (kept by the SuitePlan, packed
  // with the other steps' texts); empty when it is not.
  std::string_view input_text;
  // Schema checks left for run time, on the inputs that hold references:
  // the whole input (run_check_whole), or the members of the input table
  // (`with`, a table that is not constant: Template::table_members()) whose
  // values hold references and whose subschema constrains them.
  // member_checks then has one entry per member, in that order: the
  // subschema its rendered value must pass, or nullptr. At run time only
  // the checked members become trees; the rest is written straight as
  // text. Empty when no member needs a check.
  std::vector<const json *> member_checks;
  // The parts of the output that `expect` and `save` read (owned by the
  // SuitePlan, shared by the steps that read the same paths); nullptr: the
  // whole output, or none of it.
  const OutputProjection *projection = nullptr;
  // Whether the rendered input can hold a value the input schema marks
  // x-seam-secret (a member whose subschema has one): only then is the input
  // rendered as a tree at run time to learn those values. A step of a target
  // with secret inputs that sets none of them (an http.request without
  // `auth`) needs no tree for it.
  bool secret_inputs = false;
  int resource = -1;            // index into Suite::resources, or -1
  bool bound = false;           // the checker has looked at the step
  bool run_check_whole = false; // see member_checks
};

struct SuitePlan {
  const Suite *suite = nullptr;
  std::vector<const ResourceKind *> kinds; // by index into Suite::resources
  std::vector<size_t> open_order;          // resources, dependencies first
  std::vector<size_t> var_order;           // [vars], dependencies first
  // The checker's memo while it builds the plan, emptied when it is done:
  // input shapes (with the step's target) that passed the input schema, so
  // that steps that differ only where references are filled in are checked
  // once.
  std::unordered_set<std::string> valid_shapes;
  // The output projections of the steps, by their paths' texts.
  std::map<std::string, std::unique_ptr<OutputProjection>> projections;

  // The plan of steps[i], where `steps` is one list of the suite's (its
  // setup or teardown, a test's steps or cleanup), found by the step's place
  // in it without reading the step: the loader numbers the steps of a list
  // one after another, and the checker makes sure of it.
  const StepPlan &step_in(const std::vector<StepDef> &steps, size_t i) const {
    size_t id = steps.front().id + i;
    return id < size_ ? chunks_[id / kChunk][id % kChunk] : none();
  }

  // By StepDef::id; a step the checker never saw has an empty plan.
  const StepPlan &step(const StepDef &s) const {
    return s.id < size_ ? chunks_[s.id / kChunk][s.id % kChunk] : none();
  }
  StepPlan &step(const StepDef &s) {
    while (s.id >= size_) {
      chunks_.push_back(std::make_unique<StepPlan[]>(kChunk));
      size_ += kChunk;
    }
    return chunks_[s.id / kChunk][s.id % kChunk];
  }

  // A copy of `text` that lives as long as the plan, for a step's
  // input_text. The copies are packed one after another in large blocks: a
  // run reads each step's text once, and a worker process pays for each
  // page of the parent's memory it reads first (docs/performance.md), so
  // texts in a few pages cost less than strings spread over the heap.
  std::string_view keep_text(std::string_view text);

private:
  // Fixed-size chunks, not one vector: the plan grows while a large suite is
  // read, and a vector that doubles holds both copies at the peak and up to
  // twice the room it needs after it.
  static constexpr size_t kChunk = 1024;
  // The plan of a step the checker never saw (made on first use).
  static const StepPlan &none() {
    static const StepPlan plan;
    return plan;
  }
  std::vector<std::unique_ptr<StepPlan[]>> chunks_;
  size_t size_ = 0;
  // keep_text's blocks; the room left in the last one starts at text_at_.
  static constexpr size_t kTextBlock = size_t{64} * 1024;
  std::vector<std::unique_ptr<char[]>> text_blocks_;
  char *text_at_ = nullptr;
  size_t text_left_ = 0;
};

} // namespace seam
