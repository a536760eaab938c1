#!/usr/bin/env bash
# shard.sh - a directory run whole and as 4 shards (--shard K/N), the shards'
# JSON reports merged (seam report merge): the same suites, the same tests
# with the same verdicts, nothing twice, nothing missing; the shards'
# sizes differ by at most one test; --tag and --filter split the same way;
# --shard-by-time deals tests by an earlier report's durations.
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/suites.sh"

XMLLINT=${XMLLINT:-xmllint}
make_suites "$WORK/suites"
cd "$WORK"

# compare WHOLE.json MERGED.json : suites in the same order with the same
# status, every test once with the same verdict and message.
compare() {
  json_assert "$2" '
import collections
whole = json.load(open("'"$1"'"))
def tests(doc):
    return [(s["file"], t["name"], t["status"], t.get("message", "")) for s in doc["suites"] for t in s["tests"]]
w, m = tests(whole), tests(d)
dups = [k for k, n in collections.Counter((f, n) for f, n, _, _ in m).items() if n > 1]
assert not dups, "twice in the merge: %r" % dups
assert sorted(w) == sorted(m), "whole %r\nmerged %r" % (sorted(set(w) - set(m)), sorted(set(m) - set(w)))
assert w == m, "same tests, different order"
assert [s["file"] for s in whole["suites"]] == [s["file"] for s in d["suites"]]
assert [s["status"] for s in whole["suites"]] == [s["status"] for s in d["suites"]]
for k in ("passed", "failed", "skipped"):
    assert whole["summary"][k] == d["summary"][k], (k, whole["summary"], d["summary"])
'
}

# --- the proof: whole vs 4 shards merged -----------------------------------
run_seam run suites --report json:whole.json --report junit:whole.xml
expect_rc 1 "the suites hold failures"
whole_out=$out
for k in 1 2 3 4; do
  run_seam run suites --shard "$k/4" --report "json:shard-$k.json"
  [ "$rc" -le 1 ] || { fail "shard $k/4 exited $rc"; show; }
  expect_regex out "^shard $k/4: [0-9]+ of 32 selected tests, in [0-9] suites?$"
done
run_seam report merge shard-1.json shard-2.json shard-3.json shard-4.json \
  --report json:merged.json --report junit:merged.xml --report html:merged.html --report tap:merged.tap
expect_rc 1 "the merged run has failures, as the whole run"
expect_line out "merged 4 reports: 25 passed, 4 failed, 3 skipped, 1 suite error"
compare whole.json merged.json
[ -s merged.html ] && [ -s merged.tap ] || fail "merge wrote no HTML or TAP report"
checks=$((checks + 1))
"$XMLLINT" --noout --schema "$CLI_DIR/junit.xsd" merged.xml || fail "merged JUnit does not validate"
for x in 'count(//testcase)' 'string(/testsuites/@failures)' 'string(/testsuites/@skipped)'; do
  checks=$((checks + 1))
  a=$("$XMLLINT" --xpath "$x" whole.xml) b=$("$XMLLINT" --xpath "$x" merged.xml)
  [ "$a" = "$b" ] || fail "$x: whole $a, merged $b"
done
# The whole run's console summary counts what the merge counts.
expect_in whole_out "25 passed, 4 failed, 3 skipped" "1 suite error"

# Balanced by count: 32 tests in 4 shards are 8 each; every test in one shard.
json_assert shard-1.json '
counts = []
seen = set()
for k in range(1, 5):
    doc = json.load(open("shard-%d.json" % k))
    names = [(s["file"], t["name"]) for s in doc["suites"] for t in s["tests"]]
    assert not seen & set(names), "in two shards: %r" % (seen & set(names))
    seen |= set(names)
    counts.append(len(names))
assert counts == [8, 8, 8, 8], counts
assert len(seen) == 32
'

# The split is the same on every run (a stable hash, not the process's).
run_seam run suites --shard 3/4 --report json:again-3.json
json_assert again-3.json '
a = [(s["file"], t["name"]) for s in d["suites"] for t in s["tests"]]
b = [(s["file"], t["name"]) for s in json.load(open("shard-3.json"))["suites"] for t in s["tests"]]
assert a == b, (a, b)
'

