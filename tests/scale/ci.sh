#!/usr/bin/env bash
# ci.sh - the CI recipes of docs/ci/ (GitHub Actions matrix, GitLab
# `parallel:`, Kubernetes Indexed Job) parse, and the seam commands in them,
# run as each CI system would run them, merge into the report of the whole
# run; docs/ci.md shows those files as they are.
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/suites.sh"
ROOT=$(cd "$CLI_DIR/../.." && pwd)

make_suites "$WORK/suites"
checks=$((checks + 1))
"${PYTHON3:-python3}" "$(dirname "$0")/ci_recipes.py" "$ROOT/docs/ci" "$WORK/suites" "$WORK/ci" "$SEAM" \
  >"$WORK/ci.log" 2>&1 || {
  fail "the CI recipes do not run as documented:"
  sed 's/^/    | /' "$WORK/ci.log" >&2
}

# docs/ci.md holds each file of docs/ci/ verbatim, in a block that names it.
checks=$((checks + 1))
"${PYTHON3:-python3}" - "$ROOT/docs/ci.md" "$ROOT/docs/ci" <<'PY' || fail "docs/ci.md and docs/ci/ differ"
import os, re, sys
doc, ci = sys.argv[1], sys.argv[2]
blocks = dict(re.findall(r"^<!-- docs/ci/(\S+) -->\n```yaml\n(.*?)^```", open(doc).read(), re.S | re.M))
files = sorted(f for f in os.listdir(ci) if f.endswith(".yml"))
assert sorted(blocks) == files, (sorted(blocks), files)
for f in files:
    assert blocks[f] == open(os.path.join(ci, f)).read(), "docs/ci.md's copy of %s differs" % f
PY

# docs/ci.md's ```sh commands, in order, in a directory of passing suites.
mkdir -p "$WORK/doc/suites"
cp "$SUITES/passing.toml" "$WORK/doc/suites/"
mapfile -t commands < <("${PYTHON3:-python3}" - "$ROOT/docs/ci.md" <<'PY'
import re, sys
for block in re.findall(r"^```sh\n(.*?)^```", open(sys.argv[1]).read(), re.S | re.M):
    for line in block.splitlines():
        if line.strip():
            print(line)
PY
)
checks=$((checks + 1))
[ "${#commands[@]}" -eq 3 ] || fail "expected 3 commands in docs/ci.md, found ${#commands[@]}"
for c in "${commands[@]}"; do
  read -ra words <<<"${c#seam }"
  (cd "$WORK/doc" && run_seam "${words[@]}" && declare -p rc out err all elapsed_ms >"$WORK/result")
  . "$WORK/result"
  last_cmd=$c
  expect_rc 0 "$c"
done
for f in shard-1.json shard-2.json all.xml all.html; do
  checks=$((checks + 1))
  [ -s "$WORK/doc/reports/$f" ] || fail "docs/ci.md's commands wrote no reports/$f"
done
expect_in out "merged 2 reports"
finish
