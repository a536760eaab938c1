// The names every suite has without declaring them: ${env.NAME}, ${run.id},
// ${suite.name}, ${test.id}, ${uuid}, ${now}, ${resources.NAME.ATTR},
// ${case.COLUMN}. One table,
// read by the checker (what may be written where) and by the runner (what a
// reference evaluates to), so the two cannot disagree.
#pragma once

#include "seam/core/model/interpolate.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

enum class Builtin {
  Env,          // ${env.NAME}: the run's environment
  RunId,        // ${run.id}
  RunStartedAt, // ${run.started_at}
  SuiteName,    // ${suite.name}
  SuiteFile,    // ${suite.file}
  TestId,       // ${test.id}: unique per test and run
  TestName,     // ${test.name}
  Uuid,         // ${uuid}: a new UUIDv4 on every use
  Now,          // ${now}: the time of use, ISO 8601 UTC
  Resources,    // ${resources.NAME.ATTR}: what an open resource published
  Case,         // ${case.COLUMN}: a value of a data-driven test's case
};

struct BuiltinRoot {
  std::string_view root;
  // Fixed fields and what each is; empty when the root takes a free path
  // (env, resources) or no path at all (uuid, now).
  std::vector<std::pair<std::string_view, Builtin>> fields;
  Builtin whole;             // the root itself, when it has no fixed fields
  bool takes_path = false;   // env.NAME, resources.NAME.ATTR
  bool only_in_test = false; // test.*
};

// The built-in root `root`, or nullptr for a declared variable or a saved value.
const BuiltinRoot *builtin_root(std::string_view root);

// What a reference to a built-in root means; nullopt when its field is not
// one of the root's (the checker reports that before anything runs).
std::optional<Builtin> builtin_of(const BuiltinRoot &root, const Ref &ref);

// "${run.id}, ${run.started_at}": the fields a root offers, for hints.
std::string builtin_fields_hint(const BuiltinRoot &root);

} // namespace seam
