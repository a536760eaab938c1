#!/usr/bin/env bash
# ctest_suite.sh - seam_add_suite_test() from an out-of-tree project against
# an installed seam: find_package(Seam) in a project without a compiler, its
# suites registered as CTest tests with labels, variables, tags and report
# paths; ctest runs them with the installed seam (pass and fail as seam
# exits), writes the reports where the function says; wrong calls stop the
# configure with a message. Needs SEAM_BUILD_DIR (installed from) and
# SEAM_PROBE_DIR (the probe plugin the suites use).
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"
: "${SEAM_BUILD_DIR:?}" "${SEAM_PROBE_DIR:?}"
prefix=$WORK/prefix
project=$WORK/project

step() {
  local log=$WORK/step.log
  checks=$((checks + 1))
  if ! "$@" >"$log" 2>&1; then
    fail "$*"
    sed 's/^/    | /' "$log" >&2
    finish
  fi
}
step cmake --install "$SEAM_BUILD_DIR" --prefix "$prefix"
# The project's own plugin directory: the probe alone (the build's plugin
# directory also holds the plugins the install has).
mkdir -p "$WORK/plugins"
cp "$SEAM_PROBE_DIR/seam-probe.so" "$WORK/plugins/"

mkdir -p "$project/suites"
cat >"$project/suites/green.toml" <<'TOML'
[suite]
name = "green"
tags = ["smoke"]

[vars]
who = { env = "SEAM_NOBODY", default = "nobody" }

[[test]]
name = "greets"

[[test.steps]]
use = "probe.echo"
with = { who = "${who}" }
expect = { "input.who" = "ctest" }
TOML
cat >"$project/suites/red.toml" <<'TOML'
[suite]
name = "red"

[[test]]
name = "fails"

[[test.steps]]
use = "probe.fail"
with = { message = "the order service said no" }

[[test]]
name = "passes"

[[test.steps]]
use = "probe.noop"
TOML
cat >"$project/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(app_suites LANGUAGES NONE)
enable_testing()
find_package(Seam REQUIRED)
seam_add_suite_test(green suites/green.toml LABELS integration fast
                    PLUGIN_PATH ${PROBE_DIR} VARS who=ctest REPORTS junit json)
seam_add_suite_test(red suites/red.toml LABELS integration PLUGIN_PATH ${PROBE_DIR}
                    REPORT_DIR ${CMAKE_BINARY_DIR}/out TIMEOUT 60)
seam_add_suite_test(tagged suites PLUGIN_PATH ${PROBE_DIR} TAGS smoke VARS who=ctest
                    ARGS --jobs 2)
CMAKE
step cmake -S "$project" -B "$project/build" -DCMAKE_PREFIX_PATH="$prefix" -DPROBE_DIR="$WORK/plugins"
cd "$project/build"

# What ctest will run: the installed seam, the options, the labels.
ctest --show-only=json-v1 >"$WORK/tests.json"
json_assert "$WORK/tests.json" '
tests = {t["name"]: t for t in d["tests"]}
assert sorted(tests) == ["green", "red", "tagged"], sorted(tests)
props = lambda t: {p["name"]: p["value"] for p in tests[t]["properties"]}
green = tests["green"]["command"]
assert green[0] == "'"$prefix"'/bin/seam", green
assert green[1:4] == ["run", "--color", "never"], green
rep = "'"$project"'/build/seam-reports/green"
assert ["--report", "junit:" + rep + ".xml", "--report", "json:" + rep + ".json"] == green[4:8], green
assert "--var" in green and green[green.index("--var") + 1] == "who=ctest", green
assert green[-1] == "'"$project"'/suites/green.toml", green
assert sorted(props("green")["LABELS"]) == ["fast", "integration", "seam"], props("green")
assert props("green")["ATTACHED_FILES_ON_FAIL"] == [rep + ".xml", rep + ".json"], props("green")
assert props("green")["WORKING_DIRECTORY"] == "'"$project"'"
assert props("red")["TIMEOUT"] == 60, props("red")
assert sorted(props("red")["LABELS"]) == ["integration", "seam"]
tagged = tests["tagged"]["command"]
assert tagged[tagged.index("--tag") + 1] == "smoke" and tagged[tagged.index("--jobs") + 1] == "2", tagged
'

