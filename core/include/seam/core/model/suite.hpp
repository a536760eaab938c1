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

struct StepInfo;     // a plugin's step, bound by the checker
struct ResourceKind; // a plugin's kind of resource, bound by the checker

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

enum class Phase { Setup, Test, Cleanup, Teardown };
std::string_view phase_name(Phase p);

struct StepDef {
  size_t id = 0;     // unique within its suite file
  std::string name;  // as given, or the `use` name
  SourceLoc loc;     // the step's table
  std::string use;   // "plugin.step"
  uint32_t dot = 0;  // where the '.' of `use` is; 0 when `use` is malformed
  int resource = -1; // bound by the checker: index into Suite::resources, or -1
  SourceLoc use_loc;
  std::optional<std::string> on;
  SourceLoc on_loc;
  Template with = Template::constant(json::object());
  SourceLoc with_loc;
  std::vector<Expectation> expect;
  std::shared_ptr<const Matcher> expect_error; // expect.error: the step must fail so
  std::vector<SaveDef> save;
  std::optional<Micros> timeout;
  Retry retry;
  bool expect_any_error = false; // expect.error = true
  // Bound by the checker.
  bool bound = false;
  // Schema checks left for run time, on the inputs that hold references:
  // the whole input, or the (key, subschema) pairs that constrain them.
  bool run_check_whole = false;
  const StepInfo *target = nullptr;
  std::string input_text; // `with` rendered once, when it is constant
  std::vector<std::pair<std::string, const json *>> run_checks;

  // The two halves of `use` (empty when it is malformed).
  std::string_view plugin_name() const {
    return dot ? std::string_view(use).substr(0, dot) : std::string_view();
  }
  std::string_view step_name() const {
    return dot ? std::string_view(use).substr(dot + 1) : std::string_view();
  }
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
  const ResourceKind *kind_info = nullptr; // bound by the checker
  Template config;                         // the table without `plugin` and `kind`
  std::vector<size_t> depends_on;          // resources referenced by the config
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
  std::vector<VarDef> vars;              // in dependency order after checking
  std::vector<ResourceDef> resources;    // in dependency order after checking
  std::vector<StepDef> setup;
  std::vector<TestDef> tests;
  std::vector<StepDef> teardown;
  size_t step_count() const;
};

// Reads and compiles a suite file. Throws SuiteErrors with every problem
// found (bad TOML, unknown keys, wrong types, bad durations, bad regexes...).
Suite load_suite(const std::string &path);
// The same from text, for tests; `path` is only used in messages.
Suite load_suite_text(const std::string &path, std::string text);

} // namespace seam
