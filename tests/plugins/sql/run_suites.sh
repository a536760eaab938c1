#!/usr/bin/env bash
# The real seam binary on the sql example suites, on SQLite and on the
# PostgreSQL of the sql_pg ctest fixture (named by SEAM_PG_URL and by
# --var db_url=...), plus the error paths a user meets: `seam check` rejecting
# bad inputs, a bad URL scheme, a wrong password and broken URLs (their
# password never shown, on the console or in JSON and JUnit reports), an
# unreachable server (skipped with --skip-unavailable), and a connection lost
# between steps.
#
#   run_suites.sh SEAM REPO WORKDIR PG_URL_FILE
set -euo pipefail

REPO=$2
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1" "$3" "$4"

password=$(sed -E 's|^[a-z]+://[^:]+:([^@]*)@.*|\1|' <<<"$PG_URL")

for suite in db_integration sql_features; do
  file=$REPO/suites/$suite.toml
  run "$suite-check" check "$file"
  expect_rc 0 "seam check $suite"

  run "$suite-sqlite" run "$file" --report "json:$WORK/$suite-sqlite.json"
  expect_rc 0 "$suite on SQLite"

  SEAM_PG_URL=$PG_URL run "$suite-pg" run "$file" --report "json:$WORK/$suite-pg.json"
  expect_rc 0 "$suite on PostgreSQL"
  expect_absent "$password" "$WORK/$suite-pg.json" "$WORK/$suite-pg.log"

  # The database can be named on the command line too.
  run "$suite-pg-var" run "$file" --var "db_url=$PG_URL" --report "json:$WORK/$suite-pg-var.json"
  expect_rc 0 "$suite on PostgreSQL through --var db_url"
  # The report says which dialect ran.
  out=$(cat "$WORK/$suite-pg-var.json")
  expect_out_re '"dialect": *"postgresql"' "$suite with --var db_url=postgresql://... ran on PostgreSQL"
  expect_absent "$password" "$WORK/$suite-pg-var.json" "$WORK/$suite-pg-var.log"
done

# The same suite really ran against both: the report says which dialect.
out=$(cat "$WORK/db_integration-sqlite.json")
expect_out_re '"sqlite3|sqlite3://' "the SQLite report shows the sqlite3 resource"

run bad-inputs check "$HERE/suites/bad_inputs.toml"
expect_rc 2 "seam check on bad inputs"
expect_out_re 'bad_inputs.toml:[0-9]+:[0-9]+' "bad inputs point at file:line:col"
expect_out_re 'sql' "missing sql is named"
expect_out_re 'params' "params that are no table are named"
expect_out_re 'max_row' "the misspelt key is named"
expect_out_re 'sql.script: .*cannot be given together.*"sql","file"' "a script with both sql and file"

run bad-resource check "$HERE/suites/bad_resource.toml"
expect_rc 2 "seam check on bad resource options"
expect_out_re 'bad_resource.toml:9:[0-9]+: .*unknown input .colour.' "an unknown resource key is named"
expect_out_re 'bad_resource.toml:10:[0-9]+: .*pool.* at least 1' "pool = 0 is refused"
expect_out_re 'bad_resource.toml:11:[0-9]+: .*isolation.*none, rollback' "an unknown isolation is refused"

run bad-url check "$HERE/suites/bad_url.toml"
if [ "$rc" -eq 0 ]; then # not caught by the schema check: then at open time
  run bad-url-run run "$HERE/suites/bad_url.toml"
fi
expect_out_re 'mysql://' "a bad url scheme is named"
checks=$((checks + 1))
[ "$rc" -ne 0 ] || { fail "a bad url scheme passed"; show; }

