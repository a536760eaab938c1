// plugin_test.cpp - seam-stripe.so through its C ABI: the descriptor (three
// resource kinds, steps bound to kinds, schemas that parse) and the steps on
// a client, an emulator and a webhook listener opened as resources.
#include "abi_host.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace {

using stripe_test::abi_host;
using stripe_test::json;

abi_host &host() {
  static abi_host h(SEAM_STRIPE_PLUGIN);
  return h;
}

TEST(Plugin, DescribesThreeKindsAndTheirSteps) {
  const seam_plugin &p = host().plugin();
  EXPECT_STREQ(p.name, "stripe");
  EXPECT_EQ(p.resource_type, nullptr);
  ASSERT_EQ(p.resource_type_count, 3u);
  std::set<std::string> kinds;
  for (size_t i = 0; i < p.resource_type_count; ++i) {
    kinds.insert(p.resource_types[i]->kind);
    EXPECT_NO_THROW(json::parse(p.resource_types[i]->config_schema)) << p.resource_types[i]->kind;
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"client", "mock", "webhooks"}));
  std::regex name("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$");
  for (size_t i = 0; i < p.step_count; ++i) {
    const seam_step *s = p.steps[i];
    EXPECT_TRUE(std::regex_match(s->name, name)) << s->name;
    EXPECT_NO_THROW(json::parse(s->input_schema)) << s->name;
    if (s->output_schema) {
      EXPECT_NO_THROW(json::parse(s->output_schema)) << s->name;
    }
    if (s->resource_kind) {
      EXPECT_TRUE(kinds.count(s->resource_kind)) << s->name;
    }
  }
  EXPECT_STREQ(host().step("payment_intents.create")->resource_kind, "client");
  EXPECT_STREQ(host().step("events")->resource_kind, "mock");
  EXPECT_STREQ(host().step("webhook.wait")->resource_kind, "webhooks");
  EXPECT_EQ(host().step("webhook.send")->resource, SEAM_RESOURCE_NONE);
}

// One suite's worth of resources: a listener, an emulator delivering to it,
// a client on the emulator.
struct resources {
  void *hooks = nullptr, *mock = nullptr, *client = nullptr;
  json hooks_attrs, mock_attrs;
  std::vector<std::string> secrets;
  resources() {
    auto h = host().open("webhooks", "hooks", {{"secret", "whsec_abi_hooks"}}, &hooks);
    EXPECT_TRUE(h.ok) << h.error;
    hooks_attrs = h.output;
    auto m = host().open(
        "mock", "stripe",
        {{"kind", "mock"},
         {"webhooks", json::array({{{"url", hooks_attrs["url"]}, {"secret", "whsec_abi_hooks"}}})}},
        &mock);
    EXPECT_TRUE(m.ok) << m.error;
    mock_attrs = m.output;
    auto c = host().open("client", "api",
                         {{"api_base", mock_attrs["api_base"]}, {"api_key", "sk_test_abi_key"}},
                         &client);
    EXPECT_TRUE(c.ok) << c.error;
    for (auto *r : {&h, &m, &c})
      secrets.insert(secrets.end(), r->secrets.begin(), r->secrets.end());
  }
  ~resources() {
    host().close("client", client);
    host().close("mock", mock);
    host().close("webhooks", hooks);
  }
};

