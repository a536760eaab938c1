// --shard's split (core/src/run/select.cpp) on generated suites: every test
// in exactly one shard, counts within one of each other for every N, the
// same split whatever the order suites are given in, and --shard-by-time
// within one longest test of the ideal. Plans are built by hand: selection
// reads only the suite's files, names and tags.
#include "seam/core/run/select.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>

namespace seam {
namespace {

struct Fixture {
  std::deque<Suite> suites;
  std::deque<SuitePlan> plans;
  std::vector<const SuitePlan *> list;

  // `sizes[i]` tests in suite i, named "t0".."tN".
  explicit Fixture(const std::vector<size_t> &sizes) {
    for (size_t i = 0; i < sizes.size(); ++i) {
      Suite &s = suites.emplace_back();
      s.file = SourceFile::intern("suites/s" + std::to_string(i) + ".toml", "");
      s.name = "s" + std::to_string(i);
      for (size_t k = 0; k < sizes[i]; ++k) {
        TestDef t;
        t.name = "t" + std::to_string(k);
        t.tags = {k % 3 == 0 ? "third" : "other"};
        s.tests.push_back(std::move(t));
      }
      SuitePlan &p = plans.emplace_back();
      p.suite = &s;
      list.push_back(&p);
    }
  }
};

std::string key(const TestDef *t, const std::vector<const SuitePlan *> &plans) {
  for (const SuitePlan *p : plans)
    for (const auto &x : p->suite->tests)
      if (&x == t)
        return p->suite->file->path + "/" + x.name;
  return "?";
}

TEST(Shard, EveryTestInOneShardAndCountsWithinOne) {
  Fixture f({37, 1, 0, 250, 12, 5});
  RunOptions opt;
  for (unsigned n : {1u, 2u, 3u, 4u, 7u, 16u, 400u}) {
    std::map<std::string, int> seen;
    size_t lo = SIZE_MAX, hi = 0;
    for (unsigned k = 1; k <= n; ++k) {
      ShardPlan p = take_shard(f.list, opt, {k, n}, nullptr);
      EXPECT_EQ(p.selected, 305u);
      for (const TestDef *t : p.tests)
        ++seen[key(t, f.list)];
      lo = std::min(lo, p.tests.size());
      hi = std::max(hi, p.tests.size());
    }
    EXPECT_EQ(seen.size(), 305u) << "N=" << n;
    for (const auto &[name, times] : seen)
      EXPECT_EQ(times, 1) << name << " N=" << n;
    EXPECT_LE(hi - lo, 1u) << "N=" << n;
  }
}

TEST(Shard, TagsChooseFirstThenTheShardsSplitTheRest) {
  Fixture f({30, 30});
  RunOptions opt;
  opt.tags = {"third"};
  size_t total = 0;
  for (unsigned k = 1; k <= 4; ++k) {
    ShardPlan p = take_shard(f.list, opt, {k, 4}, nullptr);
    EXPECT_EQ(p.selected, 20u);
    for (const TestDef *t : p.tests)
      EXPECT_EQ(t->tags, std::vector<std::string>{"third"});
    total += p.tests.size();
    EXPECT_TRUE(p.tests.size() == 5u) << p.tests.size();
  }
  EXPECT_EQ(total, 20u);
}

TEST(Shard, TheSplitDoesNotDependOnTheOrderOfSuites) {
  Fixture f({20, 20, 20});
  std::vector<const SuitePlan *> reversed(f.list.rbegin(), f.list.rend());
  RunOptions opt;
  for (unsigned k = 1; k <= 3; ++k) {
    auto a = take_shard(f.list, opt, {k, 3}, nullptr).tests;
    auto b = take_shard(reversed, opt, {k, 3}, nullptr).tests;
    EXPECT_EQ(a, b);
  }
}

TEST(Shard, ASuiteWithoutSelectedTestsRunsInExactlyOneShard) {
  Fixture f({6, 2});
  RunOptions opt;
  opt.tags = {"third"}; // t0 and t3 of the first suite, t0 of the second
  opt.filter = Regex::compile("^t[3-5]$", nullptr);
  int runs_of_each[2] = {0, 0};
  size_t tests = 0;
  for (unsigned k = 1; k <= 5; ++k) {
    ShardPlan p = take_shard(f.list, opt, {k, 5}, nullptr);
    EXPECT_EQ(p.selected, 1u);
    tests += p.tests.size();
    for (const SuitePlan *s : p.suites)
      ++runs_of_each[s == f.list[0] ? 0 : 1];
  }
  EXPECT_EQ(tests, 1u);
  EXPECT_EQ(runs_of_each[0], 1); // the shard of its one test
  EXPECT_EQ(runs_of_each[1], 1); // none selected: still run once (setup, teardown)
}

TEST(Shard, ByTimeStaysWithinOneLongestTestOfTheIdeal) {
  Fixture f({40, 40});
  Durations d;
  double longest = 0, sum = 0;
  for (int s = 0; s < 2; ++s)
    for (int k = 0; k < 40; ++k) {
      double ms = (k * 37 + s * 11) % 97 + 1; // 1..97 ms, uneven
      d[{"suites/s" + std::to_string(s) + ".toml", "t" + std::to_string(k)}] = ms;
      longest = std::max(longest, ms);
      sum += ms;
    }
  RunOptions opt;
  std::vector<double> load;
  size_t total = 0;
  for (unsigned k = 1; k <= 4; ++k) {
    double ms = 0;
    for (const TestDef *t : take_shard(f.list, opt, {k, 4}, &d).tests) {
      std::string file = key(t, f.list).substr(0, key(t, f.list).rfind('/'));
      ms += d.at({file, t->name});
      ++total;
    }
    load.push_back(ms);
  }
  EXPECT_EQ(total, 80u);
  EXPECT_LE(*std::max_element(load.begin(), load.end()), sum / 4 + longest);
  EXPECT_LE(*std::max_element(load.begin(), load.end()) -
                *std::min_element(load.begin(), load.end()),
            longest);
}

TEST(Shard, BadSpecifications) {
  std::string why;
  for (const char *bad : {"", "4", "0/4", "5/4", "1/0", "a/b", "-1/4", "1/4/8", "1 /4", "2/"})
    EXPECT_FALSE(parse_shard(bad, &why)) << bad;
  auto ok = parse_shard("3/8", &why);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->index, 3u);
  EXPECT_EQ(ok->count, 8u);
}

} // namespace
} // namespace seam
