// emulator_test.cpp - the emulator as the official stripe SDK sees it, its
// webhooks as a listener sees them, and its faults.
#include "emulator_server.hpp"
#include "http_call.hpp"
#include "node_reference.hpp"
#include "webhook_listener.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace {

using namespace seam_stripe;
using namespace std::chrono_literals;

http_result call(const emulator_server &mock, const std::string &method, const std::string &path,
                 const std::string &body = "", std::vector<std::string> headers = {}) {
  http_request r;
  r.method = method;
  r.url = mock.attributes()["url"].get<std::string>() + path;
  r.body = body;
  r.headers = std::move(headers);
  r.headers.push_back("Authorization: Bearer sk_test_unit");
  if (method == "POST")
    r.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  return http_call(r);
}

TEST(Emulator, TheOfficialSdkDrivesIt) {
  STRIPE_REQUIRE_NPM();
  webhook_listener listener("hooks", {{"secret", "whsec_unit"}});
  emulator_server mock("stripe", {{"webhooks", json::array({{{"url", listener.attributes()["url"]},
                                                             {"secret", "whsec_unit"}}})}});
  std::string port = std::to_string(mock.attributes()["port"].get<int>());
  json out = json::parse(stripe_test::run_command(
      "NODE_PATH='" + stripe_test::npm_dir() +
      "/node_modules' node '" SEAM_STRIPE_TEST_DIR "/node/sdk_flow.js' " + port));

  EXPECT_EQ(out["customer"]["metadata"]["note"], "a b&c");
  EXPECT_EQ(out["payment_method"]["customer"], out["customer"]["id"]);
  EXPECT_EQ(out["created"]["status"], "requires_confirmation");
  EXPECT_EQ(out["confirmed"]["status"], "succeeded");
  EXPECT_EQ(out["confirmed"]["amount_received"], 2000);
  EXPECT_EQ(out["retrieved"]["latest_charge"]["object"], "charge"); // expanded
  EXPECT_EQ(out["charge"]["payment_intent"], out["created"]["id"]);
  EXPECT_EQ(out["charge"]["paid"], true);
  EXPECT_EQ(out["refund"]["amount"], 500);
  EXPECT_EQ(out["charge_after_refund"]["amount_refunded"], 500);
  EXPECT_EQ(out["charge_after_refund"]["refunded"], false);
  EXPECT_EQ(out["declined"], json::parse(R"({"class": "StripeCardError", "type": "StripeCardError",
      "code": "card_declined", "decline_code": "generic_decline", "status": 402,
      "intent_status": "requires_payment_method"})"));
  EXPECT_EQ(out["manual"]["status"], "requires_capture");
  EXPECT_EQ(out["captured"]["status"], "succeeded");
  EXPECT_EQ(out["captured"]["amount_received"], 2500);
  EXPECT_EQ(out["auth"]["status"], "requires_action");
  EXPECT_EQ(out["canceled"]["status"], "canceled");
  EXPECT_EQ(out["idempotent"]["first"], out["idempotent"]["again"]);
  EXPECT_EQ(out["idempotency_error"]["class"], "StripeIdempotencyError");
  EXPECT_EQ(out["idempotency_error"]["status"], 400);
  EXPECT_EQ(out["missing"]["code"], "resource_missing");
  EXPECT_EQ(out["missing"]["status"], 404);
  EXPECT_EQ(out["listed"].size(), 7u); // the flow's customer, the idempotent one, 5 pages' worth
  EXPECT_EQ(std::set<std::string>(out["listed"].begin(), out["listed"].end()).size(), 7u);
  EXPECT_EQ(out["deleted"]["deleted"], true);
  EXPECT_EQ(out["live"]["class"], "StripeAuthenticationError");
  EXPECT_EQ(out["live"]["message"].get<std::string>().find("not_for"), std::string::npos);
  for (const char *type : {"customer.created", "payment_method.attached", "payment_intent.created",
                           "payment_intent.succeeded", "charge.succeeded", "charge.refunded",
                           "refund.created", "charge.failed", "payment_intent.payment_failed",
                           "payment_intent.requires_action", "payment_intent.canceled"})
    EXPECT_NE(std::find(out["events"].begin(), out["events"].end(), type), out["events"].end())
        << type;

  // Every event reaches the listener, signed so that it verifies.
  size_t events = mock.events().size();
  auto deadline = seam::deadline::after(60s);
  std::set<std::string> seen;
  listener.wait(
      [&](const json &r) {
        EXPECT_TRUE(r["verified"].get<bool>()) << r.dump();
        seen.insert(r["id"].get<std::string>());
        return seen.size() == events;
      },
      deadline);
  EXPECT_EQ(seen.size(), events);
  for (const auto &e : mock.events()) {
    ASSERT_EQ(e["deliveries"].size(), 1u) << e.dump();
    EXPECT_EQ(e["deliveries"][0]["attempts"][0]["status"], 200);
  }
}

// The first event's first delivery once it is settled (delivered or given up).
json settled_delivery(const emulator_server &mock) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  json d;
  while (std::chrono::steady_clock::now() < deadline) {
    d = mock.events().at(0)["deliveries"][0];
    if (!d["pending"].get<bool>())
      break;
    std::this_thread::sleep_for(10ms);
  }
  return d;
}

