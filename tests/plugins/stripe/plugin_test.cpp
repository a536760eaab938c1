// plugin_test.cpp - seam-stripe.so through its C ABI: the descriptor (three
// resource kinds, steps bound to kinds, schemas that parse) and the steps on
// a client, an emulator and a webhook listener opened as resources.
#include <seam/core/host/plugin_host.hpp>
#include <seam/testing.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// The SDK's stand-in host, with seam's own matcher (webhook.wait's `until`,
// mock_calls' `match` use matchers such as { matches = "..." }).
seam::testing::host &host() {
  static seam::testing::host h(SEAM_STRIPE_PLUGIN);
  static const bool matcher = [] {
    h.set_matcher([](const json &expect, const json &doc, std::string *why) {
      return seam::PluginHost::match(expect.dump(), doc.dump(), why);
    });
    return true;
  }();
  (void)matcher;
  return h;
}

// A step's call as seam makes it, under a deadline that only a hang reaches.
seam::testing::result run(const std::string &step, const json &input, void *resource = nullptr) {
  return host().run(step, input, resource, seam::testing::call_options{.deadline = 120s});
}

bool declared_secret(const std::string &value) {
  auto all = host().secrets();
  return std::find(all.begin(), all.end(), value) != all.end();
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
  EXPECT_STREQ(host().find_step("payment_intents.create")->resource_kind, "client");
  EXPECT_STREQ(host().find_step("events")->resource_kind, "mock");
  EXPECT_STREQ(host().find_step("webhook.wait")->resource_kind, "webhooks");
  EXPECT_EQ(host().find_step("webhook.send")->resource, SEAM_RESOURCE_NONE);
}

// One suite's worth of resources: a listener, an emulator delivering to it,
// a client on the emulator.
struct resources {
  void *hooks = nullptr, *mock = nullptr, *client = nullptr;
  json hooks_attrs, mock_attrs;
  resources() {
    auto h = host().open("hooks", {{"secret", "whsec_abi_hooks"}}, &hooks, "webhooks");
    EXPECT_TRUE(h.ok) << h.error;
    hooks_attrs = h.output;
    auto m = host().open(
        "stripe",
        {{"webhooks", json::array({{{"url", hooks_attrs["url"]}, {"secret", "whsec_abi_hooks"}}})}},
        &mock, "mock");
    EXPECT_TRUE(m.ok) << m.error;
    mock_attrs = m.output;
    auto c =
        host().open("api", {{"api_base", mock_attrs["api_base"]}, {"api_key", "sk_test_abi_key"}},
                    &client, "client");
    EXPECT_TRUE(c.ok) << c.error;
  }
  ~resources() {
    host().close(client, "client");
    host().close(mock, "mock");
    host().close(hooks, "webhooks");
  }
};

TEST(Plugin, PaymentFlowThroughTheAbi) {
  resources r;
  EXPECT_TRUE(declared_secret("sk_test_abi_key"));
  EXPECT_TRUE(declared_secret("whsec_abi_hooks"));
  auto pi = run("payment_intents.create",
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

  auto hook = run("webhook.wait",
                  {{"until", {{"type", "payment_intent.succeeded"}, {"event.data.object.id", id}}},
                   {"timeout", "20s"}},
                  r.hooks);
  ASSERT_TRUE(hook.ok) << hook.error;
  EXPECT_EQ(hook.output["verified"], true);

  auto declined = run("payment_intents.create",
                      {{"amount", 500},
                       {"currency", "usd"},
                       {"payment_method", "pm_card_chargeDeclined"},
                       {"confirm", true}},
                      r.client);
  ASSERT_TRUE(declined.ok) << declined.error; // an answer, for expect to judge
  EXPECT_EQ(declined.output["status"], 402);
  EXPECT_EQ(declined.output["error"]["decline_code"], "generic_decline");

  auto refund = run("refunds.create", {{"payment_intent", id}}, r.client);
  EXPECT_EQ(refund.output["json"]["amount"], 2000);
  auto charge =
      run("charges.retrieve", {{"id", pi.output["json"]["latest_charge"]["id"]}}, r.client);
  EXPECT_EQ(charge.output["json"]["refunded"], true);

  auto events =
      run("events",
          {{"type", "charge.refunded"}, {"min_count", 1}, {"delivered", true}, {"wait", "20s"}},
          r.mock);
  ASSERT_TRUE(events.ok) << events.error;
  EXPECT_EQ(events.output["events"][0]["deliveries"][0]["delivered"], true);

  auto calls = run("mock_calls", {{"method", "POST"}, {"path", "/v1/refunds"}}, r.mock);
  ASSERT_EQ(calls.output["count"], 1);
  EXPECT_EQ(calls.output["calls"][0]["params"]["payment_intent"], id);

  for (int i = 0; i < 3; ++i)
    run("customers.create", {{"email", "c" + std::to_string(i) + "@example.com"}}, r.client);
  auto listed = run("list", {{"path", "/v1/customers"}, {"page_size", 2}}, r.client);
  ASSERT_TRUE(listed.ok) << listed.error;
  EXPECT_EQ(listed.output["count"], 3);
  EXPECT_EQ(listed.output["pages"], 2);
  auto capped = run("list", {{"path", "/v1/customers"}, {"page_size", 1}, {"max", 2}}, r.client);
  EXPECT_EQ(capped.output["count"], 2);
  EXPECT_EQ(capped.output["has_more"], true);
}

TEST(Plugin, WebhookSendAndRefusedSignatures) {
  resources r;
  std::string url = r.hooks_attrs["url"];
  json event = {{"type", "invoice.paid"}, {"data", {{"object", {{"id", "in_1"}}}}}};
  auto good = run("webhook.send", {{"url", url}, {"secret", "whsec_abi_hooks"}, {"event", event}});
  ASSERT_TRUE(good.ok) << good.error;
  EXPECT_EQ(good.output["status"], 200);
  EXPECT_TRUE(declared_secret("whsec_abi_hooks"));
  auto wrong = run("webhook.send", {{"url", url}, {"secret", "whsec_wrong"}, {"event", event}});
  EXPECT_EQ(wrong.output["status"], 400);
  auto tampered =
      run("webhook.send",
          {{"url", url}, {"secret", "whsec_abi_hooks"}, {"event", event}, {"tamper", true}});
  EXPECT_EQ(tampered.output["status"], 400);
  auto stale = run(
      "webhook.send",
      {{"url", url}, {"secret", "whsec_abi_hooks"}, {"event", event}, {"timestamp", 1000000000}});
  EXPECT_EQ(stale.output["status"], 400);
  auto refused = run("webhook.wait",
                     {{"signature", "invalid"},
                      {"until", {{"reason", {{"matches", "tolerance"}}}}},
                      {"timeout", "10s"}},
                     r.hooks);
  ASSERT_TRUE(refused.ok) << refused.error;
  EXPECT_EQ(refused.output["type"], "invoice.paid");
  // Waiting for what never comes fails by the deadline and names the refusals.
  auto none =
      run("webhook.wait", {{"until", {{"type", "never.sent"}}}, {"timeout", "200ms"}}, r.hooks);
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.error.find("no signature matches the body"), std::string::npos) << none.error;
}

