// Masking of secret values in text and in JSON documents.
#include "seam/core/base/secrets.hpp"

#include <gtest/gtest.h>

namespace seam {
namespace {

using json = nlohmann::json;

TEST(Secrets, EmptyByDefault) {
  Secrets s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.mask("nothing to hide"), "nothing to hide");
  s.add("");
  EXPECT_TRUE(s.empty()) << "an empty secret would mask between every character";
}

TEST(Secrets, MasksEveryOccurrence) {
  Secrets s;
  s.add("hunter2");
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(s.mask("postgresql://u:hunter2@h/db"), "postgresql://u:***@h/db");
  // Adjacent occurrences become one ***: the mask tells neither length nor count.
  EXPECT_EQ(s.mask("hunter2hunter2 and hunter2"), "*** and ***");
  EXPECT_EQ(s.mask("hunter"), "hunter");
  EXPECT_EQ(s.mask(""), "");
}

TEST(Secrets, AddingTwiceIsHarmless) {
  Secrets s;
  s.add("tok");
  s.add("tok");
  EXPECT_EQ(s.mask("tok tok"), "*** ***");
}

TEST(Secrets, LongestFirstWhenOneContainsAnother) {
  Secrets s;
  s.add("abc");
  s.add("abcdef"); // added later, still masked whole
  EXPECT_EQ(s.mask("x abcdef y abc z"), "x *** y *** z");

  Secrets t;
  t.add("abcdef");
  t.add("abc");
  EXPECT_EQ(t.mask("x abcdef y abc z"), "x *** y *** z");
}

TEST(Secrets, OverlappingSecretsLeaveNoPartVisible) {
  Secrets s;
  s.add("pass1234");
  s.add("1234word");
  // Neither secret may show, not even the part the other one did not cover.
  std::string masked = s.mask("pass1234word");
  EXPECT_EQ(masked.find("pass"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("1234"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("word"), std::string::npos) << masked;
}

TEST(Secrets, SecretMadeOfStars) {
  // Masking must terminate even when the replacement contains the secret.
  Secrets s;
  s.add("*");
  EXPECT_EQ(s.mask("a*b*"), "a***b***");
}

TEST(Secrets, MaskInPlace) {
  Secrets s;
  s.add("k3y");
  std::string text = "key=k3y";
  s.mask_in_place(text);
  EXPECT_EQ(text, "key=***");
}

TEST(Secrets, MaskJsonNestedValuesAndKeys) {
  Secrets s;
  s.add("s3cr3t");
  json v = json::parse(R"({
    "url": "https://u:s3cr3t@host/",
    "list": ["a", "s3cr3t", {"deep": "xs3cr3tx"}],
    "s3cr3t": "as a key",
    "n": 5, "b": true, "z": null
  })");
  json m = s.mask_json(v);
  EXPECT_EQ(m["url"], "https://u:***@host/");
  EXPECT_EQ(m["list"], json::parse(R"(["a", "***", {"deep": "x***x"}])"));
  EXPECT_FALSE(m.contains("s3cr3t"));
  EXPECT_EQ(m["***"], "as a key");
  EXPECT_EQ(m["n"], 5);
  EXPECT_EQ(m["b"], true);
  EXPECT_TRUE(m["z"].is_null());
  EXPECT_EQ(m.dump().find("s3cr3t"), std::string::npos);
}

TEST(Secrets, MaskJsonLeavesValuesAloneWithoutSecrets) {
  Secrets s;
  json v = {{"a", 1}, {"b", "x"}};
  EXPECT_EQ(s.mask_json(v), v);
}

TEST(Secrets, NumbersCanBeSecrets) {
  Secrets s;
  s.add("4321");
  EXPECT_EQ(s.mask_json(json(4321)), "***");
  EXPECT_EQ(s.mask_json(json(94321)), "9***");
  json other = s.mask_json(json(12));
  EXPECT_TRUE(other.is_number_integer());
  EXPECT_EQ(other, 12);
  EXPECT_EQ(s.mask_json(json{{"pin", 4321}})["pin"], "***");
}

TEST(Secrets, DiscardedAndBooleansSurvive) {
  Secrets s;
  s.add("true");
  // A boolean's text is masked too: a secret "true" must not show anywhere.
  EXPECT_EQ(s.mask_json(json(true)), "***");
  EXPECT_TRUE(s.mask_json(json(json::value_t::discarded)).is_discarded());
}

TEST(Secrets, EscapedFormsInQuotedValuesAreMaskedToo) {
  // Failure messages quote values as JSON: a secret with a quote, a backslash
  // or a control character appears there escaped.
  Secrets s;
  s.add("p&w<\"x\\y>");
  s.add("tab\there");
  std::string msg = R"(input.pw: expected "nope", got "p&w<\"x\\y>")";
  EXPECT_EQ(s.mask(msg), R"(input.pw: expected "nope", got "***")");
  EXPECT_EQ(s.mask(R"("tab\there")"), R"("***")");
  EXPECT_EQ(s.mask("raw p&w<\"x\\y> too"), "raw *** too");
}

TEST(Secrets, UrlEncodedFormsAreMasked) {
  Secrets s;
  s.add("p@ss w/rd");
  // curl and most clients (upper-case hex), others lower-case, forms '+'.
  EXPECT_EQ(s.mask("https://h/x?password=p%40ss%20w%2Frd&a=1"), "https://h/x?password=***&a=1");
  EXPECT_EQ(s.mask("q=p%40ss%20w%2frd"), "q=***");
  EXPECT_EQ(s.mask("q=p%40ss+w%2Frd"), "q=***");
  EXPECT_EQ(s.mask("/p@ss%20w/rd"), "/***") << "a path encoder leaves '@' and '/' as they are";
}

TEST(Secrets, JsonEscapedFormsOfOtherEncodersAreMasked) {
  Secrets s;
  s.add("x<y&z>Q7'\"");
  // Go's encoder writes <, > and & as \u00XX; some write ' so too.
  EXPECT_EQ(s.mask(R"({"echo":"x\u003cy\u0026z\u003eQ7'\""})"), R"({"echo":"***"})");
  EXPECT_EQ(s.mask(R"({"echo":"x\u003cy\u0026z\u003eQ7\u0027\""})"), R"({"echo":"***"})");
  Secrets t;
  t.add("a/b/é-secret");
  EXPECT_EQ(t.mask(R"("a\/b\/é-secret")"), R"("***")") << "PHP escapes '/'";
  EXPECT_EQ(t.mask(R"("a/b/\u00e9-secret")"), R"("***")") << "ASCII-only encoders";
}

TEST(Secrets, HtmlEscapedFormsAreMasked) {
  Secrets s;
  s.add("x<y&z>Q7'\"");
  EXPECT_EQ(s.mask("<p>x&lt;y&amp;z&gt;Q7&#39;&quot;</p>"), "<p>***</p>");
  EXPECT_EQ(s.mask("<p>x&lt;y&amp;z&gt;Q7&#x27;&quot;</p>"), "<p>***</p>");
  EXPECT_EQ(s.mask("<p>x&lt;y&amp;z&gt;Q7'\"</p>"), "<p>***</p>");
}

TEST(Secrets, Base64AnywhereInLongerDataIsMasked) {
  Secrets s;
  s.add("Tok3nS3cr3tValue");
  // Basic credentials: base64("user:Tok3nS3cr3tValue") and with other
  // prefixes that put the secret at each offset modulo 3.
  for (std::string prefix : {"", "u:", "us:", "user:"}) {
    std::string plain = prefix + "Tok3nS3cr3tValue" + "!";
    static const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    for (size_t i = 0; i < plain.size(); i += 3) {
      uint32_t n = static_cast<unsigned char>(plain[i]) << 16;
      if (i + 1 < plain.size())
        n |= static_cast<unsigned char>(plain[i + 1]) << 8;
      if (i + 2 < plain.size())
        n |= static_cast<unsigned char>(plain[i + 2]);
      b64 += abc[(n >> 18) & 63];
      b64 += abc[(n >> 12) & 63];
      b64 += i + 1 < plain.size() ? abc[(n >> 6) & 63] : '=';
      b64 += i + 2 < plain.size() ? abc[n & 63] : '=';
    }
    std::string masked = s.mask("Authorization: Basic " + b64);
    EXPECT_NE(masked.find("***"), std::string::npos) << prefix << ": " << masked;
    // What remains visible is at most the characters mixed with neighbours.
    EXPECT_LE(masked.size(), std::string("Authorization: Basic ").size() + 3 + 2 + 8 + 4)
        << prefix << ": " << masked;
  }
}

TEST(Secrets, ShortSecretsHaveNoBase64Form) {
  Secrets s;
  s.add("abc12");
  EXPECT_EQ(s.mask("YWJjMTI="), "YWJjMTI=") << "fragments of a short secret's base64 would hide "
                                               "unrelated text";
}

} // namespace
} // namespace seam
