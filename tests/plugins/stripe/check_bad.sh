#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR: suites with mistakes get clear errors, exit
# codes as documented, and no secret in the message.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
require_kinds

# A live key is refused when the resource opens (exit 1), without showing it.
cat >"$WORK/live.toml" <<'TOML'
[vars]
key = { value = "sk_live_must_not_show_123", secret = true }
[resources.api]
plugin = "stripe"
kind = "client"
api_key = "${key}"
[[test]]
name = "never runs"
[[test.steps]]
use = "stripe.customers.retrieve"
with = { id = "cus_1" }
TOML
run_seam run "$WORK/live.toml"
expect_rc 1
expect_out "live key"
expect_out "allow_live = true"
expect_absent "must_not_show" "$WORK/out"

# A kind the pack does not have, a fault that is no failure, a duration
# without a unit: errors of `seam check`, at their line (exit 2).
cat >"$WORK/bad_kind.toml" <<'TOML'
[resources.api]
plugin = "stripe"
kind = "clinet"
api_key = "sk_test_x"
[[test]]
name = "t"
[[test.steps]]
use = "stripe.customers.retrieve"
with = { id = "cus_1" }
TOML
run_seam check "$WORK/bad_kind.toml"
expect_rc 2
expect_out "bad_kind.toml:"
expect_out "clinet"

cat >"$WORK/bad_fault.toml" <<'TOML'
[resources.stripe]
plugin = "stripe"
kind = "mock"
faults = [{ path = "/v1/customers", status = 200 }]
[[test]]
name = "t"
[[test.steps]]
use = "stripe.events"
TOML
run_seam check "$WORK/bad_fault.toml"
expect_rc 2
expect_out "bad_fault.toml:4:"

cat >"$WORK/bad_wait.toml" <<'TOML'
[resources.hooks]
plugin = "stripe"
kind = "webhooks"
secret = "whsec_x"
[[test]]
name = "t"
[[test.steps]]
use = "stripe.webhook.wait"
with = { timeout = "soon" }
TOML
run_seam check "$WORK/bad_wait.toml"
expect_rc 2
expect_out "bad_wait.toml:9:"
expect_out "a duration such as"
finish
