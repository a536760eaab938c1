#!/usr/bin/env bash
# probe_suite.sh - every probe step through the real seam: outputs, failures,
# cancellation, retries, logs, secret masking, resource attributes and the
# reverse order in which resources close.
set -u
. "$(dirname "$0")/lib.sh"
suites=$(dirname "$0")/suites
log=$WORK/resources.log
report=$WORK/report.json

start=$(date +%s)
run_seam run --var "log=$log" --report "json:$report" "$suites/probe.toml"
expect_rc 0
# The 20 s sleep must have been cut short by its 100 ms timeout.
[ $(($(date +%s) - start)) -lt 10 ] || fail "probe.toml took $(($(date +%s) - start)) s"

if [ "$(cat "$log" 2>/dev/null)" != $'open first\nopen second\nclose second\nclose first' ]; then
  fail "resources must open in order and close in reverse order; the log has:"
  sed 's/^/    | /' "$log" >&2
fi

if [ ! -s "$report" ]; then
  fail "no JSON report at $report"
else
  grep -q "log line from the probe" "$report" || fail "the step's log line is not in the JSON report"
  grep -q "probe.secret" "$report" || fail "probe.secret is not in the JSON report"
  grep -q "hunter2-sekrit" "$report" && fail "the secret appears in the JSON report"
fi
expect_not_out "hunter2-sekrit"

run_seam run "$suites/probe_wrong.toml"
expect_rc 1

run_seam run "$suites/probe_resource_fail.toml"
expect_rc 1
expect_out "cannot reach the probe backend" "broken"

run_seam check "$suites/probe_bad_input.toml"
expect_rc 2
expect_out "typo" "probe_bad_input.toml"
finish
