#!/usr/bin/env bash
# docs.sh - every command in a ```sh block of docs/cli.md runs as written
# (`seam` being the binary under test) in a directory whose suites/ holds a
# passing suite: exit code 0, and every report it names is written.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DOC=${DOC:-$CLI_DIR/../../docs/cli.md} # docs/workers.md runs through here too

mkdir -p "$WORK/docs/suites"
cp "$SUITES/passing.toml" "$WORK/docs/suites/"
mapfile -t commands < <("${PYTHON3:-python3}" - "$DOC" <<'PY'
import re, sys
for block in re.findall(r"^```sh\n(.*?)^```", open(sys.argv[1]).read(), re.S | re.M):
    for line in block.splitlines():
        if line.strip():
            print(line)
PY
)
checks=$((checks + 1))
[ "${#commands[@]}" -ge 1 ] || fail "no \`\`\`sh commands found in $DOC"
for c in "${commands[@]}"; do
  checks=$((checks + 1))
  case "$c" in
    "seam "*) ;;
    *) fail "docs/cli.md shows a command this test does not know how to run: $c"; continue ;;
  esac
  read -ra words <<<"${c#seam }"
  (cd "$WORK/docs" && run_seam "${words[@]}" && declare -p rc out err all >"$WORK/result")
  . "$WORK/result"
  last_cmd=$c
  expect_rc 0 "$c"
  for w in "${words[@]}"; do
    if [[ "$w" == *:* && "$w" != -* ]]; then
      checks=$((checks + 1))
      [ -s "$WORK/docs/${w#*:}" ] || fail "$c: no report at ${w#*:}"
    fi
  done
done
finish
