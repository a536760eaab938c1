#!/usr/bin/env bash
# cases.sh - data-driven tests: `cases` as a CSV (RFC 4180 quoting, a name
# column naming the tests), a JSON array, inline tables ("NAME [k]"); each
# case's values reach the step as ${case.X} (typed from JSON and TOML, text
# from CSV); --filter picks cases; --shard splits them; seam check reports
# a short CSV row, a malformed CSV or JSON file, an unknown or missing
# column, with the line of the file that holds it.
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cp -r "$HERE/cases" "$HERE/cases_bad" "$WORK/"
cd "$WORK/cases"

run_seam run cases.toml --report json:r.json
expect_rc 1 "two squares are wrong on purpose"
for t in "signup [alice]" "signup [bob]" "signup [carol]" "order [0]" "order [1]" "square [0]"; do
  expect_regex out "^  PASS  ${t//[/\\[} \\("
done
expect_regex out '^  FAIL  square \[1\] \('
expect_in out "input.square: expected 4, got 9" "input.square: expected 4, got 15"
expect_line out "6 passed, 2 failed, 0 skipped"
json_assert r.json '
i = lambda name: test(name)["steps"][0]["input"]
assert i("signup [alice]") == {"email": "alice@example.com", "line": "alice <alice@example.com>", "note": "plain",
    "whole": {"name": "alice", "email": "alice@example.com", "note": "plain"}}, i("signup [alice]")
assert i("signup [bob]")["email"] == "bob, jr@example.com"
assert i("signup [bob]")["note"] == "says \"hi\""
assert i("signup [carol]")["note"] == "two\nlines"
assert i("order [0]") == {"id": 1, "total": 9.5, "paid": True, "items": "none"}, i("order [0]")
assert i("order [1]") == {"id": 2, "total": 120, "paid": False, "items": ["a", "b"]}, i("order [1]")
assert i("square [2]") == {"n": 4, "square": 15}
names = [t["name"] for t in suite(0)["tests"]]
assert names == ["signup [alice]", "signup [bob]", "signup [carol]", "order [0]", "order [1]",
                 "square [0]", "square [1]", "square [2]"], names
'

# --filter picks cases by their names.
run_seam run cases.toml --filter 'signup \[b|square \[0'
expect_rc 0
expect_line out "2 passed, 0 failed, 0 skipped"
expect_in out "signup [bob]" "square [0]"
expect_not_in out "signup [alice]"

# Each case is a test of its own for --shard too: the shards hold them all once.
for k in 1 2 3; do
  run_seam run cases.toml --shard "$k/3" --report "json:s$k.json"
  expect_regex out "^shard $k/3: [23] of 8 selected tests"
done
# Merged in any order, the cases come back in file order (named ones too).
run_seam report merge s3.json s1.json s2.json --report json:merged.json
expect_rc 1
json_assert merged.json '
assert [t["name"] for t in suite(0)["tests"]] == [
    "signup [alice]", "signup [bob]", "signup [carol]", "order [0]", "order [1]",
    "square [0]", "square [1]", "square [2]"], [t["name"] for t in suite(0)["tests"]]
'

# What seam check reports, where.
cd "$WORK/cases_bad"
run_seam check columns.toml
expect_rc 2
expect_in err "columns.toml:7:15: error: '\${case.emial}': the cases have no column 'emial'" \
  "hint: did you mean 'email'? (columns at ../cases/data/users.csv:1)" \
  "columns.toml:11:22: error: case 'uneven [1]' has no 'a'" \
  "hint: \${case.a} at columns.toml:15:15 uses it" \
  "columns.toml:22:15: error: '\${case.a}' is only defined in a test with cases" \
  "columns.toml:26:15: error: '\${case.a}' is only defined in a test with cases" \
  "4 errors in 1 file"
checks=$((checks + 1))
[ "$(grep -c "no column 'emial'" <<<"$err")" = 1 ] || fail "an unknown column is reported once per reference, not per case"

run_seam check files.toml
expect_rc 2
expect_in err \
  "data/short.csv:3:1: error: row has 1 of the 2 columns: no email" " 3 | bob" \
  "data/short.csv:4:1: error: row has 3 fields, the header 2" \
  "data/unclosed.csv:3:1: error: malformed CSV (a quote not closed" \
  "data/twice.csv:1:1: error: the header row names column 'name' twice" \
  "data/object.json:1:1: error: the cases file holds no JSON array" \
  "data/broken.json:2:11: error: malformed JSON: syntax error" \
  "files.toml:38:9: error: cannot read cases file data/missing.csv" \
  "files.toml:45:9: error: cases file 'data/users.yaml' is neither .csv nor .json" \
  "files.toml:52:9: error: test 'empty' has no cases" \
  "files.toml:59:9: error: 'cases' must be an array of tables or a file name" \
  "files.toml:66:11: error: each case is a table of its values" \
  "files.toml:73:27: error: two tests are named 'dup [x]'" \
  "12 errors in 1 file"
finish
