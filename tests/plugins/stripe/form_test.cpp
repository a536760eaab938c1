// form_test.cpp - Stripe's form encoding, compared with the official SDK's.
#include "form.hpp"
#include "node_reference.hpp"

#include <gtest/gtest.h>

namespace {

using seam_stripe::form_decode;
using seam_stripe::form_encode;
using json = nlohmann::json;

// Parameter sets of the shapes Stripe takes: nested metadata, arrays of
// objects (subscription items), booleans, empty strings that unset, expand[],
// numbers, text that needs escaping (UTF-8 included).
json cases() {
  return json::parse(R"([
    {"amount": 2000, "currency": "usd", "confirm": true, "off_session": false},
    {"metadata": {"order_id": "6735", "note": "a b&c=d/e?f"}, "description": ""},
    {"items": [{"price": "price_1", "quantity": 2}, {"price": "price_2", "tax_rates": ["txr_1", "txr_2"]}]},
    {"expand": ["latest_charge", "customer"], "limit": 3},
    {"metadata": {"k": null}, "name": "Zoë 日本 !*'()~", "email": "a+b@example.com"},
    {"shipping": {"address": {"line1": "1 Main St", "city": "Paris"}, "name": "X"}, "empty": [], "none": {}},
    {"amount": 12.5, "nested": {"deep": {"deeper": [[1, 2], {"x": "[y]"}]}}},
    {"weird key": "v", "a[b]": "c"}
  ])");
}

TEST(Form, EncodesAsTheOfficialSdk) {
  STRIPE_REQUIRE_NPM();
  json params = cases();
  json expected = stripe_test::node_reference({{"op", "encode"}, {"params", params}});
  ASSERT_EQ(expected.size(), params.size());
  for (size_t i = 0; i < params.size(); ++i)
    EXPECT_EQ(form_encode(params[i]), expected[i].get<std::string>()) << params[i].dump();
}

TEST(Form, RefusesNonObjects) {
  EXPECT_THROW(form_encode(json::array({1})), std::invalid_argument);
  EXPECT_THROW(form_encode("x"), std::invalid_argument);
}

TEST(Form, DecodesWhatItEncodes) {
  json in = json::parse(R"({"amount": "2000", "metadata": {"a": "x y", "b": ""},
                           "items": [{"price": "p1"}, {"price": "p2", "q": ["1", "2"]}]})");
  EXPECT_EQ(form_decode(form_encode(in)), in);
}

TEST(Form, DecodesEmptyBracketsAsAppend) {
  EXPECT_EQ(form_decode("expand[]=a&expand[]=b&x=%5By%5D+z"),
            json::parse(R"({"expand": ["a", "b"], "x": "[y] z"})"));
  EXPECT_EQ(form_decode(""), json::object());
}

TEST(Form, RefusesConflictingKeys) {
  EXPECT_THROW(form_decode("a=1&a[b]=2"), std::invalid_argument);
  EXPECT_THROW(form_decode("a[0]=1&a[x]=2"), std::invalid_argument);
  EXPECT_THROW(form_decode("a[2]=1"), std::invalid_argument);
  EXPECT_THROW(form_decode("a=1&a=2"), std::invalid_argument);
  EXPECT_THROW(form_decode("a[b=1"), std::invalid_argument);
  EXPECT_THROW(form_decode("[b]=1"), std::invalid_argument);
}

} // namespace