run_ctest() {
  last_cmd="ctest $*"
  rc=0
  out=$(ctest --output-on-failure "$@" 2>&1) || rc=$?
  err=""
  elapsed_ms=0
}
run_ctest -L fast
expect_rc 0
expect_in out "green" "100% tests passed, 0 tests failed out of 1"
expect_not_in out "red"
for f in seam-reports/green.xml seam-reports/green.json; do
  checks=$((checks + 1))
  [ -s "$f" ] || fail "no report $f"
done
json_assert seam-reports/green.json 'assert test("greets")["status"] == "passed"'

run_ctest -R '^red$'
expect_rc 8 "ctest exits 8 when a test fails"
expect_in out "the order service said no" "0% tests passed, 1 tests failed out of 1"
checks=$((checks + 1))
grep -q '<failure message="step &apos;probe.fail&apos; .*the order service said no' out/red.xml || fail "out/red.xml has no failure"

run_ctest -L seam
expect_rc 8
expect_in out "67% tests passed, 1 tests failed out of 3"
checks=$((checks + 1))
[ "$(grep -c '<testcase ' seam-reports/tagged.xml)" = 1 ] || fail "tagged ran other than the smoke test"

# docs/ctest.md's project, as written (the prefix it names replaced by the
# one installed here), with suites that use the probe.
doc=$(cd "$CLI_DIR/../.." && pwd)/docs/ctest.md
shop=$WORK/shop
mkdir -p "$shop/suites"
"${PYTHON3:-python3}" - "$doc" "$shop/CMakeLists.txt" "$WORK/doc_commands" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
(cmake,) = re.findall(r"^```cmake\n(.*?)^```", text, re.S | re.M)
open(sys.argv[2], "w").write(cmake)
(sh,) = re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M)
open(sys.argv[3], "w").write(sh)
PY
cat >"$shop/suites/orders.toml" <<'TOML'
[suite]
name = "orders"

[[test]]
name = "an order is echoed"

[[test.steps]]
use = "probe.echo"
with = { order = 42 }
expect = { "input.order" = 42 }
TOML
cat >"$shop/suites/smoke.toml" <<'TOML'
[suite]
name = "smoke"

[[test]]
name = "quick check"
tags = ["smoke"]

[[test.steps]]
use = "probe.noop"

[[test]]
name = "slow check"

[[test.steps]]
use = "probe.noop"
TOML
checks=$((checks + 1))
[ "$(wc -l <"$WORK/doc_commands")" = 2 ] || fail "docs/ctest.md should show two commands"
while read -r c; do
  c=${c//\/opt\/seam/$prefix}
  last_cmd=$c
  rc=0
  out=$(cd "$shop" && SEAM_PLUGIN_PATH=$WORK/plugins bash -c "$c" 2>&1) || rc=$?
  expect_rc 0 "$c"
done <"$WORK/doc_commands"
expect_in out "100% tests passed, 0 tests failed out of 2"
for f in orders.xml smoke.xml smoke.html; do
  checks=$((checks + 1))
  [ -s "$shop/build/seam-reports/$f" ] || fail "docs/ctest.md's project wrote no seam-reports/$f"
done
checks=$((checks + 1))
[ "$(grep -c '<testcase ' "$shop/build/seam-reports/smoke.xml")" = 1 ] || fail "TAGS smoke ran more than the smoke test"

# Wrong calls stop the configure with a message.
bad_call() {
  mkdir -p "$WORK/bad"
  printf 'cmake_minimum_required(VERSION 3.20)\nproject(bad LANGUAGES NONE)\nenable_testing()\nfind_package(Seam REQUIRED)\n%s\n' "$1" >"$WORK/bad/CMakeLists.txt"
  last_cmd="cmake with: $1"
  rc=0
  out=$(cmake -S "$WORK/bad" -B "$WORK/bad/build" -DCMAKE_PREFIX_PATH="$prefix" 2>&1) || rc=$?
  rm -rf "$WORK/bad"
  expect_rc 1 "$1"
}
bad_call 'seam_add_suite_test(nothing)'
expect_in out "seam_add_suite_test(nothing): give the suite files or directories to"
bad_call 'seam_add_suite_test(x suites REPORTS xml)'
expect_in out "unknown report 'xml': REPORTS takes"
finish
