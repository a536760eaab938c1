// SemVer versions and ranges as suites (`requires`) and manifests write them.
#include "seam/core/host/pack/semver.hpp"

#include <gtest/gtest.h>

using seam::pack::Range;
using seam::pack::Version;

namespace {

Version v(const char *text) {
  auto parsed = Version::parse(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(Version{});
}

bool in(const char *range, const char *version) {
  std::string why;
  auto r = Range::parse(range, &why);
  EXPECT_TRUE(r) << why;
  return r && r->contains(v(version));
}

} // namespace

TEST(Semver, ParsesAndPrints) {
  EXPECT_EQ(v("1.2.3").str(), "1.2.3");
  EXPECT_EQ(v("1.2.3-rc.1+build.5").str(), "1.2.3-rc.1");
  EXPECT_EQ(v("10.20.30").major, 10u);
}

TEST(Semver, RefusesWhatIsNotAVersion) {
  for (const char *bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.x.3", "1.2.3-", "1.2.3-a..b",
                          "v1.2.3", "1.2.3-é"}) {
    std::string why;
    EXPECT_FALSE(Version::parse(bad, &why)) << bad;
    EXPECT_NE(why.find("is not a version"), std::string::npos) << why;
  }
}

TEST(Semver, OrdersAsSemverOrgSays) {
  const char *order[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                         "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                         "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                         "1.1.0",       "2.0.0"};
  for (size_t i = 0; i + 1 < std::size(order); ++i)
    EXPECT_LT(compare(v(order[i]), v(order[i + 1])), 0) << order[i] << " < " << order[i + 1];
  EXPECT_EQ(compare(v("1.0.0+a"), v("1.0.0+b")), 0);
}

TEST(Semver, Ranges) {
  EXPECT_TRUE(in(">=1.2, <2", "1.2.0"));
  EXPECT_TRUE(in(">=1.2, <2", "1.9.9"));
  EXPECT_FALSE(in(">=1.2, <2", "1.1.9"));
  EXPECT_FALSE(in(">=1.2, <2", "2.0.0"));
  EXPECT_TRUE(in("*", "0.0.1"));
  EXPECT_TRUE(in("^1.2", "1.7.0"));
  EXPECT_FALSE(in("^1.2", "2.0.0"));
  EXPECT_TRUE(in("^0.3", "0.3.9"));
  EXPECT_FALSE(in("^0.3", "0.4.0"));
  EXPECT_TRUE(in("1.2", "1.5.0")); // a bare version is a caret range
  EXPECT_TRUE(in("~1.4.1", "1.4.9"));
  EXPECT_FALSE(in("~1.4.1", "1.5.0"));
  EXPECT_TRUE(in("=1.2.3", "1.2.3"));
  EXPECT_FALSE(in("=1.2.3", "1.2.4"));
  EXPECT_TRUE(in(">1.0.0", "1.0.1"));
  EXPECT_TRUE(in("<=1.0.0", "1.0.0"));
}

TEST(Semver, PreReleasesOnlyWhenAsked) {
  EXPECT_FALSE(in(">=1.0", "2.0.0-alpha"));
  EXPECT_FALSE(in("^1.2", "2.0.0-rc.1"));
  EXPECT_TRUE(in(">=2.0.0-alpha", "2.0.0-beta"));
  EXPECT_FALSE(in(">=2.0.0-alpha", "2.1.0-beta"));
}

TEST(Semver, RefusesBadRanges) {
  for (const char *bad : {"", ">=", ">=1.2,", "~> 1.2", ">= x", "1.2.3.4", ", <2"}) {
    std::string why;
    EXPECT_FALSE(Range::parse(bad, &why)) << bad;
    EXPECT_NE(why.find("is not a version range"), std::string::npos) << why;
  }
}
