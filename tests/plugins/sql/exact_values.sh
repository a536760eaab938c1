#!/usr/bin/env bash
# The real seam binary on exact values: suites/exact_values_pg.toml against
# the sql_pg fixture's PostgreSQL, exact_values_sqlite.toml on SQLite, and
# exact_values_fail.toml, whose every test must fail (no value is rounded
# into passing) with a message that says why.
#
#   exact_values.sh SEAM WORKDIR PG_URL_FILE
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
export SEAM_PG_URL=$PG_URL

run check check "$HERE/suites/exact_values_pg.toml" "$HERE/suites/exact_values_sqlite.toml" \
  "$HERE/suites/exact_values_fail.toml"
expect_rc 0 "seam check on the exact_values suites"

run pg run "$HERE/suites/exact_values_pg.toml"
expect_rc 0 exact_values_pg.toml

run sqlite run "$HERE/suites/exact_values_sqlite.toml"
expect_rc 0 exact_values_sqlite.toml

run fail run "$HERE/suites/exact_values_fail.toml" --report "json:$WORK/fail.json"
expect_rc 1 exact_values_fail.toml
failed=$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(sum(1 for s in r["suites"] for t in s["tests"] if t["status"]=="failed"))' "$WORK/fail.json")
checks=$((checks + 1))
[ "$failed" = 5 ] || { fail "exact_values_fail.toml: $failed tests failed, expected all 5"; show; }
# a TOML float against a long numeric
expect_out 'got "12345678901234567890.1234567890" (the actual value is a string: a number that a double cannot hold exactly is kept as the string of its digits; compare it with a string, "12345678901234567890.1234567890")'
# the last digit differs
expect_out 'expected "12345678901234567890.1234567891", got "12345678901234567890.1234567890"'
# one below 2^64
expect_out 'expected "18446744073709551614", got 18446744073709551615'
# a TOML float rounds 2^64 - 1
expect_out 'got 18446744073709551615 (a TOML float is a double and keeps about 17 significant digits; write the exact value as a string: "18446744073709551615")'
# 2^63 - 1 is not 2^63
expect_out 'expected ge "9223372036854775808", got 9223372036854775807'

finish
