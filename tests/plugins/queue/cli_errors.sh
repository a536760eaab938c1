#!/usr/bin/env bash
# cli_errors.sh SEAM PLUGIN_DIR RABBITMQ_DIR SEAM_ROOT - what seam shows when
# the broker cannot be used: wrong password (named, masked, in console, JSON
# and JUnit reports), refused connection ("unavailable:", and skipped with
# --skip-unavailable); and what `seam check` finds without a broker.
set -uo pipefail
broker=$3
# shellcheck source=../script_lib.sh
source "$(dirname "$0")/../script_lib.sh" "$1" "$2"

cat >"$WORK/bad.toml" <<'TOML'
[suite]
name = "bad broker"
[resources.bus]
plugin = "queue"
url = "${env.BAD_URL}"
[[test]]
name = "never runs"
[[test.steps]]
use = "queue.depth"
with = { queue = "x" }
TOML

url=$(cat "$broker/url")
password=Wr0ngPa55
export BAD_URL=${url/guest:guest@/guest:$password@}
run_seam run --report "json:$WORK/wrong.json" --report "junit:$WORK/wrong.xml" "$WORK/bad.toml"
cp "$WORK/out" "$WORK/wrong.out"
expect_rc 1 "wrong password"
expect_out 'resource "bus"' 'ACCESS_REFUSED' 'Check the user and password' 'guest:***@'
checks=$((checks + 1))
[[ -s $WORK/wrong.json && -s $WORK/wrong.xml ]] || fail "wrong password: a report is missing"
expect_absent "$password" "$WORK/wrong.out" "$WORK/wrong.json" "$WORK/wrong.xml"
expect_not_out 'unavailable:'
# The reports carry the broker's reason, the JUnit one with the masked url.
out=$(cat "$WORK/wrong.json")
expect_out 'ACCESS_REFUSED'
out=$(cat "$WORK/wrong.xml")
expect_out 'ACCESS_REFUSED' 'guest:***@'

# A port nobody listens on (the broker's port + nothing: port 1).
export BAD_URL="amqp://guest:hunter2@127.0.0.1:1/%2f"
run_seam run "$WORK/bad.toml"
expect_rc 1 "refused"
expect_out 'unavailable: cannot connect to 127.0.0.1:1: connection refused'
expect_not_out 'hunter2'

run_seam run --skip-unavailable "$WORK/bad.toml"
expect_rc 0 "--skip-unavailable"
expect_out 'SKIP'

# --skip-unavailable must not hide a wrong password.
export BAD_URL=${url/guest:guest@/guest:$password@}
run_seam run --skip-unavailable "$WORK/bad.toml"
expect_rc 1 "--skip-unavailable with a wrong password"

# seam check: queue.delete needs a queue or an exchange.
cat >"$WORK/check.toml" <<'TOML'
[suite]
name = "check"
[resources.bus]
plugin = "queue"
url = "amqp://guest:guest@127.0.0.1:1/%2f"
[[test]]
name = "t"
[[test.steps]]
use = "queue.delete"
with = {}
TOML
run_seam check "$WORK/check.toml"
expect_rc 2 "queue.delete without queue or exchange"
expect_out_re "check.toml:[0-9]*:[0-9]*: error: queue.delete: missing required input 'queue'" \
  "queue.delete without queue or exchange is reported"

finish
