// The suite model: what a TOML suite file says, compiled for running.
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/expect/expect.hpp"
#include "seam/core/model/interpolate.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

using Micros = std::chrono::microseconds;

struct Retry {
  int attempts = 1;
  Micros interval{0};
  double backoff = 1.0;
};

struct SaveDef {
  std::string var;
  JsonPath path;
  SourceLoc loc;
};

// A step's `expect` entries. Large suites repeat one expect table on many
// steps: the loader compiles each distinct table once and the steps share it
// (an Expectation holds no location of its own that a run reports).
class Expectations {
public:
  Expectations() = default;
  explicit Expectations(std::shared_ptr<const std::vector<Expectation>> v) : v_(std::move(v)) {}

  const Expectation *begin() const { return v_ ? v_->data() : nullptr; }
  const Expectation *end() const { return v_ ? v_->data() + v_->size() : nullptr; }
  size_t size() const { return v_ ? v_->size() : 0; }
  bool empty() const { return size() == 0; }
  const Expectation &operator[](size_t i) const { return (*v_)[i]; }

private:
  std::shared_ptr<const std::vector<Expectation>> v_;
};

enum class Phase { Setup, Test, Cleanup, Teardown };
std::string_view phase_name(Phase p);

struct StepDef {
  size_t id = 0;    // 0, 1, 2, ... within its suite file (SuitePlan::steps)
  std::string name; // as given, or the `use` name
  SourceLoc loc;    // the step's table
  std::string use;  // "plugin.step"
  uint32_t dot = 0; // where the '.' of `use` is; 0 when `use` is malformed
  SourceLoc use_loc;
  std::optional<std::string> on;
  SourceLoc on_loc;
  Template with = Template::constant(json::object());
  SourceLoc with_loc;
  Expectations expect;
  std::shared_ptr<const Matcher> expect_error; // expect.error: the step must fail so
  std::vector<SaveDef> save;
  std::optional<Micros> timeout;
  Retry retry;
  bool expect_any_error = false; // expect.error = true

  // The two halves of `use` (empty when it is malformed).
  std::string_view plugin_name() const {
    return dot ? std::string_view(use).substr(0, dot) : std::string_view();
  }
  std::string_view step_name() const {
    return dot ? std::string_view(use).substr(dot + 1) : std::string_view();
  }
};

// Where the cases of a data-driven test come from (`cases = ...`).
struct CaseTable {
  const SourceFile *source = nullptr; // the CSV or JSON file; nullptr: inline tables
  SourceLoc at;                       // the `cases` key
  std::vector<std::string> columns;   // every column a case has, in order
};

struct TestDef {
  std::string name;
  SourceLoc loc;
  std::vector<std::string> tags;
  std::optional<Micros> timeout;
  bool skip = false;
  std::string skip_reason;
  std::vector<StepDef> steps;
  std::vector<StepDef> cleanup; // run in reverse order, always
  // One case of a data-driven test: its values (${case.COLUMN}) and where
  // they are written (an inline table, a CSV row); null for other tests.
  std::shared_ptr<const CaseTable> cases;
  json case_values;
  SourceLoc case_loc;
};

struct VarDef {
  std::string name;
  SourceLoc loc;
  Template value;
  std::optional<std::string> env; // { env = "X" }
  bool secret = false;
};

struct ResourceDef {
  std::string name;
  std::string plugin;
  SourceLoc loc;
  SourceLoc plugin_loc;
  std::optional<std::string> kind; // `kind = "mock"`; none: the plugin's default kind
  SourceLoc kind_loc;
  Template config; // the table without `plugin` and `kind`
};

// [suite] requires = { stripe = ">=1.2, <2" }: a plugin the suite needs, and
// which of its versions (a SemVer range, checked by check/requirements.cpp).
struct Requirement {
  std::string plugin;
  std::string range;
  SourceLoc loc; // the range's value
};

struct Suite {
  const SourceFile *file = nullptr;
  std::string name;
  SourceLoc loc;
  std::vector<std::string> tags;
  std::optional<Micros> step_timeout;    // [suite] step_timeout: default per step
  std::vector<Requirement> requirements; // [suite] requires
  std::vector<VarDef> vars;              // as written (SuitePlan::var_order: evaluation order)
  std::vector<ResourceDef> resources;    // as written (SuitePlan::open_order)
  std::vector<StepDef> setup;
  std::vector<TestDef> tests;
  std::vector<StepDef> teardown;
  size_t step_count() const;
};

} // namespace seam
