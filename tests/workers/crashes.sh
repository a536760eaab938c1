#!/usr/bin/env bash
# crashes.sh - a plugin that segfaults, aborts, calls exit(0) or _exit(3),
# allocates past --max-memory or ignores its deadline in test 2 of 3: test 2
# fails naming its step, plugin and how the worker died (with the last lines
# it printed); test 3 runs in a fresh worker and passes; the run exits 1 with
# complete JUnit and JSON reports; no process is left. With --jobs 1 and 2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

P=(--plugin-path "$CRASH_PLUGIN_DIR")
three_tests segv 'use = "crash.segv"'
three_tests abort 'use = "crash.abort"'
three_tests exit0 'use = "crash.exit"' 'with = { code = 0 }'
three_tests quit3 'use = "crash.quit"' 'with = { code = 3 }'
three_tests alloc 'use = "crash.alloc"'
three_tests spin 'use = "crash.spin"' 'timeout = "200ms"'

# case NAME CAUSE : runs NAME.toml with --jobs 1 and 2 and checks all of it;
# CAUSE is how the message says the worker died.
check_case() {
  local name=$1 cause=$2 use jobs
  use=$(sed -n '/^name = "the step"/{n;p}' "$WORK/$name.toml" | cut -d'"' -f2)
  for jobs in 1 2; do
    # shellcheck disable=SC2046
    run_seam run "${P[@]}" --jobs "$jobs" --max-memory 256M --grace 300ms \
      $(reports "$name$jobs") "$WORK/$name.toml"
    expect_rc 1 "$name, --jobs $jobs"
    expect_in out "PASS  one" "FAIL  two" "PASS  three" \
      "step 'the step' [$use] at $WORK/$name.toml:" "plugin 'crash': " "$cause" \
      "two starts"
    expect_line out "2 passed, 1 failed, 0 skipped"
    junit_is "$name$jobs" 'string(/testsuites/@tests)' 3
    junit_is "$name$jobs" 'string(/testsuites/@failures)' 1
    junit_is "$name$jobs" 'string(/testsuites/@errors)' 0
    junit_is "$name$jobs" 'count(//testcase[@name="three"]/*[self::failure or self::error or self::skipped])' 0
    junit_is "$name$jobs" 'count(//testcase[@name="two"]/failure)' 1
    checks=$((checks + 1))
    "${XMLLINT:-xmllint}" --noout --schema "$CLI_DIR/junit.xsd" "$WORK/$name$jobs.xml" 2>"$WORK/xsd.err" ||
      { fail "$name$jobs.xml does not validate"; cat "$WORK/xsd.err" >&2; }
    json_assert "$WORK/$name$jobs.json" '
cause = '"$(printf '%s' "$cause" | "$PYTHON3" -c 'import json,sys; print(json.dumps(sys.stdin.read()))')"'
two = test("two")
assert two["status"] == "failed", two
assert "the step" in two["message"] and cause in two["message"], two["message"]
# Under --jobs 2 the worker'"'"'s last lines may be the other test'"'"'s.
assert "two starts" in two["message"] or '"$jobs"' == 2, two["message"]
assert test("one")["status"] == "passed" and test("three")["status"] == "passed"
assert d["summary"]["passed"] == 2 and d["summary"]["failed"] == 1, d["summary"]
assert d["interrupted"] is False
'
    no_strays
  done
}

check_case segv "its worker was killed by signal 11 (SIGSEGV: Segmentation fault)"
check_case abort "its worker was killed by signal 6 (SIGABRT: Aborted)"
check_case exit0 "its worker exited with status 0 (a plugin called exit() or _exit())"
check_case quit3 "its worker exited with status 3 (a plugin called exit() or _exit())"
# AddressSanitizer maps terabytes of shadow memory, so a worker under it has
# no memory limit (docs/workers.md): tools/test --sanitize and tools/harden
# set ASAN_OPTIONS, and the case has nothing to check there.
if [ -z "${ASAN_OPTIONS:-}" ]; then
  check_case alloc "memory limit (--max-memory)"
else
  echo "alloc: not checked under AddressSanitizer (no --max-memory limit there)"
fi
check_case spin "did not return 300ms after its deadline (its plugin ignores cancellation): its worker was killed"

finish
