// A suite file while it is being checked: the model plus the TOML tree that
// locates problems in it. The tree is released once checking is done.
#pragma once

#include "seam/core/model/suite.hpp"

#include <functional>
#include <memory>
#include <variant>

namespace seam {

class LoadedSuite {
public:
  // Called for every step while its TOML is at hand (checks that locate
  // problems inside the step's inputs: see bind_step in checker.hpp).
  using StepHook = std::function<void(const LoadedSuite &, const StepDef &)>;

  // Parses and compiles; TOML syntax errors throw SuiteErrors, other
  // problems are collected in `errors`.
  LoadedSuite(std::string path, std::string text, const StepHook &on_step = {});
  ~LoadedSuite();
  static std::unique_ptr<LoadedSuite> from_file(const std::string &path,
                                                const StepHook &on_step = {});

  Suite suite;
  std::vector<Diagnostic> errors;

  // Where a path inside a step's `with` (or a resource's table) stands.
  SourceLoc locate_with(const StepDef &s,
                        const std::vector<std::variant<std::string, size_t>> &path) const;
  SourceLoc locate_resource(const ResourceDef &r,
                            const std::vector<std::variant<std::string, size_t>> &path) const;

  // Frees the TOML tree; locate_* then answer with the step's own location.
  void release_source_tree();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads and compiles a suite file. Throws SuiteErrors with every problem
// found (bad TOML, unknown keys, wrong types, bad durations, bad regexes...).
Suite load_suite(const std::string &path);
// The same from text, for tests; `path` is only used in messages.
Suite load_suite_text(const std::string &path, std::string text);

} // namespace seam
