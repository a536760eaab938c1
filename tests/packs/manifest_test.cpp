// seam-pack.toml: what is accepted, what is refused (with its position),
// and that writing it back is stable.
#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/host/pack/pack_error.hpp"

#include <gtest/gtest.h>

using namespace seam::pack;

namespace {

const char *kGood = R"(name = "stripe"
version = "1.2.0"
summary = "Stripe \"emulator\""
license = "Apache-2.0"
homepage = "https://example.com/stripe"
abi = "1.2"
seam = ">=0.1, <1"
docs = ["docs/stripe.md"]
examples = [{ path = "suites/pay.toml", sha256 = "0000000000000000000000000000000000000000000000000000000000000000" }]

[requires]
http = "*"

[libraries]
linux-x86_64 = { path = "lib/linux-x86_64/seam-stripe.so" }

[steps]
"payment_intents.create" = "Creates a payment intent"
request = "Any request"
)";

std::string refusal(const std::string &text) {
  try {
    Manifest::parse(text, "m.toml");
  } catch (const PackError &e) {
    EXPECT_EQ(e.why(), Refusal::Contents);
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return "";
}

std::string with(const std::string &from, const std::string &to) {
  std::string s = kGood;
  s.replace(s.find(from), from.size(), to);
  return s;
}

} // namespace

TEST(Manifest, ReadsEveryField) {
  Manifest m = Manifest::parse(kGood, "m.toml");
  EXPECT_EQ(m.name, "stripe");
  EXPECT_EQ(m.version.str(), "1.2.0");
  EXPECT_EQ(m.summary, "Stripe \"emulator\"");
  EXPECT_EQ(m.abi(), "1.2");
  ASSERT_TRUE(m.seam);
  EXPECT_EQ(m.seam->text(), ">=0.1, <1");
  EXPECT_EQ(m.libraries.at("linux-x86_64").path, "lib/linux-x86_64/seam-stripe.so");
  EXPECT_EQ(m.steps.at("payment_intents.create"), "Creates a payment intent");
  ASSERT_EQ(m.docs.size(), 1u);
  EXPECT_EQ(m.examples.at(0).sha256, std::string(64, '0'));
  EXPECT_EQ(m.depends.count("http"), 1u);
  EXPECT_EQ(m.files().size(), 3u);
  EXPECT_EQ(m.library_path("linux-aarch64"), "lib/linux-aarch64/seam-stripe.so");
}

TEST(Manifest, WritesBackTheSameManifest) {
  Manifest m = Manifest::parse(kGood, "m.toml");
  std::string once = m.to_toml();
  Manifest again = Manifest::parse(once, "again.toml");
  EXPECT_EQ(again.to_toml(), once);
  EXPECT_EQ(again.steps, m.steps);
  EXPECT_EQ(again.summary, m.summary);
}

TEST(Manifest, RefusesWithThePosition) {
  EXPECT_EQ(refusal(with("name = \"stripe\"", "name = \"Stripe\"")),
            "m.toml:1:8: 'Stripe' is not a plugin name (lower-case letters, digits and _, "
            "starting with a letter)");
  EXPECT_EQ(refusal(with("version = \"1.2.0\"", "version = \"1.2\"")),
            "m.toml:2:11: '1.2' is not a version (write MAJOR.MINOR.PATCH, such as 1.2.0)");
  EXPECT_NE(refusal(with("abi = \"1.2\"", "abi = 1.2")).find("m.toml:6:7: 'abi' must be a string"),
            std::string::npos);
  EXPECT_NE(refusal(with("seam = \">=0.1, <1\"", "seam = \"~> 1\"")).find("m.toml:7:8: "),
            std::string::npos);
  EXPECT_NE(refusal(with("homepage", "homepag")).find("m.toml:5:11: unknown key 'homepag'"),
            std::string::npos);
  EXPECT_NE(refusal(with("docs/stripe.md", "../stripe.md")).find("goes up with '..'"),
            std::string::npos);
  EXPECT_NE(refusal(with("docs/stripe.md", "/etc/passwd")).find("is absolute"), std::string::npos);
  EXPECT_NE(refusal(with("linux-x86_64 =", "Linux =")).find("'Linux' is not a platform name"),
            std::string::npos);
  EXPECT_NE(refusal(with("request =", "Request =")).find("'Request' is not a step name"),
            std::string::npos);
  EXPECT_NE(refusal(with("sha256 = \"0000", "sha256 = \"zz00")).find("is not a SHA-256"),
            std::string::npos);
  EXPECT_NE(refusal(with("summary = ", "# summary = ")).find("the manifest has no 'summary'"),
            std::string::npos);
  EXPECT_NE(refusal("name = \"x\"\nversion = ").find("m.toml:2:"), std::string::npos);
}

TEST(Manifest, SafePaths) {
  std::string why;
  EXPECT_TRUE(safe_relative_path("docs/a.md", &why));
  for (const char *bad : {"", "/a", "a/../b", "..", "a//b", "./a", "a\\b", "a\nb"})
    EXPECT_FALSE(safe_relative_path(bad, &why)) << bad;
}
