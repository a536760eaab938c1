#!/usr/bin/env bash
# jobs.sh - --jobs N runs up to N tests of a suite at once: tests that can
# only pass together (probe.gather) pass; each test's steps, saves, cleanup
# and per-test host context stay its own; reports list tests whole and in the
# suite's order, as a sequential run does; --fail-fast and bad values.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
suite=$SUITES/parallel.toml

run_seam run --jobs 4 --timeout 20s --report "json:$WORK/par.json" --report "junit:$WORK/par.xml" "$suite"
expect_rc 0 "--jobs 4"
expect_line out "4 passed, 0 failed, 0 skipped"
# Console: one line per test, in suite order.
expect_order out "PASS  parallel 1" "PASS  parallel 2" "PASS  parallel 3" "PASS  parallel 4"
json_assert "$WORK/par.json" '
names = [t["name"] for t in suite()["tests"]]
assert names == ["parallel 1", "parallel 2", "parallel 3", "parallel 4"], names
ids = set()
for i, t in enumerate(suite()["tests"], 1):
    steps = [s["name"] for s in t["steps"]]
    assert steps == ["meet the others (%d)" % i, "who am I (%d)" % i, "my own value (%d)" % i], steps
    assert [s["name"] for s in t["cleanup"]] == ["clean up (%d)" % i], t["cleanup"]
    ctx = t["steps"][1]["output"]
    assert ctx["test_id"] == t["id"] and ctx["jobs"] == 4, (ctx, t["id"])
    assert t["steps"][2]["input"]["mine"] == "value %d" % i
    assert t["cleanup"][0]["input"]["cleaned"] == t["id"]
    ids.add(t["id"])
assert len(ids) == 4, ids
assert [s["name"] for s in phase("setup")] == ["shared value"]
assert [s["name"] for s in phase("teardown")] == ["after all"]
'
"${XMLLINT:-xmllint}" --noout --schema "$CLI_DIR/junit.xsd" "$WORK/par.xml" 2>"$WORK/xsd.err" ||
  { fail "JUnit report of a parallel run does not validate"; cat "$WORK/xsd.err" >&2; }
checks=$((checks + 1))

# One at a time, the first three cannot meet the others: the same suite fails.
run_seam run --jobs 1 --timeout 300ms "$suite"
expect_rc 1 "--jobs 1"
expect_in out "cancelled with 1 of 4 arrived" "cancelled with 3 of 4 arrived"
expect_line out "1 passed, 3 failed, 0 skipped"
# Without --jobs the host says 1.
run_seam run --timeout 300ms --report "json:$WORK/seq.json" "$suite"
json_assert "$WORK/seq.json" '
assert suite()["tests"][3]["steps"][1]["output"]["jobs"] == 1
'

# --fail-fast with --jobs: tests that had not started are reported as not run.
cat >"$WORK/ff.toml" <<'TOML'
[[test]]
name = "fails"
[[test.steps]]
use = "probe.fail"
with = { message = "boom" }
TOML
for i in 1 2 3 4 5 6 7 8; do
  printf '[[test]]\nname = "later %d"\n[[test.steps]]\nuse = "probe.sleep"\nwith = { ms = 50 }\n' "$i" >>"$WORK/ff.toml"
done
run_seam run --jobs 2 --fail-fast "$WORK/ff.toml"
expect_rc 1 "--fail-fast --jobs 2"
expect_in out "FAIL  fails" "not run: an earlier test failed (--fail-fast)"
checks=$((checks + 1))
n=$(grep -c "^  SKIP" <<<"$out" || true)
[ "$n" -ge 6 ] || { fail "--fail-fast --jobs 2 skipped only $n of 8 later tests"; show; }

for bad in 0 -1 x 2.5 257; do
  run_seam run --jobs "$bad" "$suite"
  expect_rc 2 "--jobs $bad"
  expect_in err "bad --jobs '$bad'" "hint: write a whole number from 1 to 256"
done
finish
