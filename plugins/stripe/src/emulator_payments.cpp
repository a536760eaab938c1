// emulator_payments.cpp - the emulator's payment objects: customers, payment
// methods made from Stripe's test ids (pm_card_visa...), payment intents
// through their state machine, charges and refunds, and the events each
// change records.
#include "emulator_api.hpp"
#include "emulator_params.hpp"
#include "signature.hpp"

namespace seam_stripe {

// Stripe's test payment methods and what confirming with them does.
struct test_card {
  const char *token, *brand, *last4;
  const char *code;         // error.code when declined ("" : succeeds)
  const char *decline_code; // error.decline_code
  const char *message;
  bool requires_action = false;
};

namespace {

const test_card kCards[] = {
    {"pm_card_visa", "visa", "4242", "", "", ""},
    {"pm_card_visa_debit", "visa", "5556", "", "", ""},
    {"pm_card_mastercard", "mastercard", "4444", "", "", ""},
    {"pm_card_amex", "amex", "8431", "", "", ""},
    {"pm_card_chargeDeclined", "visa", "0002", "card_declined", "generic_decline",
     "Your card was declined."},
    {"pm_card_chargeCustomerFail", "visa", "0341", "card_declined", "generic_decline",
     "Your card was declined."},
    {"pm_card_visa_chargeDeclinedInsufficientFunds", "visa", "9995", "card_declined",
     "insufficient_funds", "Your card has insufficient funds."},
    {"pm_card_chargeDeclinedInsufficientFunds", "visa", "9995", "card_declined",
     "insufficient_funds", "Your card has insufficient funds."},
    {"pm_card_chargeDeclinedExpiredCard", "visa", "0069", "expired_card", "expired_card",
     "Your card has expired."},
    {"pm_card_chargeDeclinedIncorrectCvc", "visa", "0127", "incorrect_cvc", "incorrect_cvc",
     "Your card's security code is incorrect."},
    {"pm_card_chargeDeclinedProcessingError", "visa", "0119", "processing_error",
     "processing_error",
     "An error occurred while processing your card. Try again in a little bit."},
    {"pm_card_authenticationRequired", "visa", "3184", "", "", "", true},
};

const test_card *find_card(const std::string &token) {
  for (const auto &c : kCards)
    if (token == c.token)
      return &c;
  return nullptr;
}

} // namespace

const test_card &stripe_api::card_of(const std::string &pm_id) const {
  auto it = card_tokens_.find(pm_id);
  const test_card *c = it == card_tokens_.end() ? nullptr : find_card(it->second);
  return c ? *c : kCards[0];
}

json &stripe_api::payment_method(const std::string &id_or_token, const char *param) {
  if (const test_card *c = find_card(id_or_token)) {
    // Each use of a test id makes a payment method of its own, as Stripe does.
    json pm = {{"id", new_id("pm")},
               {"object", "payment_method"},
               {"type", "card"},
               {"card",
                {{"brand", c->brand},
                 {"last4", c->last4},
                 {"exp_month", 12},
                 {"exp_year", 2034},
                 {"funding", "credit"},
                 {"country", "US"}}},
               {"billing_details",
                {{"address", nullptr}, {"email", nullptr}, {"name", nullptr}, {"phone", nullptr}}},
               {"customer", nullptr},
               {"metadata", json::object()}};
    card_tokens_[pm["id"]] = c->token;
    return store(std::move(pm));
  }
  return object("payment_method", id_or_token, param);
}

json stripe_api::create_customer(const json &p, std::vector<json> &events) {
  json c = {
      {"id", new_id("cus")},
      {"object", "customer"},
      {"balance", 0},
      {"currency", nullptr},
      {"default_source", nullptr},
      {"delinquent", false},
      {"invoice_settings",
       {{"custom_fields", nullptr}, {"default_payment_method", nullptr}, {"footer", nullptr}}},
      {"metadata", json::object()}};
  for (const char *f : {"email", "name", "description", "phone"})
    c[f] = p.contains(f) ? json(string_param(p, f).value()) : json(nullptr);
  merge_metadata(c, p);
  json &stored = store(std::move(c));
  if (auto pm = string_param(p, "payment_method")) {
    json &method = payment_method(*pm, "payment_method");
    method["customer"] = stored["id"];
  }
  event(events, "customer.created", stored);
  return stored;
}

json stripe_api::update_customer(json &c, const json &p, std::vector<json> &events) {
  if (c.value("deleted", false))
    throw invalid_request("No such customer: '" + c["id"].get<std::string>() + "'", "id",
                          "resource_missing", 404);
  json before = c;
  for (const char *f : {"email", "name", "description", "phone"})
    if (auto v = string_param(p, f))
      c[f] = v->empty() ? json(nullptr) : json(*v);
  merge_metadata(c, p);
  json previous = json::object();
  for (const auto &[k, v] : before.items())
    if (c[k] != v)
      previous[k] = v;
  event(events, "customer.updated", c, previous);
  return c;
}

json stripe_api::create_intent(const json &p, std::vector<json> &events) {
  int64_t amount = *int_param(p, "amount", true);
  std::string currency = *string_param(p, "currency", true);
  if (amount < 1)
    throw invalid_request("This value must be greater than or equal to 1.", "amount");
  std::string capture = string_param(p, "capture_method").value_or("automatic");
  if (capture != "automatic" && capture != "automatic_async" && capture != "manual")
    throw invalid_request("Invalid capture_method: must be one of automatic, automatic_async, or "
                          "manual",
                          "capture_method");
  std::string id = new_id("pi");
  json pi = {{"id", id},
             {"object", "payment_intent"},
             {"amount", amount},
             {"amount_capturable", 0},
             {"amount_received", 0},
             {"canceled_at", nullptr},
             {"cancellation_reason", nullptr},
             {"capture_method", capture},
             {"client_secret", id + "_secret_" + new_id("x").substr(2)},
             {"confirmation_method", "automatic"},
             {"currency", currency},
             {"customer", nullptr},
             {"description", nullptr},
             {"last_payment_error", nullptr},
             {"latest_charge", nullptr},
             {"metadata", json::object()},
             {"next_action", nullptr},
             {"payment_method", nullptr},
             {"payment_method_types", json::array({"card"})},
             {"receipt_email", nullptr},
             {"status", "requires_payment_method"}};
  if (auto c = string_param(p, "customer"))
    pi["customer"] = object("customer", *c, "customer")["id"];
  if (auto d = string_param(p, "description"))
    pi["description"] = *d;
  merge_metadata(pi, p);
  if (auto pm = string_param(p, "payment_method")) {
    pi["payment_method"] = payment_method(*pm, "payment_method")["id"];
    pi["status"] = "requires_confirmation";
  }
  bool confirm = bool_param(p, "confirm", false);
  json &stored = store(std::move(pi));
  event(events, "payment_intent.created", stored);
  if (confirm)
    return confirm_intent(stored, json::object(), events);
  return stored;
}

json stripe_api::update_intent(json &pi, const json &p, std::vector<json> &) {
  std::string status = pi["status"];
  if (status == "succeeded" || status == "canceled" || status == "processing")
    throw invalid_request("This PaymentIntent's status is " + status + ", so it cannot be updated.",
                          "", "payment_intent_unexpected_state");
  if (auto a = int_param(p, "amount"))
    pi["amount"] = *a;
  if (auto c = string_param(p, "currency"))
    pi["currency"] = *c;
  if (auto d = string_param(p, "description"))
    pi["description"] = *d;
  if (auto c = string_param(p, "customer"))
    pi["customer"] = object("customer", *c, "customer")["id"];
  if (auto pm = string_param(p, "payment_method")) {
    pi["payment_method"] = payment_method(*pm, "payment_method")["id"];
    pi["status"] = "requires_confirmation";
  }
  merge_metadata(pi, p);
  return pi;
}

json stripe_api::confirm_intent(json &pi, const json &p, std::vector<json> &events) {
  std::string status = pi["status"];
  if (status != "requires_payment_method" && status != "requires_confirmation" &&
      status != "requires_action")
    throw invalid_request("You cannot confirm this PaymentIntent because it has a status of " +
                              status + ".",
                          "", "payment_intent_unexpected_state");
  if (auto pm = string_param(p, "payment_method"))
    pi["payment_method"] = payment_method(*pm, "payment_method")["id"];
  if (pi["payment_method"].is_null())
    throw invalid_request("You cannot confirm this PaymentIntent because it's missing a payment "
                          "method. To confirm the PaymentIntent with " +
                              pi["customer"].dump() +
                              ", specify a payment method attached to "
                              "this customer along with the customer ID.",
                          "", "payment_intent_unexpected_state");
  json &pm = object("payment_method", pi["payment_method"]);
  const test_card &card = card_of(pm["id"]);
  bool manual = pi["capture_method"] == "manual";

  if (card.requires_action && status != "requires_action") {
    pi["status"] = "requires_action";
    pi["next_action"] = {{"type", "use_stripe_sdk"},
                         {"use_stripe_sdk", {{"type", "three_d_secure_redirect"}}}};
    event(events, "payment_intent.requires_action", pi);
    return pi;
  }
  pi["next_action"] = nullptr;

  bool declined = *card.code != '\0';
  json charge = {{"id", new_id("ch")},
                 {"object", "charge"},
                 {"amount", pi["amount"]},
                 {"amount_captured", declined || manual ? 0 : pi["amount"].get<int64_t>()},
                 {"amount_refunded", 0},
                 {"balance_transaction", nullptr},
                 {"captured", !declined && !manual},
                 {"currency", pi["currency"]},
                 {"customer", pi["customer"]},
                 {"description", pi["description"]},
                 {"failure_code", declined ? json(card.code) : json(nullptr)},
                 {"failure_message", declined ? json(card.message) : json(nullptr)},
                 {"metadata", pi["metadata"]},
                 {"outcome",
                  {{"network_status", declined ? "declined_by_network" : "approved_by_network"},
                   {"reason", declined ? json(card.decline_code) : json(nullptr)},
                   {"risk_level", "normal"},
                   {"seller_message", declined ? "The bank did not return any further details "
                                                 "with this decline."
                                               : "Payment complete."},
                   {"type", declined ? "issuer_declined" : "authorized"}}},
                 {"paid", !declined},
                 {"payment_intent", pi["id"]},
                 {"payment_method", pi["payment_method"]},
                 {"payment_method_details",
                  {{"type", "card"},
                   {"card", {{"brand", pm["card"]["brand"]}, {"last4", pm["card"]["last4"]}}}}},
                 {"refunded", false},
                 {"status", declined ? "failed" : "succeeded"}};
  json &stored = store(std::move(charge));
  pi["latest_charge"] = stored["id"];

  if (declined) {
    json error = {{"type", "card_error"},
                  {"code", card.code},
                  {"decline_code", card.decline_code},
                  {"message", card.message},
                  {"charge", stored["id"]},
                  {"doc_url", std::string("https://stripe.com/docs/error-codes/") + card.code}};
    pi["status"] = "requires_payment_method";
    json last = error;
    last["payment_method"] = pm;
    pi["last_payment_error"] = last;
    pi["payment_method"] = nullptr;
    event(events, "charge.failed", stored);
    event(events, "payment_intent.payment_failed", pi);
    error["payment_intent"] = pi;
    error["payment_method"] = pm;
    throw api_error{402, std::move(error)};
  }
  pi["last_payment_error"] = nullptr;
  if (manual) {
    pi["status"] = "requires_capture";
    pi["amount_capturable"] = pi["amount"];
    event(events, "charge.succeeded", stored);
    event(events, "payment_intent.amount_capturable_updated", pi);
  } else {
    pi["status"] = "succeeded";
    pi["amount_received"] = pi["amount"];
    event(events, "charge.succeeded", stored);
    event(events, "payment_intent.succeeded", pi);
  }
  return pi;
}

json stripe_api::capture_intent(json &pi, const json &p, std::vector<json> &events) {
  if (pi["status"] != "requires_capture")
    throw invalid_request("This PaymentIntent could not be captured because it has a status of " +
                              pi["status"].get<std::string>() +
                              ". Only a PaymentIntent with one of the following statuses may be "
                              "captured: requires_capture.",
                          "", "payment_intent_unexpected_state");
  int64_t capturable = pi["amount_capturable"];
  int64_t amount = int_param(p, "amount_to_capture").value_or(capturable);
  if (amount < 1 || amount > capturable)
    throw invalid_request("The amount_to_capture must be between 1 and the amount capturable (" +
                              std::to_string(capturable) + ").",
                          "amount_to_capture");
  json &charge = object("charge", pi["latest_charge"]);
  charge["captured"] = true;
  charge["amount_captured"] = amount;
  pi["status"] = "succeeded";
  pi["amount_capturable"] = 0;
  pi["amount_received"] = amount;
  event(events, "charge.captured", charge);
  event(events, "payment_intent.succeeded", pi);
  return pi;
}

json stripe_api::cancel_intent(json &pi, const json &p, std::vector<json> &events) {
  std::string status = pi["status"];
  if (status == "succeeded" || status == "canceled" || status == "processing")
    throw invalid_request("You cannot cancel this PaymentIntent because it has a status of " +
                              status +
                              ". Only a PaymentIntent with one of the following statuses "
                              "may be canceled: requires_payment_method, requires_capture, "
                              "requires_confirmation, requires_action, processing.",
                          "", "payment_intent_unexpected_state");
  std::string reason = string_param(p, "cancellation_reason").value_or("");
  if (!reason.empty() && reason != "duplicate" && reason != "fraudulent" &&
      reason != "requested_by_customer" && reason != "abandoned")
    throw invalid_request("Invalid cancellation_reason: must be one of duplicate, fraudulent, "
                          "requested_by_customer, or abandoned",
                          "cancellation_reason");
  pi["status"] = "canceled";
  pi["canceled_at"] = unix_now();
  pi["cancellation_reason"] = reason.empty() ? json(nullptr) : json(reason);
  pi["amount_capturable"] = 0;
  event(events, "payment_intent.canceled", pi);
  return pi;
}

json stripe_api::create_refund(const json &p, std::vector<json> &events) {
  auto pi_id = string_param(p, "payment_intent");
  auto ch_id = string_param(p, "charge");
  if (!pi_id && !ch_id)
    throw invalid_request("One of the following params should be provided for this request: "
                          "payment_intent or charge.",
                          "", "parameter_missing");
  json *charge;
  if (pi_id) {
    json &pi = object("payment_intent", *pi_id, "payment_intent");
    if (pi["status"] != "succeeded" || pi["latest_charge"].is_null())
      throw invalid_request("This PaymentIntent does not have a successful charge to refund.",
                            "payment_intent", "charge_not_refundable");
    charge = &object("charge", pi["latest_charge"]);
  } else {
    charge = &object("charge", *ch_id, "charge");
  }
  json &ch = *charge;
  if (!ch["captured"].get<bool>() || ch["status"] != "succeeded")
    throw invalid_request("Charge " + ch["id"].get<std::string>() +
                              " has not been captured or did not succeed: nothing to refund.",
                          "charge", "charge_not_refundable");
  int64_t left = ch["amount_captured"].get<int64_t>() - ch["amount_refunded"].get<int64_t>();
  if (left <= 0)
    throw invalid_request("Charge " + ch["id"].get<std::string>() + " has already been refunded.",
                          "", "charge_already_refunded");
  int64_t amount = int_param(p, "amount").value_or(left);
  if (amount < 1 || amount > left)
    throw invalid_request("Refund amount ($" + std::to_string(amount / 100.0).substr(0, 8) +
                              ") is greater than unrefunded amount on charge ($" +
                              std::to_string(left / 100.0).substr(0, 8) + ")",
                          "amount", "amount_too_large");
  std::string reason = string_param(p, "reason").value_or("");
  if (!reason.empty() && reason != "duplicate" && reason != "fraudulent" &&
      reason != "requested_by_customer")
    throw invalid_request("Invalid reason: must be one of duplicate, fraudulent, or "
                          "requested_by_customer",
                          "reason");
  json refund = {{"id", new_id("re")},
                 {"object", "refund"},
                 {"amount", amount},
                 {"balance_transaction", nullptr},
                 {"charge", ch["id"]},
                 {"currency", ch["currency"]},
                 {"metadata", json::object()},
                 {"payment_intent", ch["payment_intent"]},
                 {"reason", reason.empty() ? json(nullptr) : json(reason)},
                 {"status", "succeeded"}};
  merge_metadata(refund, p);
  json &stored = store(std::move(refund));
  ch["amount_refunded"] = ch["amount_refunded"].get<int64_t>() + amount;
  ch["refunded"] = ch["amount_refunded"] == ch["amount_captured"];
  event(events, "refund.created", stored);
  event(events, "charge.refunded", ch);
  return stored;
}

json stripe_api::attach(json &pm, const json &p, std::vector<json> &events) {
  std::string customer = *string_param(p, "customer", true);
  json &c = object("customer", customer, "customer");
  if (c.value("deleted", false))
    throw invalid_request("No such customer: '" + customer + "'", "customer", "resource_missing",
                          404);
  if (!pm["customer"].is_null() && pm["customer"] != customer)
    throw invalid_request("The payment method you provided has already been attached to a "
                          "customer.",
                          "", "payment_method_unexpected_state");
  const test_card &card = card_of(pm["id"]);
  if (card.token == std::string("pm_card_chargeDeclined")) {
    // Stripe checks the card when it is attached: this one is refused then.
    json error = {{"type", "card_error"},
                  {"code", card.code},
                  {"decline_code", card.decline_code},
                  {"message", card.message},
                  {"param", ""}};
    throw api_error{402, std::move(error)};
  }
  pm["customer"] = customer;
  event(events, "payment_method.attached", pm);
  return pm;
}

} // namespace seam_stripe
