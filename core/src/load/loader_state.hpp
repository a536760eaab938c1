// The loader's state while it reads one suite file (suite_loader.cpp): the
// problems found, where nodes stand, the templates and expect tables it
// shares, and the TOML nodes kept for locating problems later. Its work is
// split by idea: suite_loader.cpp reads the file's [suite], [vars],
// [resources] and tests and drives the parse; steps.cpp reads one step (use,
// with, expect, save, timeout, retry); table_keys.cpp reads a table's keys
// and typed values. Private to core/src/load.
#pragma once

#include "seam/core/model/suite.hpp"
#include "toml_values.hpp"

#include <toml++/toml.h>

#include <seam/duration.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace seam::loading {

class Loader {
public:
  Loader(const SourceFile *file) : at_{file, 0}, file_(file) {}

  std::vector<Diagnostic> errors;
  TomlLocator at_;
  TemplateMaker templates_{at_, errors};

  // A large suite repeats its expect tables word for word on many steps
  // (`status = 200`): each distinct table is compiled once and shared. Only
  // tables without ${...} are shared (a reference keeps the location it is
  // written at), and only those that compiled without errors.
  std::unordered_map<std::string, Expectations> expect_pool_;
  std::string expect_key_;
  bool expect_shareable_ = false;
  size_t expect_errors_before_ = 0;

  bool share_expect(StepDef &s, const toml::table &t);
  void remember_expect(const StepDef &s);

  SourceLoc loc(const toml::node &n) const { return at_(n); }
  SourceLoc loc(const toml::key &k) const { return at_(k); }

  void error(SourceLoc l, std::string msg, std::string hint = {}) {
    errors.push_back({std::move(l), std::move(msg), std::move(hint)});
  }

  // Reading values of a table, their type and keys checked (table_keys.cpp).
  void check_keys(const toml::table &t, const std::vector<std::string> &allowed,
                  const std::string &what);
  std::optional<std::string> get_string(const toml::table &t, std::string_view key,
                                        const std::string &what);
  std::vector<std::string> get_tags(const toml::table &t, const std::string &what);
  std::optional<Micros> get_duration(const toml::table &t, std::string_view key,
                                     const std::string &what);

  // One step and its tables (steps.cpp).
  void add_expectations(std::vector<Expectation> &out, const toml::node &n,
                        const std::string &prefix, const SourceLoc &at);
  StepDef load_step(const toml::node &node, const std::string &what);
  std::vector<StepDef> load_steps(const toml::node *n, const std::string &what);

  // The rest of the file (suite_loader.cpp).
  void load_var(Suite &suite, const std::string &name, const toml::node &n, const SourceLoc &at);
  void load_arrays(Suite &suite, const toml::table &root);
  void load(Suite &suite, const toml::table &root);

  const SourceFile *file_;
  std::set<std::string> test_names_;
  size_t next_step_id_ = 0;
  std::unordered_map<size_t, const toml::node *> with_nodes_;
  std::unordered_map<std::string, const toml::table *> resource_nodes_;
};

} // namespace seam::loading