# Uneven: 32 tests in 5 shards differ by at most one.
for k in 1 2 3 4 5; do
  run_seam run suites --shard "$k/5" --report "json:five-$k.json"
done
json_assert five-1.json '
counts = [sum(len(s["tests"]) for s in json.load(open("five-%d.json" % k))["suites"]) for k in range(1, 6)]
assert sum(counts) == 32 and max(counts) - min(counts) <= 1, counts
'

# --- --tag and --filter choose first, then the shards split the rest -------
# The suites without a chosen test still run (setup and teardown; one fails
# its setup), each in one shard.
run_seam run suites --tag third --filter 'case (0[3-9]|1)' --report json:tag-whole.json
expect_rc 1
for k in 1 2 3; do
  run_seam run suites --tag third --filter 'case (0[3-9]|1)' --shard "$k/3" --report "json:tag-$k.json"
  expect_regex out "^shard $k/3: 2 of 6 selected tests"
done
run_seam report merge tag-1.json tag-2.json tag-3.json --report json:tag-merged.json
expect_rc 1
expect_line out "merged 3 reports: 6 passed, 0 failed, 0 skipped, 1 suite error"
compare tag-whole.json tag-merged.json
# A shard that gets no test still writes its (empty) report, and passes.
run_seam run suites/many.toml --tag third --filter 'case 03' --shard 2/2 --report json:empty.json
expect_rc 0
expect_in out "shard 2/2: 0 of 1 selected tests, in 0 suites"
json_assert empty.json 'assert d["suites"] == [] and d["summary"]["passed"] == 0, d'
run_seam run suites/many.toml --tag third --filter 'case 03' --shard 1/2
expect_rc 0
expect_in out "shard 1/2: 1 of 1 selected tests, in 1 suite"
# Selecting nothing at all is still the mistake it is without --shard.
run_seam run suites --tag nosuchtag --shard 1/2
expect_rc 2
expect_in err "no test matches --tag nosuchtag"

# --- --shard-by-time: the durations of an earlier report ------------------
# One test took 10 s in the earlier run, the others 10 ms: its shard takes
# nothing else while the other shards share the rest.
"${PYTHON3:-python3}" - whole.json timed.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["suites"]:
    for t in s["tests"]:
        t["duration_ms"] = 10000 if t["name"] == "case 05" else 10
json.dump(d, open(sys.argv[2], "w"))
PY
for k in 1 2 3 4; do
  run_seam run suites --shard "$k/4" --shard-by-time timed.json --report "json:time-$k.json"
  [ "$rc" -le 1 ] || { fail "shard $k/4 by time exited $rc"; show; }
done
json_assert time-1.json '
shards = [[(s["file"], t["name"]) for s in json.load(open("time-%d.json" % k))["suites"] for t in s["tests"]] for k in range(1, 5)]
heavy = [x for x in shards if ("suites/many.toml", "case 05") in x]
assert len(heavy) == 1 and len(heavy[0]) == 1, shards
rest = sorted(len(x) for x in shards if x is not heavy[0])
assert sum(rest) == 31 and rest[-1] - rest[0] <= 1, rest
assert len(set(sum(shards, []))) == 32
'
run_seam report merge time-1.json time-2.json time-3.json time-4.json --report json:time-merged.json
expect_rc 1
compare whole.json time-merged.json

# --- bad --shard and --shard-by-time -------------------------------------
for bad in 0/4 5/4 4 a/b 1/0 -1/4 "2/4/8"; do
  run_seam run suites --shard "$bad"
  expect_rc 2 "--shard $bad"
  expect_in err "error: bad --shard '$bad'" "hint: write K/N"
done
run_seam run suites --shard-by-time whole.json
expect_rc 2
expect_in err "--shard-by-time needs --shard K/N"
run_seam run suites --shard 1/2 --shard-by-time missing.json
expect_rc 2
expect_in err "bad --shard-by-time: cannot read missing.json"
echo '<testsuites/>' >not.json
run_seam run suites --shard 1/2 --shard-by-time not.json
expect_rc 2
expect_in err "not.json is not a seam JSON report"

finish
