// The checks that replaced std::regex in the host (names.hpp, valid_platform,
// a manifest's abi and sha256) give the same answers as the patterns they
// replace: every string of up to 5 characters from an alphabet with a member
// of each class the patterns tell apart is checked both ways.
#include "seam/core/host/names.hpp"
#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/platform.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace {

std::vector<std::string> all_strings(const std::string &alphabet, size_t max_len) {
  std::vector<std::string> out{""};
  for (size_t begin = 0, len = 1; len <= max_len; ++len) {
    size_t end = out.size();
    for (size_t i = begin; i < end; ++i)
      for (char c : alphabet)
        out.push_back(out[i] + c);
    begin = end;
  }
  return out;
}

// Lower and upper case, digits, and each punctuation mark the patterns use.
const std::vector<std::string> kStrings = all_strings("az09_.-A ", 5);

TEST(Names, PluginNamesAreWhatThePatternAccepts) {
  const std::regex re("^[a-z][a-z0-9_]*$");
  size_t accepted = 0;
  for (const auto &s : kStrings) {
    ASSERT_EQ(seam::is_plugin_name(s), std::regex_match(s, re)) << "'" << s << "'";
    accepted += seam::is_plugin_name(s);
  }
  EXPECT_GT(accepted, 100u);
}

TEST(Names, StepNamesAreWhatThePatternAccepts) {
  const std::regex re("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$");
  size_t dotted = 0;
  for (const auto &s : kStrings) {
    ASSERT_EQ(seam::is_step_name(s), std::regex_match(s, re)) << "'" << s << "'";
    dotted += seam::is_step_name(s) && s.find('.') != std::string::npos;
  }
  EXPECT_GT(dotted, 10u);
  EXPECT_TRUE(seam::is_step_name("payment_intents.create"));
  EXPECT_FALSE(seam::is_step_name("payment_intents..create"));
}

TEST(Names, PlatformsAreWhatThePatternAccepts) {
  const std::regex re("^[a-z][a-z0-9]*-[a-z0-9_]+$");
  size_t accepted = 0;
  for (const auto &s : kStrings) {
    ASSERT_EQ(seam::pack::valid_platform(s), std::regex_match(s, re)) << "'" << s << "'";
    accepted += seam::pack::valid_platform(s);
  }
  EXPECT_GT(accepted, 10u);
  EXPECT_TRUE(seam::pack::valid_platform("linux-x86_64"));
}

std::string manifest(const std::string &abi, const std::string &sha256) {
  return "name = \"p\"\nversion = \"1.0.0\"\nsummary = \"s\"\nabi = \"" + abi +
         "\"\n[libraries]\nlinux-x86_64 = { path = \"lib/seam-p.so\", sha256 = \"" + sha256 +
         "\" }\n";
}

bool accepted(const std::string &text) {
  try {
    seam::pack::Manifest::parse(text, "m.toml");
    return true;
  } catch (const seam::pack::PackError &) {
    return false;
  }
}

TEST(Names, ManifestAbiIsMajorDotMinorOfUpToFourDigits) {
  const std::string sha(64, 'a');
  const std::regex re("^([0-9]{1,4})\\.([0-9]{1,4})$");
  for (const auto &s : all_strings("01.a", 5))
    ASSERT_EQ(accepted(manifest(s, sha)), std::regex_match(s, re)) << "'" << s << "'";
  for (const std::string s : {"1.2", "0001.9999"})
    EXPECT_TRUE(accepted(manifest(s, sha))) << s;
  for (const std::string s : {"12345.1", "1.23456", "1.2.3", "", "."})
    EXPECT_FALSE(accepted(manifest(s, sha))) << s;
  auto m = seam::pack::Manifest::parse(manifest("0012.0034", sha), "m.toml");
  EXPECT_EQ(m.abi_major, 12u);
  EXPECT_EQ(m.abi_minor, 34u);
}

TEST(Names, ManifestSha256IsSixtyFourLowerCaseHexDigits) {
  EXPECT_TRUE(accepted(manifest("1.2", std::string(64, 'f'))));
  EXPECT_TRUE(accepted(manifest("1.2", "0123456789abcdef" + std::string(48, '0'))));
  EXPECT_FALSE(accepted(manifest("1.2", std::string(64, 'F'))));
  EXPECT_FALSE(accepted(manifest("1.2", std::string(63, 'f'))));
  EXPECT_FALSE(accepted(manifest("1.2", std::string(65, 'f'))));
  EXPECT_FALSE(accepted(manifest("1.2", std::string(63, 'f') + "g")));
}

} // namespace
