// Test selection: --tag, --filter and the shards of --shard K/N.
#include "seam/core/run/select.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <tuple>

namespace seam {

namespace {

// FNV-1a, 64 bits: the same value on every machine and every build, which
// std::hash does not promise.
uint64_t stable_hash(std::string_view a, std::string_view b) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(a);
  mix(std::string_view("\0", 1));
  mix(b);
  return h;
}

std::optional<unsigned> whole(std::string_view s) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty())
    return std::nullopt;
  return v;
}

} // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string *why) {
  auto slash = text.find('/');
  auto k = whole(text.substr(0, slash));
  auto n = slash == std::string_view::npos ? std::nullopt : whole(text.substr(slash + 1));
  if (!k || !n || *n < 1 || *k < 1 || *k > *n || *n > 10000) {
    *why = "write K/N, shard K of N with 1 <= K <= N: --shard 1/4 ... --shard 4/4";
    return std::nullopt;
  }
  return Shard{*k, *n};
}

std::optional<Durations> read_durations(const std::string &report_path, std::string *why) {
  std::ifstream in(report_path, std::ios::binary);
  if (!in) {
    *why = "cannot read " + report_path;
    return std::nullopt;
  }
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("suites") ||
      !doc["suites"].is_array()) {
    *why = report_path + " is not a seam JSON report (--report json:PATH writes one)";
    return std::nullopt;
  }
  Durations d;
  for (const auto &s : doc["suites"]) {
    if (!s.is_object() || !s.contains("file") || !s["file"].is_string() || !s.contains("tests") ||
        !s["tests"].is_array())
      continue;
    for (const auto &t : s["tests"])
      if (t.is_object() && t.contains("name") && t["name"].is_string() &&
          t.contains("duration_ms") && t["duration_ms"].is_number())
        d[{s["file"].get<std::string>(), t["name"].get<std::string>()}] =
            t["duration_ms"].get<double>();
  }
  return d;
}

bool matches_tags_and_filter(const RunOptions &opt, const Suite &s, const TestDef &t) {
  if (!opt.tags.empty()) {
    bool any = false;
    for (const auto &want : opt.tags)
      any = any || std::find(t.tags.begin(), t.tags.end(), want) != t.tags.end() ||
            std::find(s.tags.begin(), s.tags.end(), want) != s.tags.end();
    if (!any)
      return false;
  }
  return !opt.filter || opt.filter->search(t.name);
}

ShardPlan take_shard(const std::vector<const SuitePlan *> &suites, const RunOptions &opt,
                     Shard shard, const Durations *durations) {
  struct Item {
    uint64_t hash;
    size_t suite, test;
    double ms;
  };
  std::vector<Item> items;
  std::vector<std::vector<bool>> keep(suites.size());
  std::vector<bool> has_selected(suites.size(), false);
  for (size_t si = 0; si < suites.size(); ++si) {
    const Suite &s = *suites[si]->suite;
    keep[si].assign(s.tests.size(), false);
    for (size_t ti = 0; ti < s.tests.size(); ++ti)
      if (matches_tags_and_filter(opt, s, s.tests[ti])) {
        items.push_back({stable_hash(s.file->path, s.tests[ti].name), si, ti, 0});
        has_selected[si] = true;
      }
  }
  // Ties of the hash (two tests of one name in one file) keep file order.
  auto by_hash = [&](const Item &a, const Item &b) {
    return std::tie(a.hash, a.suite, a.test) < std::tie(b.hash, b.suite, b.test);
  };
  std::sort(items.begin(), items.end(), by_hash);
  const unsigned mine = shard.index - 1;
  if (!durations) {
    for (size_t i = 0; i < items.size(); ++i)
      if (i % shard.count == mine)
        keep[items[i].suite][items[i].test] = true;
  } else {
    double known = 0;
    size_t n_known = 0;
    for (auto &it : items) {
      const Suite &s = *suites[it.suite]->suite;
      auto d = durations->find({s.file->path, s.tests[it.test].name});
      it.ms = d == durations->end() ? -1 : std::max(0.0, d->second);
      if (it.ms >= 0) {
        known += it.ms;
        ++n_known;
      }
    }
    double mean = n_known ? known / static_cast<double>(n_known) : 1.0;
    for (auto &it : items)
      if (it.ms < 0)
        it.ms = mean;
    std::stable_sort(items.begin(), items.end(),
                     [](const Item &a, const Item &b) { return a.ms > b.ms; });
    // Least time so far takes the next test; equal times: fewer tests, then
    // the lower shard, so that every machine computes the same split.
    std::vector<std::pair<double, size_t>> load(shard.count, {0.0, 0});
    for (const auto &it : items) {
      size_t best = 0;
      for (size_t k = 1; k < load.size(); ++k)
        if (load[k] < load[best])
          best = k;
      load[best].first += it.ms;
      ++load[best].second;
      if (best == mine)
        keep[it.suite][it.test] = true;
    }
  }

  ShardPlan plan;
  plan.selected = items.size();
  for (size_t si = 0; si < suites.size(); ++si) {
    const Suite &s = *suites[si]->suite;
    size_t n = 0;
    for (size_t ti = 0; ti < s.tests.size(); ++ti)
      if (keep[si][ti]) {
        plan.tests.insert(&s.tests[ti]);
        ++n;
      }
    if (n > 0 || (!has_selected[si] && stable_hash(s.file->path, "") % shard.count == mine))
      plan.suites.push_back(suites[si]);
  }
  return plan;
}

} // namespace seam
