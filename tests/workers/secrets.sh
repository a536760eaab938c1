#!/usr/bin/env bash
# secrets.sh - a secret that a plugin registers at run time (add_secret, in
# its worker) reaches the parent, which masks what it writes itself: the last
# output in a crash message, and the output a dead worker left unread. The
# plugin prints the secret plain, URL-encoded, in base64 and JSON-escaped to
# stdout and stderr, then crashes (SIGSEGV) or fails; none of those forms is
# in the console (with and without --verbose), JUnit or JSON. --jobs 1 and 2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

P=(--plugin-path "$CRASH_PLUGIN_DIR")
# The value crash.c registers, and the parts of its forms that must never
# show (what a masked line would leave of them would be "***").
secret='Sk!p@ss w/rd"Q9x'
mapfile -t forms < <("$PYTHON3" - "$secret" <<'PY'
import base64, html, json, sys, urllib.parse
s = sys.argv[1]
for form in (s, urllib.parse.quote(s, safe=""), base64.b64encode(s.encode()).decode(),
             json.dumps(s)[1:-1], html.escape(s)):
    print(form)
# Fragments, so that a form cut short (or partly masked) is caught too.
print("p@ss w/rd")
print("p%40ss%20w")
print("cEBzcyB3L3Jk")
PY
)

for crash in true false; do
  cat >"$WORK/secret_$crash.toml" <<TOML
[suite]
name = "secret $crash"

[[test]]
name = "one"
[[test.steps]]
use = "crash.print"
with = { out = "one ran" }

[[test]]
name = "two"
[[test.steps]]
name = "the step"
use = "crash.secret"
with = { crash = $crash }

[[test]]
name = "three"
[[test.steps]]
use = "crash.print"
with = { out = "three ran" }
TOML
done

for crash in true false; do
  for jobs in 1 2; do
    for verbose in "" --verbose; do
      name=secret_${crash}_$jobs${verbose:+_v}
      # shellcheck disable=SC2046
      run_seam run "${P[@]}" --jobs "$jobs" $verbose $(reports "$name") "$WORK/secret_$crash.toml"
      expect_rc 1 "$name"
      expect_in out "PASS  one" "FAIL  two" "PASS  three" "step 'the step' [crash.secret]"
      expect_line out "2 passed, 1 failed, 0 skipped"
      if [ "$crash" = true ]; then
        expect_in out "its worker was killed by signal 11 (SIGSEGV: Segmentation fault)" \
          "its last output: "
      else
        expect_in out "crash.secret failed with ***"
        # Under --jobs 2 a line may go to the step beside (docs/workers.md).
        [ "$jobs" = 2 ] || expect_in out "log: stdout: out plain ***" "log: stderr: err url ***"
      fi
      expect_not_in all "${forms[@]}"
      for form in "${forms[@]}"; do
        checks=$((checks + 1))
        if grep -qF -- "$form" "$WORK/$name.xml" "$WORK/$name.json"; then
          fail "$name: '$form' is in a report: $(grep -F -- "$form" "$WORK/$name.xml" "$WORK/$name.json")"
        fi
      done
      # What was printed is there, masked: the step's logs hold each line
      # (under --jobs 2 a line may go to the step beside, docs/workers.md).
      # After a crash they hold its last output, of which a line being read
      # as the worker died can be missing: one masked line is enough there.
      json_assert "$WORK/$name.json" '
two = test("two")
assert two["status"] == "failed", two
tests = [two] if '"$jobs"' == 1 else suite()["tests"]
logs = [l["message"] for t in tests for s in t["steps"] for l in s.get("logs", [])]
wants = ["out plain ***", "err url ***", "out base64 ***", "err json ***"]
if "'"$crash"'" == "true":
    assert any(w in l for w in wants for l in logs), logs
else:
    for want in wants:
        assert any(want in l for l in logs), (want, logs)
assert "***" in two["message"] or "'"$crash"'" == "true", two["message"]
assert test("three")["status"] == "passed"
'
      junit_is "$name" 'string(/testsuites/@failures)' 1
      no_strays
    done
  done
done
finish