# What seam shows of a url that fails to open: never its password, on the
# console, in a JSON report or in a JUnit report, from `seam check` or
# `seam run`, however the url is broken.
# no_leak NAME SECRET : checks $out and the reports of the run NAME.
no_leak() {
  expect_not_out "$2"
  expect_absent "$2" "$WORK/$1.json" "$WORK/$1.xml"
}
host_port=${PG_URL#*@}
host_port=${host_port%%/*}
leak=leak-Pw-7f1
bad_urls=(
  "wrong-password postgresql://seam:$leak@$host_port/seam?sslmode=disable"
  "misspelt-scheme postgresq://seam:$leak@$host_port/seam"
  "one-slash postgresql:/seam:$leak@$host_port/seam"
  "no-scheme seam:$leak@$host_port/seam"
  "slash-in-password postgresql://seam:$leak/x@$host_port/seam"
)
for entry in "${bad_urls[@]}"; do
  name=${entry%% *}
  url=${entry#* }
  SEAM_TEST_BAD_URL=$url run "$name-check" check "$HERE/suites/url_from_env.toml"
  no_leak "$name-check" "$leak"
  SEAM_TEST_BAD_URL=$url run "$name" run "$HERE/suites/url_from_env.toml" \
    --report "json:$WORK/$name.json" --report "junit:$WORK/$name.xml"
  checks=$((checks + 1))
  [ "$rc" -ne 0 ] || { fail "$name: a url that cannot open passed"; show; }
  expect_out_re 'resource "db"' "$name: the failing resource is named"
  expect_out_re '\*\*\*' "$name: the password is shown as ***"
  no_leak "$name" "$leak"
  if [ "$name" = wrong-password ]; then
    expect_out_re 'password authentication failed for user "seam"' "the server's message is shown"
  fi
done

# The same, with the url written in the suite itself (the schema check of
# `seam check` sees it before the plugin does).
sed "s|\${env.SEAM_TEST_BAD_URL}|postgresq://seam:$leak@$host_port/seam|" \
  "$HERE/suites/url_from_env.toml" >"$WORK/literal-url.toml"
run literal-url-check check "$WORK/literal-url.toml"
no_leak literal-url-check "$leak"
run literal-url run "$WORK/literal-url.toml" --report "json:$WORK/literal-url.json" \
  --report "junit:$WORK/literal-url.xml"
expect_out_re 'scheme "postgresq://" is not supported' "a misspelt scheme is named"
no_leak literal-url "$leak"

# A server that does not answer is "unavailable": --skip-unavailable skips
# the suite; one that answers with a refusal is not.
refused="postgresql://seam:$leak@127.0.0.1:1/seam"
SEAM_TEST_BAD_URL=$refused run unavailable run "$HERE/suites/url_from_env.toml"
expect_rc 1 "a refused connection fails the run"
expect_out_re 'unavailable: cannot connect to postgresql://seam:\*\*\*@127\.0\.0\.1:1/seam' \
  "a refused connection is reported as unavailable"
SEAM_TEST_BAD_URL=$refused run unavailable-skipped run "$HERE/suites/url_from_env.toml" --skip-unavailable
expect_rc 0 "--skip-unavailable skips a suite whose server refuses connections"
expect_out_re 'skipped' "the skipped suite says so"
SEAM_TEST_BAD_URL=${PG_URL/:$password@/:$leak@} run wrong-password-skip run \
  "$HERE/suites/url_from_env.toml" --skip-unavailable
expect_rc 1 "--skip-unavailable does not hide a wrong password"

SEAM_PG_URL=$PG_URL run connection-loss run "$HERE/suites/connection_loss.toml" \
  --report "json:$WORK/connection-loss.json"
expect_rc 0 "a lost connection is reported, then replaced"
out=$(cat "$WORK/connection-loss.json")
expect_out 'lost the connection'
# Not libpq's own words for it.
expect_not_out 'invalid socket'

# --jobs 4 on PostgreSQL: four isolated tests at once, one pooled connection
# each (probe.gather only returns once all four are inside it).
SEAM_PG_URL=$PG_URL run parallel-jobs run --jobs 4 --timeout 20s "$HERE/suites/parallel_jobs.toml"
expect_rc 0 "four isolated tests at once with --jobs 4"
expect_out_re '^4 passed, 0 failed' "--jobs 4 passes all four tests"

finish
