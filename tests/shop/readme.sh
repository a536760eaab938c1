#!/usr/bin/env bash
# readme.sh SEAM: the shop suites pass `seam check`; README.md's two shop
# commands run as written through the real seam binary: the main one passes
# every test of examples/shop/suites/ (the JSON report says so, suite by suite
# and test by test, nothing skipped), shows no secret and leaves no process
# and no broker data behind; the second writes the HTML and JUnit reports it
# names, the JUnit one valid against tests/cli/junit.xsd.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

mapfile -t commands < <(doc_commands "$ROOT/README.md" | grep 'examples/shop/suites/')
checks=$((checks + 1))
if [ "${#commands[@]}" -ne 2 ] || [[ "${commands[0]}" != "tools/setup && build/bin/seam run examples/shop/suites/"* ]]; then
  fail "README.md's first block should hold the two shop commands, the main one first: ${commands[*]}"
  finish
fi

run_line "build/bin/seam check examples/shop/suites/"
expect_rc 0
expect_out "7 files OK"

run_line "${commands[0]}" --report "json:$WORK/main.json"
expect_rc 0
expect_out "0 failed, 0 skipped"
check_report "$WORK/main.json"
nothing_left
checks=$((checks + 1))
secrets=$(cd "$ROOT/examples/shop/suites" && sed -nE 's/.*\{ value = "([^"]+)", secret = true \}.*/\1/p' ./*.toml | sort -u)
[ -n "$secrets" ] || fail "found no secret in the suites to look for"
while read -r secret; do
  [[ "$out" != *"$secret"* ]] || fail "a secret of the suites is in seam's output"
done <<<"$secrets"
echo "the README's main command took $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s"

run_line "${commands[1]}"
expect_rc 0
mapfile -t reports < <(grep -oE '(html|junit):[^ ]+' <<<"${commands[1]}")
checks=$((checks + 1))
[ "${#reports[@]}" -eq 2 ] || fail "the second command should write an html and a junit report: ${commands[1]}"
for r in "${reports[@]}"; do
  file=${r#*:}
  file=${file//build\/shop\//$WORK/reports/}
  checks=$((checks + 1))
  [ -s "$file" ] || { fail "no report at $file"; continue; }
  if [[ "$r" == junit:* ]]; then
    checks=$((checks + 1))
    "$PYTHON3" - "$file" "$ROOT/examples/shop/suites" <<'PY' || fail "the JUnit report's counts"
import glob, sys, tomllib, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
tests = sum(len(tomllib.load(open(f, "rb")).get("test", [])) for f in glob.glob(sys.argv[2] + "/*.toml"))
got = [int(root.get(k, -1)) for k in ("tests", "failures", "errors", "skipped")]
print(f"junit: tests, failures, errors, skipped = {got}")
sys.exit(got != [tests, 0, 0, 0])
PY
    if command -v xmllint >/dev/null; then
      checks=$((checks + 1))
      xmllint --noout --schema "$ROOT/tests/cli/junit.xsd" "$file" 2>"$WORK/xmllint" ||
        { fail "the JUnit report does not validate"; cat "$WORK/xmllint" >&2; }
    fi
  else
    checks=$((checks + 1))
    grep -q "Example 5: events over RabbitMQ" "$file" || fail "the HTML report lacks the events suite"
  fi
done
nothing_left
finish
