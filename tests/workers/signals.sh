#!/usr/bin/env bash
# signals.sh - one Ctrl-C or one SIGTERM while a plugin ignores cancellation:
# seam kills the suite's worker and ends within 2 s, with exit code 130 and
# complete reports marked interrupted (the running test failed, the rest not
# run; under --jobs 2 the third test ran beside the second and passed); no
# process is left. With --jobs 1 and 2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

P=(--plugin-path "$CRASH_PLUGIN_DIR")
three_tests spin 'use = "crash.spin"'

for jobs in 1 2; do
  for sig in INT TERM; do
    name=$sig$jobs
    rm -f "$WORK/bg.out" "$WORK/bg.err" # no line of the run before may count
    # shellcheck disable=SC2046
    "$SEAM" run "${P[@]}" --jobs "$jobs" $(reports "$name") "$WORK/spin.toml" \
      >"$WORK/bg.out" 2>"$WORK/bg.err" </dev/null &
    pid=$!
    # Test two spins from just after test one's verdict is printed; whether
    # the signal comes before or while it spins, the outcome is the same.
    for _ in $(seq 1 400); do
      grep -q "PASS  one" "$WORK/bg.out" 2>/dev/null && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    last_cmd="seam run --jobs $jobs (SIG$sig)"
    t0=$(date +%s%N)
    kill -"$sig" "$pid"
    rc=0
    wait "$pid" || rc=$?
    elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
    out=$(cat "$WORK/bg.out")
    err=$(cat "$WORK/bg.err")
    expect_rc 130 "SIG$sig, --jobs $jobs"
    checks=$((checks + 1))
    [ "$elapsed_ms" -lt 2000 ] || { fail "SIG$sig took $elapsed_ms ms to end the run (limit 2 s)"; show; }
    expect_in out "PASS  one" "FAIL  two"
    expect_in err "error: interrupted: the run did not stop within 1.5s of the interrupt (a plugin ignores cancellation), so the worker of suite 'spin' was killed"
    junit_is "$name" 'string(/testsuites/@tests)' 3
    junit_is "$name" 'count(//testcase[@name="two"]/failure)' 1
    junit_is "$name" 'count(//testcase[@name="three"]/skipped)' $((jobs == 1 ? 1 : 0))
    json_assert "$WORK/$name.json" '
assert d["interrupted"] is True
assert test("one")["status"] == "passed"
two = test("two")
assert two["status"] == "failed" and "interrupted" in two["message"], two
three = test("three")
if '"$jobs"' == 1:
    assert three["status"] == "skipped" and three["message"] == "not run: interrupted", three
else:
    assert three["status"] == "passed", three
'
    no_strays
  done
done
finish
