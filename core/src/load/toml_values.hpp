// TOML values as the loader turns them into the model: where a node stands
// in its file, what its type is called in messages, the ${...} template a
// value compiles to, and a key that equal values share (for interning).
// Private to core/src/load.
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/model/interpolate.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace seam {

// Where a node of the segment being read stands in its file.
struct TomlLocator {
  const SourceFile *file = nullptr;
  uint32_t line_offset = 0; // lines before the segment being read

  SourceLoc operator()(const toml::source_region &r) const {
    return {file, static_cast<uint32_t>(r.begin.line) + line_offset,
            static_cast<uint32_t>(r.begin.column)};
  }
  SourceLoc operator()(const toml::node &n) const { return (*this)(n.source()); }
  SourceLoc operator()(const toml::key &k) const { return (*this)(k.source()); }
};

// "a table", "a string", ...: a node's type as messages name it.
std::string type_name(const toml::node &n);

// Appends a text that equal TOML values share and different ones do not;
// false for values that must not be shared (see toml_values.cpp).
bool value_key(const toml::node &n, std::string &out, int depth = 0);

// Compiles TOML values into templates, problems appended to `errors`.
class TemplateMaker {
public:
  TemplateMaker(const TomlLocator &at, std::vector<Diagnostic> &errors)
      : at_(at), errors_(errors) {}

  // A [vars] name: strings whose references are only such names are shared.
  void add_var(std::string name) { var_names_.insert(std::move(name)); }

  Template make(const toml::node &n, int depth = 0);

private:
  // TOML++ bounds nesting of inline values, but dotted keys (a.b.c... = 1)
  // nest tables without limit; suites never need this much, and every walk
  // over a value is recursive.
  static constexpr int kMaxDepth = 100;

  bool internable(const Template &t) const;

  const TomlLocator &at_;
  std::vector<Diagnostic> &errors_;
  bool too_deep_reported_ = false;
  // Strings like "${base}/users" repeat in every step of a suite. Those
  // whose references are plain [vars] (always defined at run time, nothing to
  // locate in an error) are compiled once and shared: a large suite holds one
  // node instead of one per step.
  std::unordered_map<std::string, Template> interned_;
  std::unordered_set<std::string> var_names_;
};

} // namespace seam
