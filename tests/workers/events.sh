#!/usr/bin/env bash
# events.sh - a worker's events reach the parent whole through the memory
# they share (docs/workers.md): a step record larger than that ring (the
# worker waits for the parent to take some), thousands of quiet steps when a
# report wants every step, and the records of the tests that finished before
# a worker died.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

P=(--plugin-path "$CRASH_PLUGIN_DIR")
# A 6 MiB line (the ring holds 4 MiB), 2,000 steps that print nothing, and a
# failure; then a test whose plugin crashes the worker, and one after it.
"${PYTHON3:-python3}" - "$WORK/events.toml" <<'PY'
import sys
quiet = '[[test.steps]]\nuse = "crash.print"\nwith = {}\n' * 2000
with open(sys.argv[1], "w") as f:
    f.write(f'''[suite]
name = "events"

[[test]]
name = "prints much"
[[test.steps]]
use = "crash.print"
with = {{ out = "{"x" * (6 << 20)}" }}

[[test]]
name = "quiet steps"
{quiet}
[[test]]
name = "fails"
[[test.steps]]
use = "crash.print"
with = {{ fail = true }}

[[test]]
name = "crashes"
[[test.steps]]
use = "crash.segv"

[[test]]
name = "after the crash"
{quiet}''')
PY
for jobs in 1 2; do
  # shellcheck disable=SC2046
  run_seam run "${P[@]}" --jobs "$jobs" $(reports "events$jobs") "$WORK/events.toml"
  expect_rc 1 "events, --jobs $jobs"
  expect_in out "PASS  prints much" "PASS  quiet steps" "FAIL  fails" "FAIL  crashes" \
    "PASS  after the crash" "3 passed, 2 failed"
  json_assert "$WORK/events$jobs.json" '
logs = step("prints much", 0)["logs"]
assert [len(l["message"]) for l in logs] == [len("stdout: ") + (6 << 20)], [len(l["message"]) for l in logs]
assert logs[0]["message"] == "stdout: " + "x" * (6 << 20)
for name in ["quiet steps", "after the crash"]:
    steps = test(name)["steps"]
    assert len(steps) == 2000 and all(s["status"] == "passed" for s in steps), (name, len(steps))
assert test("fails")["steps"][0]["status"] == "failed"
'
  junit_is "events$jobs" 'string(/testsuites/@tests)' 5
  junit_is "events$jobs" 'string(/testsuites/@failures)' 2
  no_strays
done
# Without a report that wants every step, a console run shows the same.
run_seam run "${P[@]}" "$WORK/events.toml"
expect_rc 1 "events, console only"
expect_in out "PASS  prints much" "PASS  quiet steps" "FAIL  fails" "FAIL  crashes" \
  "PASS  after the crash" "3 passed, 2 failed"
no_strays

# A plugin's output that is not JSON fails its step, whether the step reads
# the output (expect) or not (it is then only checked, not parsed into a tree).
cat >"$WORK/garbage.toml" <<'TOML'
[suite]
name = "garbage"

[[test]]
name = "unread"
[[test.steps]]
use = "crash.garbage"

[[test]]
name = "read"
[[test.steps]]
use = "crash.garbage"
expect = { rows = { exists = true } }
TOML
for report in "" "--report json:$WORK/garbage.json"; do
  # shellcheck disable=SC2086
  run_seam run "${P[@]}" $report "$WORK/garbage.toml"
  expect_rc 1 "garbage output ${report:-console only}"
  expect_in out "FAIL  unread" "FAIL  read" "plugin returned output that is not JSON"
done
finish
