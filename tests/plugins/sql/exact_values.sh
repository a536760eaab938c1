#!/usr/bin/env bash
# The real seam binary on exact values: suites/exact_values_pg.toml against
# the sql_pg fixture's PostgreSQL, exact_values_sqlite.toml on SQLite, and
# exact_values_fail.toml, whose every test must fail (no value is rounded
# into passing) with a message that says why.
#
#   exact_values.sh SEAM WORKDIR PG_URL_FILE
set -euo pipefail

SEAM=$1
WORK=$2
PG_URL=$(cat "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
run() {
  local name=$1
  shift
  rc=0
  out=$(SEAM_PG_URL=$PG_URL "$SEAM" "$@" 2>&1 </dev/null) || rc=$?
  printf '%s\n' "$out" >"$WORK/$name.log"
}
show() { printf '%s\n' "$out" | sed 's/^/    | /' >&2; }
expect_out() {
  grep -qF -- "$1" <<<"$out" || { fail "$2: output lacks '$1'"; show; }
}

run check check "$HERE/suites/exact_values_pg.toml" "$HERE/suites/exact_values_sqlite.toml" \
  "$HERE/suites/exact_values_fail.toml"
[ "$rc" -eq 0 ] || { fail "seam check on the exact_values suites: exit code $rc"; show; }

run pg run "$HERE/suites/exact_values_pg.toml"
[ "$rc" -eq 0 ] || { fail "exact_values_pg.toml: exit code $rc"; show; }

run sqlite run "$HERE/suites/exact_values_sqlite.toml"
[ "$rc" -eq 0 ] || { fail "exact_values_sqlite.toml: exit code $rc"; show; }

run fail run "$HERE/suites/exact_values_fail.toml" --report "json:$WORK/fail.json"
[ "$rc" -eq 1 ] || { fail "exact_values_fail.toml: exit code $rc, expected 1"; show; }
failed=$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(sum(1 for s in r["suites"] for t in s["tests"] if t["status"]=="failed"))' "$WORK/fail.json")
[ "$failed" = 5 ] || { fail "exact_values_fail.toml: $failed tests failed, expected all 5"; show; }
expect_out 'got "12345678901234567890.1234567890" (the actual value is a string: a number that a double cannot hold exactly is kept as the string of its digits; compare it with a string, "12345678901234567890.1234567890")' \
  "a TOML float against a long numeric"
expect_out 'expected "12345678901234567890.1234567891", got "12345678901234567890.1234567890"' \
  "the last digit differs"
expect_out 'expected "18446744073709551614", got 18446744073709551615' "one below 2^64"
expect_out 'got 18446744073709551615 (a TOML float is a double and keeps about 17 significant digits; write the exact value as a string: "18446744073709551615")' \
  "a TOML float rounds 2^64 - 1"
expect_out 'expected ge "9223372036854775808", got 9223372036854775807' "2^63 - 1 is not 2^63"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "exact values: all checks passed"
