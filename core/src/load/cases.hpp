// Data-driven tests: a [[test]] with `cases` becomes one test per case,
// named "NAME [k]" (k from 0) or "NAME [the case's name]", its values
// readable as ${case.COLUMN}. The cases are an inline array of tables, or a
// file beside the suite: CSV (RFC 4180, a header row naming the columns) or
// a JSON array of objects.
#pragma once

#include "seam/core/model/suite.hpp"

#include <toml++/toml.h>

#include <functional>
#include <string>
#include <vector>

namespace seam {

// `at` locates a node of the suite file. Problems (an unreadable file, a
// malformed CSV, a row with a missing column) go to `errors` with the line
// of the CSV or JSON file where they are; a test with bad cases expands to
// what could be read.
std::vector<TestDef> expand_cases(const TestDef &base, const toml::node &cases,
                                  const std::function<SourceLoc(const toml::node &)> &at,
                                  const std::string &suite_path, std::vector<Diagnostic> &errors);

} // namespace seam
