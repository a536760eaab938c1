#!/usr/bin/env bash
# secrets.sh - secret values (vars with secret = true from a value, an
# environment variable, a default or --var; values a plugin registers with
# add_secret) never appear on stdout, stderr, in the JUnit, JSON, TAP or
# HTML report, in plain or verbose mode; "***" stands in their place.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

secrets=(pw-Value-7f3a9c tok-Env-5e11 fallback-Secret-41d2 cli-Secret-9b8a 987654321 plugin-Secret-c0ffee
  schema-Secret-5a5a schema-Var-77aa 'q"uo\te-Secret-3c3c' 'q\"uo\\te-Secret-3c3c' 'uo\te-Secret')
unset SEAM_CLI_UNSET_SECRET SEAM_CLI_UNSET_NUMBER

# no_leak FILE... : none of the secrets is in the files, and *** is.
no_leak() {
  local f s n
  for f in "$@"; do
    for s in "${secrets[@]}"; do
      checks=$((checks + 1))
      n=$(grep -cF -- "$s" "$f" || true)
      if [ "$n" != 0 ]; then
        fail "secret $s appears $n time(s) in $(basename "$f"):"
        grep -nF -- "$s" "$f" | sed 's/^/    | /' >&2
      fi
    done
    checks=$((checks + 1))
    grep -qF '***' "$f" || fail "$(basename "$f") shows no *** (were the secrets used at all?)"
  done
}

for mode in plain verbose; do
  args=(run --var overridden=cli-Secret-9b8a --report "junit:$WORK/$mode.xml" --report "json:$WORK/$mode.json"
    --report "tap:$WORK/$mode.tap" --report "html:$WORK/$mode.html")
  [ "$mode" = verbose ] && args+=(--verbose)
  SEAM_CLI_TOKEN=tok-Env-5e11 run_seam "${args[@]}" "$SUITES/secrets.toml"
  expect_rc 1
  cp "$WORK/stdout" "$WORK/$mode.stdout"
  cp "$WORK/stderr" "$WORK/$mode.stderr"
  no_leak "$WORK/$mode.stdout" "$WORK/$mode.xml" "$WORK/$mode.json" "$WORK/$mode.tap" "$WORK/$mode.html"
  for s in "${secrets[@]}"; do
    checks=$((checks + 1))
    if grep -qF -- "$s" "$WORK/$mode.stderr"; then fail "secret $s on stderr"; fi
  done
  expect_line out '        input.password: expected "guess", got "***"'
  expect_line out '        auth failed for token *** (***)'
  expect_line out '        rejected ***'
  expect_line out "        invalid input after interpolation: 'ms' must be an integer, not a string (\"***\")"
  expect_line out '        input.q: expected "nope", got "***"'
  expect_line out "1 passed, 7 failed, 0 skipped"
done
expect_in out "log: connecting with token *** and ***" "log: plugin secret: ***"

# The values did reach the plugin: the masked outputs have their shape.
json_assert "$WORK/verbose.json" '
s = step("secret vars in inputs and outputs", 0)
assert s["status"] == "passed", s
i = s["input"]
assert i["password"] == "***" and i["token"] == "***" and i["fallback"] == "***", i
assert i["overridden"] == "***" and i["pin"] == "***", i
assert i["url"] == "postgres://app:***@127.0.0.1:5432/db", i["url"]
assert s["output"]["input"] == i, s["output"]
p = test("plugin-registered secret")["steps"]
assert p[0]["output"] == {"value": "***"}, p[0]
assert p[1]["input"] == {"again": "***", "text": "the secret is ***!"}, p[1]
assert p[2]["logs"][0]["message"] == "plugin secret: ***", p[2]
assert p[3]["error"] == "rejected ***", p[3]
assert test("secret in a plugin error")["message"].endswith("auth failed for token *** (***)")
'

# A secret from the environment that is not set, with no default: the run
# stops before anything runs (exit 2), naming the variable, not a value.
run_seam run "$SUITES/secrets.toml"
expect_rc 2
expect_in err "environment variable SEAM_CLI_TOKEN is not set (variable 'token')"
expect_regex err "secrets.toml:10:1: error: "
[ -z "$out" ] || { fail "nothing should run when a secret is missing"; show; }
finish
