#!/usr/bin/env bash
# cli_errors.sh SEAM PLUGIN_DIR RABBITMQ_DIR SEAM_ROOT - what seam shows when
# the broker cannot be used: wrong password (named, masked, in console, JSON
# and JUnit reports), refused connection ("unavailable:", and skipped with
# --skip-unavailable); and what `seam check` finds without a broker.
set -uo pipefail
seam=$1 plugins=$2 broker=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

cat >"$work/bad.toml" <<'TOML'
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
"$seam" run --plugin-path "$plugins" --report "json:$work/wrong.json" \
  --report "junit:$work/wrong.xml" "$work/bad.toml" >"$work/wrong.out" 2>&1
rc=$?
[[ $rc == 1 ]] || fail "wrong password: exit code $rc, expected 1"
grep -q 'resource "bus"' "$work/wrong.out" || fail "wrong password: resource not named"
grep -q 'ACCESS_REFUSED' "$work/wrong.out" || fail "wrong password: broker's reason missing"
grep -q 'Check the user and password' "$work/wrong.out" || fail "wrong password: no hint"
grep -q 'guest:\*\*\*@' "$work/wrong.out" || fail "wrong password: masked URL missing"
[[ -s $work/wrong.json && -s $work/wrong.xml ]] || fail "wrong password: a report is missing"
grep -q "$password" "$work/wrong.out" "$work/wrong.json" "$work/wrong.xml" &&
  fail "wrong password: the password leaked"
grep -q 'ACCESS_REFUSED' "$work/wrong.json" || fail "wrong password: not in the JSON report"
grep -q 'ACCESS_REFUSED' "$work/wrong.xml" || fail "wrong password: not in the JUnit report"
grep -q 'guest:\*\*\*@' "$work/wrong.xml" || fail "wrong password: no masked URL in the JUnit report"
grep -q 'unavailable:' "$work/wrong.out" && fail "wrong password: reported as unavailable"

# A port nobody listens on (the broker's port + nothing: port 1).
export BAD_URL="amqp://guest:hunter2@127.0.0.1:1/%2f"
"$seam" run --plugin-path "$plugins" "$work/bad.toml" >"$work/refused.out" 2>&1
rc=$?
[[ $rc == 1 ]] || fail "refused: exit code $rc, expected 1"
grep -q 'unavailable: cannot connect to 127.0.0.1:1: connection refused' "$work/refused.out" ||
  fail "refused: message"
grep -q 'hunter2' "$work/refused.out" && fail "refused: the password leaked"

"$seam" run --skip-unavailable --plugin-path "$plugins" "$work/bad.toml" >"$work/skip.out" 2>&1
rc=$?
[[ $rc == 0 ]] || fail "--skip-unavailable: exit code $rc, expected 0"
grep -q 'SKIP' "$work/skip.out" || fail "--skip-unavailable: not shown as skipped"

# --skip-unavailable must not hide a wrong password.
export BAD_URL=${url/guest:guest@/guest:$password@}
"$seam" run --skip-unavailable --plugin-path "$plugins" "$work/bad.toml" >"$work/skip2.out" 2>&1
rc=$?
[[ $rc == 1 ]] || fail "--skip-unavailable with a wrong password: exit code $rc, expected 1"

# seam check: queue.delete needs a queue or an exchange.
cat >"$work/check.toml" <<'TOML'
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
"$seam" check --plugin-path "$plugins" "$work/check.toml" >"$work/check.out" 2>&1
rc=$?
[[ $rc == 2 ]] || fail "check: exit code $rc for queue.delete without queue or exchange, expected 2"
grep -q "check.toml:[0-9]*:[0-9]*: error: queue.delete: missing required input 'queue'" "$work/check.out" ||
  fail "check: queue.delete without queue or exchange not reported"

if ((failures > 0)); then
  for f in "$work"/*.out; do
    echo "--- $f"
    cat "$f"
  done
  exit 1
fi
echo "cli_errors: all checks passed"
