#!/usr/bin/env bash
# interpolation.sh - ${env.X}, ${env.X:-default}, built-ins (${run.id} the
# same within a run and new for each run, ${test.id} per test, ${uuid},
# ${now}), typed values (a lone ${...} keeps the type of what it names,
# inside text it becomes text), paths into saved values and resources, $${.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

unset SEAM_CLI_UNSET
suite=$SUITES/interpolation.toml
for n in 1 2; do
  SEAM_CLI_SET=from-env run_seam run --report "json:$WORK/run$n.json" "$suite"
  expect_rc 0
  expect_line out "2 passed, 0 failed, 0 skipped"
done

json_assert "$WORK/run1.json" '
import re
run = d["run_id"]
b = step("first", 0)["input"]
assert b["run"] == run, (b["run"], run)
assert phase("setup")[1]["input"] == {"run": run}, phase("setup")
assert step("second", 0)["input"]["run"] == run, "the run id changed within a run"
assert b["test"] == test("first")["id"] and step("second", 0)["input"]["test"] == test("second")["id"]
assert b["test"] != step("second", 0)["input"]["test"], "two tests share a test id"
assert b["in_text"] == "run %s / test %s" % (run, b["test"]), b["in_text"]
uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
for u in (b["uuid"], b["uuid2"], step("second", 0)["input"]["uuid"]):
    assert uuid.match(u), u
assert len({b["uuid"], b["uuid2"], step("second", 0)["input"]["uuid"]}) == 3, "${uuid} repeats"
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$")
assert iso.match(b["now"]) and iso.match(b["started"]), (b["now"], b["started"])
assert b["suite"] == "interpolation" and b["test_name"] == "first", b

e = step("first", 1)["input"]
assert e == {"from_env": "from-env", "with_default": "the default", "default_unused": "from-env",
             "empty_default": "", "direct": "from-env", "direct_default": "x y z"}, e

t = step("first", 2)["input"]
assert t["port"] == 8080 and type(t["port"]) is int, t
assert t["ratio"] == 0.25 and t["enabled"] is True, t
assert t["list"] == [1, "two", {"three": 3}] and t["second"] == "two" and t["three"] == 3, t
assert t["composed"] == "http://127.0.0.1:8080/x", t
assert t["text"] == "port=8080 ratio=0.25 on=true", t["text"]

s = step("first", 4)
assert s["input"]["n"] == 1 and type(s["input"]["n"]) is int, s["input"]
assert s["input"]["whole"] == {"count": 1}, s["input"]
assert s["input"]["n_in_text"] == "n=1", s["input"]
assert s["input"]["obj"] == {"deeper": [1, 1]}, s["input"]

w = step("first", 5)["input"]
assert w == {"deep": 1, "port": 1234, "tag": "run-" + run}, w

l = step("first", 6)["input"]
assert l["literal"] == "cost: ${not.a.ref} and ${env.HOME}", l
assert l["mixed"] == "${x} 8080", l
assert l["dollar"] == "a $ b $5 $ {x}", l
'

# ${run.id} is new for every run; ${test.id} too, since it derives from it.
r1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/run1.json")
r2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/run2.json")
checks=$((checks + 1))
if [ -z "$r1" ] || [ "$r1" = "$r2" ]; then fail "two runs share the run id '$r1'"; fi
json_assert "$WORK/run2.json" "
assert step('first', 0)['input']['run'] == '$r2' != '$r1'
assert step('first', 0)['input']['test'] != '$r1-1'
"

# An environment variable a suite needs, unset and without a default: the
# run stops before anything runs, naming the variable and where it is used.
run_seam run "$suite"
expect_rc 2
expect_in err "environment variable SEAM_CLI_SET is not set (in variable 'from_env')" \
  'hint: export SEAM_CLI_SET=..., or give a default: ${env.SEAM_CLI_SET:-default}'
expect_in err "interpolation.toml:11:13: error: "
[ -z "$out" ] || { fail "nothing should run"; show; }
finish
