#!/usr/bin/env bash
# The real seam binary on the sql example suites, on SQLite and on the
# PostgreSQL of the sql_pg ctest fixture, plus the error paths a user meets:
# `seam check` rejecting bad inputs, a bad URL scheme, a wrong password (never
# shown), and a connection lost between steps.
#
#   run_suites.sh SEAM REPO WORKDIR PG_URL_FILE
set -euo pipefail

SEAM=$1
REPO=$2
WORK=$3
PG_URL=$(cat "$4")
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME ARGS... : runs seam; output in $out, exit code in $rc.
run() {
  local name=$1
  shift
  rc=0
  out=$("$SEAM" "$@" 2>&1 </dev/null) || rc=$?
  printf '%s\n' "$out" >"$WORK/$name.log"
}
expect_rc() {
  checks=$((checks + 1))
  [ "$rc" -eq "$1" ] || { fail "$2: exit code $rc, expected $1"; printf '%s\n' "$out" | sed 's/^/    | /' >&2; }
}
expect_out() {
  checks=$((checks + 1))
  grep -qE -- "$1" <<<"$out" || { fail "$2: output lacks /$1/"; printf '%s\n' "$out" | sed 's/^/    | /' >&2; }
}
expect_no() {
  checks=$((checks + 1))
  ! grep -qF -- "$1" "${@:3}" <<<"$out" || fail "$2: output shows '$1'"
}

password=$(sed -E 's|^[a-z]+://[^:]+:([^@]*)@.*|\1|' <<<"$PG_URL")

for suite in db_integration sql_features; do
  file=$REPO/suites/$suite.toml
  run "$suite-check" check "$file"
  expect_rc 0 "seam check $suite"

  run "$suite-sqlite" run "$file" --report "json:$WORK/$suite-sqlite.json"
  expect_rc 0 "$suite on SQLite"

  SEAM_PG_URL=$PG_URL run "$suite-pg" run "$file" --report "json:$WORK/$suite-pg.json"
  expect_rc 0 "$suite on PostgreSQL"
  checks=$((checks + 1))
  if grep -qF -- "$password" "$WORK/$suite-pg.json" "$WORK/$suite-pg.log"; then
    fail "$suite: the PostgreSQL password appears in the report or the output"
  fi
done

# The same suite really ran against both: the report says which dialect.
checks=$((checks + 1))
grep -q '"sqlite3\|sqlite3://' "$WORK/db_integration-sqlite.json" ||
  fail "the SQLite report does not show the sqlite3 resource"

run bad-inputs check "$HERE/suites/bad_inputs.toml"
expect_rc 2 "seam check on bad inputs"
expect_out 'bad_inputs.toml:[0-9]+:[0-9]+' "bad inputs point at file:line:col"
expect_out 'sql' "missing sql is named"
expect_out 'params' "params that are no table are named"
expect_out 'max_row' "the misspelt key is named"

run bad-url check "$HERE/suites/bad_url.toml"
if [ "$rc" -eq 0 ]; then # not caught by the schema check: then at open time
  run bad-url-run run "$HERE/suites/bad_url.toml"
fi
expect_out 'mysql://' "a bad url scheme is named"
checks=$((checks + 1))
[ "$rc" -ne 0 ] || fail "a bad url scheme passed"

wrong=${PG_URL/:$password@/:not-the-password-9f3@}
SEAM_TEST_BAD_URL=$wrong run wrong-password run "$HERE/suites/wrong_password.toml"
checks=$((checks + 1))
[ "$rc" -ne 0 ] || fail "a wrong password passed"
expect_out 'resource "db"' "the failing resource is named"
expect_out 'password authentication failed for user "seam"' "the server's message is shown"
expect_no 'not-the-password-9f3' "the wrong password is masked"

SEAM_PG_URL=$PG_URL run connection-loss run "$HERE/suites/connection_loss.toml"
expect_rc 0 "a lost connection is reported, then replaced"

echo "sql suites: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
