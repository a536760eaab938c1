#!/usr/bin/env bash
# output.sh - what a plugin writes to stdout/stderr lands in its step's logs
# (masked) and is shown when the step fails, never in seam's own output; a
# crash in a resource's open or close and in a plugin's init is reported;
# --max-memory and --in-process.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

P=(--plugin-path "$CRASH_PLUGIN_DIR")
cat >"$WORK/print.toml" <<'TOML'
[suite]
name = "print"

[vars]
token = { value = "s3cr3t-T0ken-value", secret = true }

[[test]]
name = "prints and passes"
[[test.steps]]
use = "crash.print"
with = { out = "all is well", err = "a warning" }

[[test]]
name = "prints and fails"
[[test.steps]]
use = "crash.print"
with = { out = "the token is ${token}", err = "about to fail", fail = true }
TOML
for jobs in 1 2; do
  # shellcheck disable=SC2046
  run_seam run "${P[@]}" --jobs "$jobs" $(reports "print$jobs") "$WORK/print.toml"
  expect_rc 1 "print, --jobs $jobs"
  expect_in out "PASS  prints and passes" "FAIL  prints and fails" "crash.print was told to fail"
  expect_not_in all "s3cr3t-T0ken-value"
  expect_not_in err "a warning" "about to fail"
  # Under --jobs 2 the two tests print at once, and a line may go to the
  # other test's step (docs/workers.md): every line is in some step's logs.
  json_assert "$WORK/print$jobs.json" '
logs = [l["message"] for t in suite()["tests"] for s in t["steps"] for l in s.get("logs", [])]
for want in ["stdout: all is well", "stderr: a warning", "stdout: the token is ***", "stderr: about to fail"]:
    assert want in logs, (want, logs)
'
  checks=$((checks + 1))
  if grep -q "s3cr3t-T0ken-value" "$WORK/print$jobs.xml" "$WORK/print$jobs.json"; then
    fail "the secret is in a report"
  fi
  no_strays
  [ "$jobs" = 1 ] || continue
  # One at a time, each line is its own step's, and a failed step shows its
  # logs (a passing one does not).
  expect_in out "log: stdout: the token is ***" "log: stderr: about to fail"
  expect_not_in out "all is well"
  json_assert "$WORK/print$jobs.json" '
logs = [l["message"] for l in step("prints and passes", 0)["logs"]]
assert logs == ["stdout: all is well", "stderr: a warning"], logs
logs = [(l["level"], l["message"]) for l in step("prints and fails", 0)["logs"]]
assert ("info", "stdout: the token is ***") in logs and ("warn", "stderr: about to fail") in logs, logs
'
done

# A resource whose open crashes: the suite's tests are not run, the suite
# fails naming the resource and plugin; exit code 1 and complete reports.
res_suite() {
  cat >"$WORK/res_$1.toml" <<TOML
[suite]
name = "res $1"

[resources.box]
plugin = "crash"
crash = "$1"

[[test]]
name = "one"
[[test.steps]]
use = "crash.print"
[[test]]
name = "two"
[[test.steps]]
use = "crash.print"
[[test]]
name = "three"
[[test.steps]]
use = "crash.print"
TOML
}
res_suite open
res_suite close
for jobs in 1 2; do
  # shellcheck disable=SC2046
  run_seam run "${P[@]}" --jobs "$jobs" $(reports "open$jobs") "$WORK/res_open.toml"
  expect_rc 1 "open crashes, --jobs $jobs"
  expect_in out "ERROR setup: open resource box" "plugin 'crash': its worker was killed by signal 11 (SIGSEGV: Segmentation fault)"
  expect_line out "1 suite error (resources, setup or teardown)"
  expect_line out "0 passed, 0 failed, 3 skipped"
  junit_is "open$jobs" 'string(/testsuites/@errors)' 1
  json_assert "$WORK/open$jobs.json" '
s = suite()
assert s["status"] == "failed" and "setup crashed: open resource '"'box'"'" in s["message"], s.get("message")
assert test("three")["status"] == "skipped" and test("three")["message"].startswith("not run: setup crashed"), test("three")
'
  no_strays

  # shellcheck disable=SC2046
  run_seam run "${P[@]}" --jobs "$jobs" $(reports "close$jobs") "$WORK/res_close.toml"
  expect_rc 1 "close crashes, --jobs $jobs"
  expect_in out "PASS  one" "PASS  two" "PASS  three" "ERROR teardown: close resource box" \
    "plugin 'crash': its worker was killed by signal 6 (SIGABRT: Aborted)"
  expect_line out "1 suite error (resources, setup or teardown)"
  expect_line out "3 passed, 0 failed, 0 skipped"
  junit_is "close$jobs" 'string(/testsuites/@errors)' 1
  json_assert "$WORK/close$jobs.json" '
s = suite()
assert s["status"] == "failed" and "teardown crashed: close resource '"'box'"'" in s["message"], s.get("message")
assert test("three")["status"] == "passed"
'
  no_strays
done

# A plugin whose init crashes or exits: nothing runs, seam names the plugin
# and exits 3 (a plugin could not be loaded).
cat >"$WORK/init.toml" <<'TOML'
[suite]
name = "init"
[[test]]
name = "one"
[[test.steps]]
use = "crash_init.print"
TOML
for how in segv abort exit; do
  CRASH_INIT=$how run_seam run "${P[@]}" "$WORK/init.toml"
  expect_rc 3 "init: $how"
  expect_in err "error: plugin $CRASH_PLUGIN_DIR/seam-crash_init.so" "while it was loaded; nothing was run"
  no_strays
done
CRASH_INIT=segv run_seam check "${P[@]}" "$WORK/init.toml"
expect_rc 3 "check, init crashes"
expect_in err "crashed (signal 11, SIGSEGV) while it was loaded"

# --max-memory takes a size.
for bad in 12 lots 4X 10M 99999999999999999999G; do
  run_seam run "${P[@]}" --max-memory "$bad" "$WORK/print.toml"
  expect_rc 2 "--max-memory $bad"
  expect_in err "bad --max-memory '$bad'" "write a size of at least 16M: 512M, 4G"
done
run_seam run "${P[@]}" --max-memory 1G --filter passes "$WORK/print.toml"
expect_rc 0 "--max-memory 1G"

# One test at a time, every line is its own step's, however fast the steps:
# 300 steps that print one line each, to stdout or to stderr, and 300 that
# print nothing between them.
"${PYTHON3:-python3}" - "$WORK/lines.toml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('[suite]\nname = "lines"\n\n[[test]]\nname = "prints"\n')
    for i in range(300):
        stream = "out" if i % 2 else "err"
        f.write(f'[[test.steps]]\nuse = "crash.print"\nwith = {{ {stream} = "line {i}" }}\n')
        f.write('[[test.steps]]\nuse = "crash.print"\nwith = {}\n')
PY
run_seam run "${P[@]}" --report "json:$WORK/lines.json" "$WORK/lines.toml"
expect_rc 0 "lines"
json_assert "$WORK/lines.json" '
steps = test("prints")["steps"]
assert len(steps) == 600, len(steps)
for i in range(300):
    want = ("stdout: " if i % 2 else "stderr: ") + "line %d" % i
    assert [l["message"] for l in steps[2 * i].get("logs", [])] == [want], (i, steps[2 * i])
    assert not steps[2 * i + 1].get("logs"), (i, steps[2 * i + 1])
'

# --in-process runs in seam's own process: plugin output is not captured.
run_seam run "${P[@]}" --in-process --filter passes "$WORK/print.toml"
expect_rc 0 "--in-process"
expect_in out "all is well"
finish