TEST(Emulator, RetriesWebhooksWhileTheEndpointFails) {
  webhook_listener listener("hooks", {{"secret", "whsec_r"}, {"fail_first", 2}});
  emulator_server mock(
      "stripe",
      {{"webhooks", json::array({{{"url", listener.attributes()["url"]}, {"secret", "whsec_r"}}})},
       {"webhook_retry", {{"attempts", 3}, {"interval", "10ms"}}}});
  auto r = call(mock, "POST", "/v1/customers", "email=x%40example.com");
  ASSERT_EQ(r.status, 200) << r.body;
  json d = settled_delivery(mock);
  EXPECT_EQ(d["attempts"], json::parse(R"([{"status": 500}, {"status": 500}, {"status": 200}])"));
  EXPECT_EQ(d["delivered"], true);
  EXPECT_EQ(listener.received().size(), 3u);
}

TEST(Emulator, GivesUpAfterTheLastAttempt) {
  webhook_listener listener("hooks", {{"secret", "whsec_r"}, {"fail_first", 5}});
  emulator_server mock(
      "stripe",
      {{"webhooks", json::array({{{"url", listener.attributes()["url"]}, {"secret", "whsec_r"}}})},
       {"webhook_retry", {{"attempts", 2}, {"interval", "10ms"}}}});
  ASSERT_EQ(call(mock, "POST", "/v1/customers", "").status, 200);
  json d = settled_delivery(mock);
  EXPECT_EQ(d["delivered"], false);
  EXPECT_EQ(d["attempts"].size(), 2u);
  EXPECT_EQ(listener.received().size(), 2u);
}

TEST(Emulator, InjectsFaultsPerRoute) {
  emulator_server mock("stripe", {{"faults", json::parse(R"([
                          {"method": "POST", "path": "/v1/customers", "status": 500, "times": 1,
                           "should_retry": true},
                          {"path": "/v1/charges*", "status": 429}])")}});
  auto first = call(mock, "POST", "/v1/customers", "");
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(first.headers["stripe-should-retry"], "true");
  EXPECT_EQ(json::parse(first.body)["error"]["type"], "api_error");
  EXPECT_EQ(call(mock, "POST", "/v1/customers", "").status, 200); // times = 1
  auto limited = call(mock, "GET", "/v1/charges?limit=1");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(json::parse(limited.body)["error"]["code"], "rate_limit");
  auto calls = mock.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0]["fault"], true);
  EXPECT_EQ(calls[2]["params"]["limit"], "1");
  for (const auto &c : calls)
    EXPECT_EQ(c.dump().find("sk_test_unit"), std::string::npos);
}

TEST(Emulator, RefusesBadConfig) {
  EXPECT_THROW(emulator_server("m", {{"faults", json::parse(R"([{"path": "/v1/x"}])")}}),
               std::exception);
  EXPECT_THROW(emulator_server("m", {{"faults", json::parse(R"([{"latency": "soon"}])")}}),
               std::exception);
  EXPECT_THROW(webhook_listener("h", json::object()), std::exception);
}

TEST(Emulator, StripeErrorsForBadRequests) {
  emulator_server mock("stripe", json::object());
  auto missing = call(mock, "POST", "/v1/payment_intents", "currency=usd");
  EXPECT_EQ(missing.status, 400);
  auto e = json::parse(missing.body)["error"];
  EXPECT_EQ(e["code"], "parameter_missing");
  EXPECT_EQ(e["param"], "amount");
  EXPECT_EQ(call(mock, "POST", "/v1/payment_intents", "amount=x&currency=usd").status, 400);
  EXPECT_EQ(call(mock, "POST", "/v1/customers", "a=1&a[b]=2").status, 400);
  EXPECT_EQ(call(mock, "GET", "/v1/nothing").status, 404);
  // Bytes that are no UTF-8 come back replaced, not as a server error.
  auto latin1 = call(mock, "POST", "/v1/customers", "name=Zo%EB");
  EXPECT_EQ(latin1.status, 200);
  EXPECT_TRUE(json::accept(latin1.body)) << latin1.body;
  EXPECT_EQ(call(mock, "GET", "/v1/customers?limit=0").status, 400);
  http_request anonymous;
  anonymous.url = mock.attributes()["url"].get<std::string>() + "/v1/customers";
  EXPECT_EQ(http_call(anonymous).status, 401);
  // A succeeded intent cannot be cancelled; a refund cannot exceed the charge.
  auto pi = json::parse(call(mock, "POST", "/v1/payment_intents",
                             "amount=100&currency=usd&payment_method=pm_card_visa&confirm=true")
                            .body);
  ASSERT_EQ(pi["status"], "succeeded");
  auto cancel =
      call(mock, "POST", "/v1/payment_intents/" + pi["id"].get<std::string>() + "/cancel");
  EXPECT_EQ(json::parse(cancel.body)["error"]["code"], "payment_intent_unexpected_state");
  auto refund = call(mock, "POST", "/v1/refunds",
                     "payment_intent=" + pi["id"].get<std::string>() + "&amount=101");
  EXPECT_EQ(json::parse(refund.body)["error"]["code"], "amount_too_large");
  auto insufficient = call(mock, "POST", "/v1/payment_intents",
                           "amount=100&currency=usd&confirm=true&payment_method="
                           "pm_card_visa_chargeDeclinedInsufficientFunds");
  EXPECT_EQ(insufficient.status, 402);
  EXPECT_EQ(json::parse(insufficient.body)["error"]["decline_code"], "insufficient_funds");
}

} // namespace
