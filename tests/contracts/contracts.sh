#!/usr/bin/env bash
# contracts.sh SEAM PLUGIN_DIR: the schema and openapi matchers through the
# real seam binary and the http plugin's mock: suites/ pass (and the report
# shows every step ran), failing/ fails with the violations listed, and
# `seam check` refuses each suite of bad/ (exit 2) at its line, with the
# message of its `# expect:` lines.
set -euo pipefail
SEAM=$(realpath "${1:?seam binary}")
PLUGIN_DIR=$(realpath "${2:?plugin directory}")
export SEAM
source "$(dirname "$0")/../cli/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"

run_seam run suites/contracts_pass.toml --plugin-path "$PLUGIN_DIR" --report "json:$WORK/pass.json"
expect_rc 0
json_assert "$WORK/pass.json" '
steps = [s for t in suite()["tests"] for s in t["steps"]]
assert len(steps) == 6 and all(s["status"] == "passed" for s in steps), steps'

run_seam run failing/contracts_fail.toml --plugin-path "$PLUGIN_DIR" --report "json:$WORK/fail.json"
expect_rc 1
json_assert "$WORK/fail.json" '
assert [t["status"] for t in suite()["tests"]] == ["failed"] * 6, suite()["tests"]'
# Every violation with its path and keyword; ten shown, the rest counted.
expect_in out 'json: does not match ../suites/contracts/user.json (12 violations)' \
  'json.address.city: minLength: string should be no fewer than 1 characters in length' \
  'json.address.zip: type: not of a type the schema allows (got integer 1234)' \
  'json.created_at: format: "2023-02-29T12:00:00Z" is not a date-time' \
  'json.email: format: "ada.example.com" is not an email' \
  'json.homepage: format: "no scheme" is not a uri' \
  'json.id: format: "not-a-uuid" is not a uuid' \
  'json.last_ip: format: "300.1.1.1" is not an ipv4' \
  'json.last_ip: format: "300.1.1.1" is not an ipv6' \
  "json.last_ip: anyOf: matches none of the schemas of 'anyOf'" \
  'json.tags[0]: pattern: "Math" does not match "^[a-z]+$"' \
  '... and 2 more'
# OpenAPI: the body, a required header, a header's schema (its text read as a number).
expect_in out 'output: response 200 does not fit GET /users/{id} (getUser) in ../suites/contracts/users.yaml (3 violations)' \
  'headers.x-rate-remaining: minimum: expected a number >= 0 (got integer -1)' \
  'headers.x-request-id: required: the response must have this header' \
  'json.age: exclusiveMaximum: expected a number < 150 (got integer 150)' \
  'output: status 418 is not declared for GET /users/{id} (getUser) in ../suites/contracts/users.yaml (declared: 200, 404)' \
  'headers.content-type: content: "text/html" is not declared for this response (declared: application/json)' \
  "json: 'openapi' checks a whole HTTP response (status, headers, json)"
# A secret never shows, not even inside a violation.
expect_in out 'json.token: pattern: "***" does not match "^tok_"'
expect_not_in all 's3cr3t-t0ken'

for suite in bad/*.toml; do
  run_seam check "$suite" --plugin-path "$PLUGIN_DIR"
  expect_rc 2 "$suite"
  expect_regex all "^$suite:[0-9]+:[0-9]+: error: "
  while IFS= read -r want; do
    expect_in all "$want"
  done < <(sed -n 's/^# expect: //p' "$suite")
done

# The examples of docs/suite-reference.md's Contracts section, as written.
checks=$((checks + 1))
if ! python3 - ../../docs/suite-reference.md suites/doc_examples.toml <<'PY'
import re, sys
doc, suite = open(sys.argv[1]).read(), open(sys.argv[2]).read()
section = doc.split("### Contracts: `schema` and `openapi`", 1)[1].split("\n### ", 1)[0]
blocks = re.findall(r"^```toml\n(.*?)^```", section, re.S | re.M)
missing = [b for b in blocks if b not in suite]
if len(blocks) < 2 or missing:
    sys.exit(f"{len(blocks)} toml blocks; not in doc_examples.toml: {missing}")
PY
then
  fail "docs/suite-reference.md's contract examples are not all in suites/doc_examples.toml"
fi
run_seam run suites/doc_examples.toml --plugin-path "$PLUGIN_DIR"
expect_rc 0

# The same contracts pass `seam check`.
run_seam check suites/contracts_pass.toml failing/contracts_fail.toml --plugin-path "$PLUGIN_DIR"
expect_rc 0
finish