// What each kind declares it publishes (x-seam-attributes, which `seam
// plugins info` shows) is exactly what its open publishes.
TEST(Plugin, PublishesTheAttributesItDeclares) {
  resources r;
  json client_attrs = json::object();
  {
    void *c = nullptr;
    auto opened = host().open(
        "c", {{"api_base", r.mock_attrs["api_base"]}, {"api_key", "sk_test_x"}}, &c, "client");
    ASSERT_TRUE(opened.ok) << opened.error;
    client_attrs = opened.output;
    host().close(c, "client");
  }
  for (const auto &[kind, published] : {std::pair<std::string, json>{"webhooks", r.hooks_attrs},
                                        {"mock", r.mock_attrs},
                                        {"client", client_attrs}}) {
    json schema = json::parse(host().resource_type(kind)->config_schema);
    std::set<std::string> declared, got;
    for (const auto &[k, v] : schema.at("x-seam-attributes").items()) {
      declared.insert(k);
      EXPECT_TRUE(v.contains("type") && v.contains("description")) << kind << "." << k;
    }
    for (const auto &[k, v] : published.items())
      got.insert(k);
    EXPECT_EQ(declared, got) << kind;
  }
}

// An API that cannot be reached at all (nothing listens on its port) makes
// the step SEAM_UNAVAILABLE, for `seam run --skip-unavailable`; so does a
// webhook endpoint that refuses the connection.
TEST(Plugin, UnreachableApiIsUnavailable) {
  void *client = nullptr;
  auto opened = host().open(
      "down", {{"api_base", "http://127.0.0.1:1"}, {"api_key", "sk_test_down"}, {"max_retries", 0}},
      &client, "client");
  ASSERT_TRUE(opened.ok) << opened.error;
  auto r = run("customers.retrieve", {{"id", "cus_1"}}, client);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.unavailable()) << r.error;
  EXPECT_NE(r.error.find("http://127.0.0.1:1/v1/customers/cus_1"), std::string::npos) << r.error;
  host().close(client, "client");

  auto sent = run("webhook.send", {{"url", "http://127.0.0.1:1/hooks"},
                                   {"secret", "whsec_down"},
                                   {"event", {{"type", "invoice.paid"}}}});
  EXPECT_FALSE(sent.ok);
  EXPECT_TRUE(sent.unavailable()) << sent.error;
}

// A step whose deadline passes while Stripe is slow fails as a time-out, not
// as "unavailable": the API was reached.
TEST(Plugin, ASlowAnswerPastTheDeadlineIsAnError) {
  void *slow = nullptr;
  auto m = host().open(
      "slow", {{"faults", json::array({{{"path", "/v1/customers/*"}, {"latency", "30s"}}})}}, &slow,
      "mock");
  ASSERT_TRUE(m.ok) << m.error;
  void *client = nullptr;
  auto c = host().open(
      "api", {{"api_base", m.output["api_base"]}, {"api_key", "sk_test_slow"}, {"max_retries", 0}},
      &client, "client");
  ASSERT_TRUE(c.ok) << c.error;
  auto late = host().run("customers.retrieve", {{"id", "cus_1"}}, client,
                         seam::testing::call_options{.deadline = 300ms});
  EXPECT_FALSE(late.ok);
  EXPECT_FALSE(late.unavailable()) << late.error;
  host().close(client, "client");
  host().close(slow, "mock");
}

TEST(Plugin, RefusesLiveKeysAndBadTables) {
  void *handle = nullptr;
  auto live = host().open("api", {{"api_key", "sk_live_very_secret"}}, &handle, "client");
  EXPECT_FALSE(live.ok);
  EXPECT_NE(live.error.find("live key"), std::string::npos) << live.error;
  EXPECT_EQ(live.error.find("very_secret"), std::string::npos) << live.error;
  auto bad = host().open("m", {{"faults", json::array({{{"path", "/v1/x"}}})}}, &handle, "mock");
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.error.find("resources.m.faults[0]"), std::string::npos) << bad.error;
  auto nohook = host().open("h", json::object(), &handle, "webhooks");
  EXPECT_FALSE(nohook.ok);
}

} // namespace
