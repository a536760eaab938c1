// Which tests a run takes: --tag and --filter, and --shard K/N, which splits
// the selected tests over N machines so that each runs about 1/N of them
// (by count, or by the durations an earlier JSON report recorded).
#pragma once

#include "seam/core/check/plan.hpp"
#include "seam/core/model/suite.hpp"
#include "seam/core/run/runner.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seam {

struct Shard {
  unsigned index = 1; // 1..count
  unsigned count = 1;
};

// "K/N" with 1 <= K <= N; nullopt with the reason in *why.
std::optional<Shard> parse_shard(std::string_view text, std::string *why);

// A test's duration in milliseconds by (suite file, test name), as an
// earlier JSON report recorded it; nullopt with the reason in *why.
using Durations = std::map<std::pair<std::string, std::string>, double>;
std::optional<Durations> read_durations(const std::string &report_path, std::string *why);

// Whether --tag and --filter take this test.
bool matches_tags_and_filter(const RunOptions &opt, const Suite &s, const TestDef &t);

struct ShardPlan {
  std::vector<const SuitePlan *> suites; // the suites this shard runs
  std::set<const TestDef *> tests;       // their tests this shard runs (RunOptions::shard)
  size_t selected = 0;                   // tests --tag and --filter select in all shards
};

// Splits the tests that --tag and --filter select: every such test goes to
// exactly one shard, decided by a stable hash of its suite file and name
// (the same on every machine), the shards' counts differ by at most one.
// With durations, the longest tests are dealt first, each to the shard with
// the least time so far (tests the report lacks count as its mean). A suite
// none of whose tests is selected runs in one shard; a suite without a test
// in this shard does not run here at all (its resources are not opened).
ShardPlan take_shard(const std::vector<const SuitePlan *> &suites, const RunOptions &opt,
                     Shard shard, const Durations *durations);

} // namespace seam
