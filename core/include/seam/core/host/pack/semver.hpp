// Semantic versions (semver.org 2.0) and the ranges suites and packs write
// to say which versions they accept: ">=1.2, <2", "^1.2", "~1.4.1", "1.2.3",
// "*". Comparators joined by commas must all hold (as Cargo reads them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seam::pack {

struct Version {
  unsigned long major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre; // "rc.1" -> {"rc", "1"}; empty for a release

  // "1.2.3", "1.2.3-rc.1", "1.2.3+build" (build metadata is ignored).
  // nullopt when `text` is not a version; `why` says what is wrong.
  static std::optional<Version> parse(std::string_view text, std::string *why = nullptr);
  std::string str() const;
};

// <0, 0, >0 as a is lower, equal or higher (precedence per semver.org §11).
int compare(const Version &a, const Version &b);
inline bool operator<(const Version &a, const Version &b) { return compare(a, b) < 0; }
inline bool operator==(const Version &a, const Version &b) { return compare(a, b) == 0; }

class Range {
public:
  // nullopt when `text` is not a range; `why` says what is wrong.
  static std::optional<Range> parse(std::string_view text, std::string *why = nullptr);
  bool contains(const Version &v) const;
  const std::string &text() const { return text_; }

private:
  enum class Op { Eq, Lt, Le, Gt, Ge };
  struct Comparator {
    Op op;
    Version v;
  };
  std::vector<Comparator> all_; // empty: any version ("*")
  std::string text_;
};

} // namespace seam::pack