TEST(Plugin, PaymentFlowThroughTheAbi) {
  resources r;
  EXPECT_NE(std::find(r.secrets.begin(), r.secrets.end(), "sk_test_abi_key"), r.secrets.end());
  EXPECT_NE(std::find(r.secrets.begin(), r.secrets.end(), "whsec_abi_hooks"), r.secrets.end());
  auto pi = host().run("payment_intents.create",
                       {{"amount", 2000},
                        {"currency", "usd"},
                        {"payment_method", "pm_card_visa"},
                        {"confirm", true},
                        {"metadata", {{"order", "7"}}},
                        {"expand", json::array({"latest_charge"})}},
                       r.client);
  ASSERT_TRUE(pi.ok) << pi.error;
  EXPECT_EQ(pi.output["status"], 200);
  EXPECT_EQ(pi.output["json"]["status"], "succeeded");
  EXPECT_EQ(pi.output["json"]["latest_charge"]["paid"], true);
  std::string id = pi.output["json"]["id"];

  auto hook =
      host().run("webhook.wait",
                 {{"until", {{"type", "payment_intent.succeeded"}, {"event.data.object.id", id}}},
                  {"timeout", "20s"}},
                 r.hooks);
  ASSERT_TRUE(hook.ok) << hook.error;
  EXPECT_EQ(hook.output["verified"], true);

  auto declined = host().run("payment_intents.create",
                             {{"amount", 500},
                              {"currency", "usd"},
                              {"payment_method", "pm_card_chargeDeclined"},
                              {"confirm", true}},
                             r.client);
  ASSERT_TRUE(declined.ok) << declined.error; // an answer, for expect to judge
  EXPECT_EQ(declined.output["status"], 402);
  EXPECT_EQ(declined.output["error"]["decline_code"], "generic_decline");

  auto refund = host().run("refunds.create", {{"payment_intent", id}}, r.client);
  EXPECT_EQ(refund.output["json"]["amount"], 2000);
  auto charge =
      host().run("charges.retrieve", {{"id", pi.output["json"]["latest_charge"]["id"]}}, r.client);
  EXPECT_EQ(charge.output["json"]["refunded"], true);

  auto events = host().run(
      "events",
      {{"type", "charge.refunded"}, {"min_count", 1}, {"delivered", true}, {"wait", "20s"}},
      r.mock);
  ASSERT_TRUE(events.ok) << events.error;
  EXPECT_EQ(events.output["events"][0]["deliveries"][0]["delivered"], true);

  auto calls = host().run("mock_calls", {{"method", "POST"}, {"path", "/v1/refunds"}}, r.mock);
  ASSERT_EQ(calls.output["count"], 1);
  EXPECT_EQ(calls.output["calls"][0]["params"]["payment_intent"], id);

  for (int i = 0; i < 3; ++i)
    host().run("customers.create", {{"email", "c" + std::to_string(i) + "@example.com"}}, r.client);
  auto listed = host().run("list", {{"path", "/v1/customers"}, {"page_size", 2}}, r.client);
  ASSERT_TRUE(listed.ok) << listed.error;
  EXPECT_EQ(listed.output["count"], 3);
  EXPECT_EQ(listed.output["pages"], 2);
  auto capped =
      host().run("list", {{"path", "/v1/customers"}, {"page_size", 1}, {"max", 2}}, r.client);
  EXPECT_EQ(capped.output["count"], 2);
  EXPECT_EQ(capped.output["has_more"], true);
}

TEST(Plugin, WebhookSendAndRefusedSignatures) {
  resources r;
  std::string url = r.hooks_attrs["url"];
  json event = {{"type", "invoice.paid"}, {"data", {{"object", {{"id", "in_1"}}}}}};
  auto good =
      host().run("webhook.send", {{"url", url}, {"secret", "whsec_abi_hooks"}, {"event", event}});
  ASSERT_TRUE(good.ok) << good.error;
  EXPECT_EQ(good.output["status"], 200);
  EXPECT_NE(std::find(good.secrets.begin(), good.secrets.end(), "whsec_abi_hooks"),
            good.secrets.end());
  auto wrong =
      host().run("webhook.send", {{"url", url}, {"secret", "whsec_wrong"}, {"event", event}});
  EXPECT_EQ(wrong.output["status"], 400);
  auto tampered =
      host().run("webhook.send",
                 {{"url", url}, {"secret", "whsec_abi_hooks"}, {"event", event}, {"tamper", true}});
  EXPECT_EQ(tampered.output["status"], 400);
  auto stale = host().run(
      "webhook.send",
      {{"url", url}, {"secret", "whsec_abi_hooks"}, {"event", event}, {"timestamp", 1000000000}});
  EXPECT_EQ(stale.output["status"], 400);
  auto refused = host().run("webhook.wait",
                            {{"signature", "invalid"},
                             {"until", {{"reason", {{"matches", "tolerance"}}}}},
                             {"timeout", "10s"}},
                            r.hooks);
  ASSERT_TRUE(refused.ok) << refused.error;
  EXPECT_EQ(refused.output["type"], "invoice.paid");
  // Waiting for what never comes fails by the deadline and names the refusals.
  auto none = host().run("webhook.wait",
                         {{"until", {{"type", "never.sent"}}}, {"timeout", "200ms"}}, r.hooks);
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.error.find("no signature matches the body"), std::string::npos) << none.error;
}

TEST(Plugin, RefusesLiveKeysAndBadTables) {
  void *handle = nullptr;
  auto live = host().open("client", "api", {{"api_key", "sk_live_very_secret"}}, &handle);
  EXPECT_FALSE(live.ok);
  EXPECT_NE(live.error.find("live key"), std::string::npos) << live.error;
  EXPECT_EQ(live.error.find("very_secret"), std::string::npos) << live.error;
  auto bad = host().open("mock", "m", {{"faults", json::array({{{"path", "/v1/x"}}})}}, &handle);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.error.find("resources.m.faults[0]"), std::string::npos) << bad.error;
  auto nohook = host().open("webhooks", "h", json::object(), &handle);
  EXPECT_FALSE(nohook.ok);
}

} // namespace
