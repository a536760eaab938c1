// signature_test.cpp - webhook signatures, checked both ways against the
// official SDK: it accepts what we sign, we accept what it signs, and both
// refuse altered bodies, wrong secrets and stale timestamps.
#include "node_reference.hpp"
#include "signature.hpp"

#include <gtest/gtest.h>

namespace {

using namespace seam_stripe;
using json = nlohmann::json;

const std::string kSecret = "whsec_test_5ecret";
const std::string kBody =
    R"({"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}})";

json node_verify(const std::string &payload, const std::string &header, const std::string &secret,
                 int tolerance = 300) {
  return stripe_test::node_reference({{"op", "verify"},
                                      {"payload", payload},
                                      {"header", header},
                                      {"secret", secret},
                                      {"tolerance", tolerance}});
}

TEST(Signature, HmacKnownAnswer) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, TheSdkAcceptsOurs) {
  STRIPE_REQUIRE_NPM();
  auto header = signature_header(kSecret, unix_now(), kBody);
  auto r = node_verify(kBody, header, kSecret);
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["id"], "evt_1");
}

TEST(Signature, TheSdkRefusesOursWhenWrong) {
  STRIPE_REQUIRE_NPM();
  auto now = unix_now();
  auto tampered = node_verify(kBody + " ", signature_header(kSecret, now, kBody), kSecret);
  EXPECT_FALSE(tampered["ok"].get<bool>());
  EXPECT_NE(tampered["error"].get<std::string>().find("No signatures found"), std::string::npos)
      << tampered.dump();
  auto wrong = node_verify(kBody, signature_header("whsec_other", now, kBody), kSecret);
  EXPECT_FALSE(wrong["ok"].get<bool>());
  auto stale = node_verify(kBody, signature_header(kSecret, now - 301, kBody), kSecret);
  EXPECT_FALSE(stale["ok"].get<bool>());
  EXPECT_NE(stale["error"].get<std::string>().find("tolerance"), std::string::npos) << stale.dump();
}

TEST(Signature, WeAcceptTheSdks) {
  STRIPE_REQUIRE_NPM();
  auto now = unix_now();
  auto r = stripe_test::node_reference(
      {{"op", "sign"}, {"payload", kBody}, {"secret", kSecret}, {"timestamp", now}});
  std::string header = r["header"];
  // Our own header for the same input is byte for byte the SDK's.
  EXPECT_EQ(header, signature_header(kSecret, now, kBody));
  auto v = verify_signature(header, kBody, kSecret, 300, unix_now());
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.timestamp, now);
}

TEST(Signature, WeRefuseTheSdksWhenWrong) {
  STRIPE_REQUIRE_NPM();
  auto now = unix_now();
  auto sign = [&](int64_t ts) {
    return stripe_test::node_reference({{"op", "sign"},
                                        {"payload", kBody},
                                        {"secret", kSecret},
                                        {"timestamp", ts}})["header"]
        .get<std::string>();
  };
  auto fresh = sign(now), stale = sign(now - 301);
  auto tampered = verify_signature(fresh, kBody + " ", kSecret, 300, now);
  EXPECT_FALSE(tampered.ok);
  EXPECT_NE(tampered.reason.find("no signature matches"), std::string::npos) << tampered.reason;
  auto wrong = verify_signature(fresh, kBody, "whsec_other", 300, now);
  EXPECT_FALSE(wrong.ok);
  auto old = verify_signature(stale, kBody, kSecret, 300, now);
  EXPECT_FALSE(old.ok);
  EXPECT_NE(old.reason.find("tolerance"), std::string::npos) << old.reason;
  // Tolerance 0 does not check the age, as in the SDKs.
  EXPECT_TRUE(verify_signature(stale, kBody, kSecret, 0, now).ok);
}

TEST(Signature, MalformedHeaders) {
  auto now = unix_now();
  EXPECT_NE(verify_signature("", kBody, kSecret, 300, now).reason.find("no Stripe-Signature"),
            std::string::npos);
  EXPECT_NE(verify_signature("v1=abc", kBody, kSecret, 300, now).reason.find("no t="),
            std::string::npos);
  EXPECT_NE(verify_signature("t=x1,v1=abc", kBody, kSecret, 300, now).reason.find("not a number"),
            std::string::npos);
  EXPECT_NE(verify_signature("t=1", kBody, kSecret, 300, now).reason.find("no v1"),
            std::string::npos);
  // A second v1 (a rolled secret) may be the one that matches.
  auto good = signature_header(kSecret, now, kBody);
  auto v1 = good.substr(good.find("v1="));
  EXPECT_TRUE(verify_signature("t=" + std::to_string(now) + ",v1=00ff," + v1 + ",v0=zz", kBody,
                               kSecret, 300, now)
                  .ok);
}

} // namespace
