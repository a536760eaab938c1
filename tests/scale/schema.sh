#!/usr/bin/env bash
# schema.sh - `seam schema`: the JSON Schema of suites, with every plugin's
# steps, is a valid draft-07 schema; every example suite (suites/*.toml,
# examples/*/suites/*.toml, tests/cli/suites/*.toml and the data-driven
# tests/scale/cases/, read by tomllib) validates against it with
# python3-jsonschema, and the broken ones of tests/scale/schema/ are refused
# for the reason each names (seam check refuses them too); docs/editors.md's
# command and Taplo rule work.
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"
ROOT=$(cd "$CLI_DIR/../.." && pwd)
HERE=$ROOT/tests/scale
cd "$WORK"

run_seam schema -o schema.json
expect_rc 0
expect_regex err '^wrote schema.json: the suite format with [0-9]+ plugins$'
run_seam schema
expect_rc 0
checks=$((checks + 1))
[ "$out" = "$(cat schema.json)" ] || fail "seam schema prints another schema than -o writes"

json_assert schema.json '
uses = d["definitions"]["step"]["properties"]["use"]["enum"]
for u in ("http.request", "sql.query", "process.start", "queue.publish", "fs.read", "probe.echo"):
    assert u in uses, u
sel = [c for c in d["definitions"]["step"]["allOf"] if c["if"]["properties"]["use"]["const"] == "probe.sleep"]
assert len(sel) == 1 and "ms" in sel[0]["then"]["properties"]["with"]["properties"], sel
'

validate() {
  checks=$((checks + 1))
  local log
  if ! log=$("${PYTHON3:-python3}" "$HERE/schema_check.py" "$@" 2>&1); then
    fail "schema check ($2) failed:"
    printf '%s\n' "$log" | sed 's/^/    | /' >&2
  fi
}
mapfile -t examples < <(ls "$ROOT"/suites/*.toml "$ROOT"/examples/*/suites/*.toml \
  "$ROOT"/tests/cli/suites/*.toml "$HERE"/schema/*.valid.toml "$HERE"/cases/*.toml)
validate schema.json valid "${examples[@]}"
mapfile -t broken < <(ls "$HERE"/schema/*.toml | grep -v '\.valid\.toml$')
validate schema.json invalid "${broken[@]}"
# What the schema refuses, seam check refuses too.
for f in "${broken[@]}"; do
  run_seam check "$f"
  expect_rc 2 "seam check $f"
done
run_seam check "$HERE/schema/references.valid.toml"
expect_rc 0

# Bad uses.
run_seam schema suites/
expect_rc 2
expect_in err "seam schema takes no arguments"
: >file
run_seam schema -o file/schema.json
expect_rc 4
expect_in err "file/schema.json"

# docs/editors.md: its command, and its Taplo rule naming the file the
# command writes and matching the suites.
"${PYTHON3:-python3}" - "$ROOT/docs/editors.md" "$WORK/doc" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
os.makedirs(sys.argv[2])
(sh,) = re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M)
open(os.path.join(sys.argv[2], "commands"), "w").write(sh)
(toml,) = re.findall(r"^```toml\n(.*?)^```", text, re.S | re.M)
open(os.path.join(sys.argv[2], ".taplo.toml"), "w").write(toml)
PY
mkdir -p doc/suites
cp "$SUITES/passing.toml" doc/suites/
while read -r c; do
  read -ra words <<<"${c#seam }"
  (cd doc && run_seam "${words[@]}" && declare -p rc out err all elapsed_ms >"$WORK/result")
  . "$WORK/result"
  expect_rc 0 "$c"
done <doc/commands
"${PYTHON3:-python3}" - "$WORK/doc" <<'PY' || fail "docs/editors.md's Taplo rule does not give doc/suites the schema"
import glob, os, sys, tomllib
d = sys.argv[1]
rule = tomllib.load(open(os.path.join(d, ".taplo.toml"), "rb"))["rule"][0]
path = os.path.join(d, rule["schema"]["path"])
assert os.path.getsize(path) > 0, path
files = [f for pattern in rule["include"] for f in glob.glob(os.path.join(d, pattern), recursive=True)]
assert files == [os.path.join(d, "suites/passing.toml")], files
PY
validate doc/seam-suite.schema.json valid doc/suites/passing.toml
finish
