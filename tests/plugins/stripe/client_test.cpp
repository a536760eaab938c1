// client_test.cpp - stripe.request's client: Stripe's conventions and retry
// rules against the emulator (with faults), and the same client against
// stripe-stateful-mock, an independent server.
#include "client.hpp"
#include "emulator_server.hpp"
#include "node_reference.hpp"

#include <seam/plugin.hpp>

#include <gtest/gtest.h>

namespace {

using namespace seam_stripe;

client_config config_for(const std::string &base) {
  return parse_client_config("stripe", {{"api_base", base},
                                        {"api_key", "sk_test_client_unit"},
                                        {"initial_delay", "10ms"},
                                        {"max_delay", "50ms"}});
}

json request(const client_config &c, const json &input) { return stripe_request(c, input, {}); }

TEST(Client, ConfigRefusesLiveKeysAndBadValues) {
  EXPECT_THROW(parse_client_config("s", {{"api_key", "sk_live_x"}}), seam::error);
  EXPECT_NO_THROW(parse_client_config("s", {{"api_key", "sk_live_x"}, {"allow_live", true}}));
  EXPECT_THROW(parse_client_config("s", {{"api_key", ""}}), seam::error);
  EXPECT_THROW(parse_client_config("s", {{"api_key", "sk_test_x"}, {"api_base", "ftp://x"}}),
               seam::error);
  EXPECT_THROW(parse_client_config("s", {{"api_key", "sk_test_x"}, {"timeout", "5"}}), seam::error);
  try {
    parse_client_config("s", {{"api_key", "sk_live_abcdef"}});
  } catch (const seam::error &e) {
    EXPECT_EQ(std::string(e.what()).find("abcdef"), std::string::npos) << e.what();
  }
}

TEST(Client, SendsStripesHeadersAndForm) {
  emulator_server mock("stripe", json::object());
  auto c = config_for(mock.attributes()["api_base"]);
  c.version = "2024-06-20";
  auto out = request(c, {{"method", "POST"},
                         {"path", "/v1/customers"},
                         {"params", {{"email", "a@example.com"}, {"metadata", {{"k", "v w"}}}}},
                         {"account", "acct_123"}});
  EXPECT_EQ(out["status"], 200);
  EXPECT_EQ(out["json"]["metadata"]["k"], "v w");
  EXPECT_TRUE(out["headers"]["request-id"].get<std::string>().rfind("req_", 0) == 0);
  auto call = mock.calls().at(0);
  EXPECT_EQ(call["stripe_version"], "2024-06-20");
  EXPECT_EQ(call["stripe_account"], "acct_123");
  EXPECT_EQ(call["idempotency_key"], out["idempotency_key"]);
  EXPECT_EQ(call["idempotency_key"].get<std::string>().size(), 36u);
  // Per-call override of the version; expand on GET goes to the query.
  std::string id = out["json"]["id"];
  auto got = request(c, {{"path", "/v1/customers/" + id},
                         {"version", "2025-01-01"},
                         {"expand", json::array({"invoice_settings"})}});
  EXPECT_EQ(got["status"], 200);
  EXPECT_EQ(mock.calls().at(1)["stripe_version"], "2025-01-01");
  EXPECT_EQ(mock.calls().at(1)["params"]["expand"], json::array({"invoice_settings"}));
  EXPECT_TRUE(mock.calls().at(1)["idempotency_key"] == ""); // none on GET
}

TEST(Client, RetriesServerErrorsWithOneKey) {
  emulator_server mock("stripe", {{"faults", json::parse(R"([
      {"method": "POST", "path": "/v1/customers", "status": 500, "times": 2}])")}});
  auto out = request(config_for(mock.attributes()["api_base"]),
                     {{"method", "POST"}, {"path", "/v1/customers"}});
  EXPECT_EQ(out["status"], 200);
  EXPECT_EQ(out["attempts"], 3);
  auto calls = mock.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0]["idempotency_key"], calls[2]["idempotency_key"]);
}

TEST(Client, FollowsStripeShouldRetry) {
  emulator_server mock("stripe", {{"faults", json::parse(R"([
      {"path": "/v1/customers", "status": 503, "should_retry": false, "times": 1},
      {"path": "/v1/charges", "status": 429, "should_retry": true, "times": 1},
      {"path": "/v1/refunds", "status": 429}])")}});
  auto c = config_for(mock.attributes()["api_base"]);
  EXPECT_EQ(request(c, {{"path", "/v1/customers"}})["attempts"], 1);
  auto charges = request(c, {{"path", "/v1/charges"}});
  EXPECT_EQ(charges["attempts"], 2);
  EXPECT_EQ(charges["status"], 200);
  auto refunds = request(c, {{"path", "/v1/refunds"}});
  EXPECT_EQ(refunds["attempts"], 1); // a 4xx is never retried on its own
  EXPECT_EQ(refunds["error"]["code"], "rate_limit");
}

TEST(Client, CardErrorsAreOutputsNotRetried) {
  emulator_server mock("stripe", json::object());
  auto out = request(config_for(mock.attributes()["api_base"]),
                     {{"method", "POST"},
                      {"path", "/v1/payment_intents"},
                      {"params",
                       {{"amount", 100},
                        {"currency", "usd"},
                        {"payment_method", "pm_card_chargeDeclined"},
                        {"confirm", true}}}});
  EXPECT_EQ(out["status"], 402);
  EXPECT_EQ(out["attempts"], 1);
  EXPECT_EQ(out["error"]["type"], "card_error");
  EXPECT_EQ(out["error"]["decline_code"], "generic_decline");
}

TEST(Client, NetworkErrorsRetryThenFail) {
  // A port that was free a moment ago: connection refused.
  int port;
  {
    emulator_server gone("gone", json::object());
    port = gone.attributes()["port"];
  }
  auto c = config_for("http://127.0.0.1:" + std::to_string(port));
  c.max_retries = 1;
  try {
    request(c, {{"path", "/v1/customers"}});
    FAIL() << "no error";
  } catch (const seam::error &e) {
    EXPECT_NE(std::string(e.what()).find("2 attempt(s)"), std::string::npos) << e.what();
  }
}

TEST(Client, RetryDelayAsStripeNode) {
  auto c = config_for("http://x");
  c.initial_delay = std::chrono::milliseconds(500);
  c.max_delay = std::chrono::milliseconds(5000);
  EXPECT_EQ(retry_delay(c, 1, "", 0).count(), 500);    // at least the initial delay
  EXPECT_EQ(retry_delay(c, 3, "", 1).count(), 2000);   // 500 * 2^2, full jitter
  EXPECT_EQ(retry_delay(c, 3, "", 0).count(), 1000);   // half of it
  EXPECT_EQ(retry_delay(c, 10, "", 1).count(), 5000);  // capped
  EXPECT_EQ(retry_delay(c, 1, "3", 0).count(), 3000);  // Retry-After
  EXPECT_EQ(retry_delay(c, 1, "120", 0).count(), 500); // too long a Retry-After is ignored
}

TEST(Client, AgainstStripeStatefulMock) {
  STRIPE_REQUIRE_NPM();
  stripe_test::node_server server("stateful_mock.js");
  auto c = config_for("http://127.0.0.1:" + std::to_string(server.port()));
  auto customer =
      request(c, {{"method", "POST"},
                  {"path", "/v1/customers"},
                  {"params", {{"email", "ssm@example.com"}, {"metadata", {{"a", "b"}}}}}});
  ASSERT_EQ(customer["status"], 200) << customer.dump();
  EXPECT_EQ(customer["json"]["metadata"]["a"], "b");
  json charge_params = {{"amount", 1500}, {"currency", "usd"}, {"source", "tok_visa"}};
  auto charge = request(c, {{"method", "POST"},
                            {"path", "/v1/charges"},
                            {"params", charge_params},
                            {"idempotency_key", "ssm-charge-1"}});
  ASSERT_EQ(charge["status"], 200) << charge.dump();
  EXPECT_EQ(charge["json"]["amount"], 1500);
  // Same key, same parameters: the same charge. Same key, other parameters: refused.
  auto again = request(c, {{"method", "POST"},
                           {"path", "/v1/charges"},
                           {"params", charge_params},
                           {"idempotency_key", "ssm-charge-1"}});
  EXPECT_EQ(again["json"]["id"], charge["json"]["id"]);
  charge_params["amount"] = 1600;
  auto other = request(c, {{"method", "POST"},
                           {"path", "/v1/charges"},
                           {"params", charge_params},
                           {"idempotency_key", "ssm-charge-1"}});
  EXPECT_EQ(other["status"], 400);
  EXPECT_EQ(other["error"]["type"], "idempotency_error");
  auto declined = request(
      c, {{"method", "POST"},
          {"path", "/v1/charges"},
          {"params", {{"amount", 1500}, {"currency", "usd"}, {"source", "tok_chargeDeclined"}}}});
  EXPECT_EQ(declined["status"], 402);
  EXPECT_EQ(declined["error"]["code"], "card_declined");
  auto refund = request(c, {{"method", "POST"},
                            {"path", "/v1/refunds"},
                            {"params", {{"charge", charge["json"]["id"]}, {"amount", 500}}}});
  ASSERT_EQ(refund["status"], 200) << refund.dump();
  auto after = request(c, {{"path", "/v1/charges/" + charge["json"]["id"].get<std::string>()}});
  EXPECT_EQ(after["json"]["amount_refunded"], 500);
  auto missing = request(c, {{"path", "/v1/customers/cus_missing"}});
  EXPECT_EQ(missing["status"], 404);
  EXPECT_EQ(missing["error"]["code"], "resource_missing");
}

} // namespace
