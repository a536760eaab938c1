#!/usr/bin/env bash
# typed_refusals.sh SEAM PLUGIN_DIR: every typed step (stripe.customers.create
# ...) takes only the parameters it lists; `seam check` refuses any other at
# its line and column (exit 2), and the hint names stripe.request, with the
# step's own method and path, as the way to send it.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
require_kinds

# client_suite FILE STEP WITH: a suite whose one step (line 9) is STEP with
# `with = { WITH }`, on a client resource.
client_suite() {
  cat >"$1" <<TOML
[resources.api]
plugin = "stripe"
kind = "client"
api_key = "sk_test_x"
[[test]]
name = "t"
[[test.steps]]
use = "$2"
with = { $3 }
TOML
}

# STEP|METHOD|PATH|the inputs it needs
steps=(
  'payment_intents.create|POST|/v1/payment_intents|amount = 100, currency = "usd"'
  'payment_intents.confirm|POST|/v1/payment_intents/{id}/confirm|id = "pi_1"'
  'payment_intents.retrieve|GET|/v1/payment_intents/{id}|id = "pi_1"'
  'payment_intents.cancel|POST|/v1/payment_intents/{id}/cancel|id = "pi_1"'
  'payment_intents.capture|POST|/v1/payment_intents/{id}/capture|id = "pi_1"'
  'charges.retrieve|GET|/v1/charges/{id}|id = "ch_1"'
  'customers.create|POST|/v1/customers|email = "a@example.com"'
  'customers.retrieve|GET|/v1/customers/{id}|id = "cus_1"'
  'customers.delete|DELETE|/v1/customers/{id}|id = "cus_1"'
  'refunds.create|POST|/v1/refunds|payment_intent = "pi_1"'
  'payment_methods.attach|POST|/v1/payment_methods/{id}/attach|id = "pm_1", customer = "cus_1"'
)
for entry in "${steps[@]}"; do
  IFS='|' read -r step method path given <<<"$entry"
  file="$WORK/${step//./_}.toml"
  client_suite "$file" "stripe.$step" "$given, statement_descriptor_suffix = \"X\""
  # seam points at the refused key's value.
  col=$(($(sed -n 9p "$file" | grep -bo '"X"' | cut -d: -f1) + 1))
  run_seam check "$file"
  expect_rc 2
  expect_out "$file:9:$col: error: stripe.$step: unknown input 'statement_descriptor_suffix'"
  expect_out "goes through stripe.request: method = \"$method\", path = \"$path\""

  # The same step with only what it lists passes.
  sed -i 's/, statement_descriptor_suffix = "X"//' "$file"
  run_seam check "$file"
  expect_rc 0
done

# A misspelt parameter: the nearest one it takes first, then stripe.request.
client_suite "$WORK/typo.toml" stripe.payment_intents.create \
  'amount = 100, currency = "usd", paymnt_method = "pm_card_visa"'
run_seam check "$WORK/typo.toml"
expect_rc 2
expect_out "typo.toml:9:58: error: stripe.payment_intents.create: unknown input 'paymnt_method'"
expect_out "hint: did you mean 'payment_method'? A parameter stripe.payment_intents.create does not list goes through stripe.request"

# stripe.request itself sends any parameter.
client_suite "$WORK/generic.toml" stripe.request \
  'method = "POST", path = "/v1/payment_intents", params = { amount = 100, currency = "usd", statement_descriptor_suffix = "X" }'
run_seam check "$WORK/generic.toml"
expect_rc 0
finish
