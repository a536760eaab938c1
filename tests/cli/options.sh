#!/usr/bin/env bash
# options.sh - the command line: --var, --tag, --filter, --fail-fast,
# --verbose, seam check, seam plugins list/info, --version, --help, usage
# errors (exit 2), missing files (exit 2), and colour only when wanted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

opts=$SUITES/options.toml

# --var overrides [vars], and variables built from it follow.
run_seam run --var greeting=bonjour --var host=cli.example --report "json:$WORK/vars.json" "$opts"
expect_rc 1 "beta fails"
json_assert "$WORK/vars.json" '
assert step("alpha uses variables", 0)["input"] == {"greeting": "bonjour", "url": "http://cli.example/api"}, step("alpha uses variables", 0)
'
run_seam run --report "json:$WORK/novars.json" "$opts"
json_assert "$WORK/novars.json" '
assert step("alpha uses variables", 0)["input"] == {"greeting": "hello", "url": "http://default.example/api"}
'
# A variable only --var defines: unknown without it (exit 2), fine with it.
run_seam check "$SUITES/needs_var.toml"
expect_rc 2
expect_in err "needs_var.toml:10:17: error: unknown variable 'who'"
run_seam check --var who=me "$SUITES/needs_var.toml"
expect_rc 0
run_seam run --var "who=a value = with equals" "$SUITES/needs_var.toml"
expect_rc 0 "--var splits at the first ="
expect_line out "1 passed, 0 failed, 0 skipped"

# --tag: tests with that tag (or in a suite with it); repeatable, any of them.
# --var on a variable the suite declares as a number or a boolean takes the
# value as that type (typed inputs accept it); a value that does not fit is
# refused before anything runs.
cat >"$WORK/typed.toml" <<'TOML'
[vars]
ms = 5
flag = true
[[test]]
name = "typed"
[[test.steps]]
use = "probe.sleep"
with = { ms = "${ms}" }
expect = { slept_ms = 7 }
[[test.steps]]
use = "probe.echo"
with = { flag = "${flag}" }
expect = { "input.flag" = false }
TOML
run_seam run --var ms=7 --var flag=false "$WORK/typed.toml"
expect_rc 0 "typed --var"
run_seam run --var ms=7.5 "$WORK/typed.toml"
expect_rc 2 "--var ms=7.5"
expect_in err "$WORK/typed.toml:2:1: error: --var ms=7.5: expected a whole number" "hint: the suite declares 'ms' as 5"
run_seam run --var flag=yes "$WORK/typed.toml"
expect_rc 2 "--var flag=yes"
expect_in err "error: --var flag=yes: expected true or false"

# --tag or --filter that select no test: an error, not a green run of nothing.
run_seam run --tag nope "$opts"
expect_rc 2 "--tag nope"
expect_in err "error: no test matches --tag nope" "hint: tags in these suites: logs, opts, slow, smoke"
run_seam run --filter '^zzz' "$opts"
expect_rc 2 "--filter ^zzz"
expect_in err "error: no test matches --filter '^zzz'"

run_seam run --tag smoke "$opts"
expect_rc 0 "the failing test is not tagged smoke"
expect_regex out '^  PASS  alpha uses variables \('
expect_regex out '^  PASS  gamma logs \('
expect_not_in out "beta" "delta"
expect_line out "2 passed, 0 failed, 0 skipped"
run_seam run --tag logs --tag slow "$opts"
expect_rc 1
expect_in out "gamma logs" "beta fails"
expect_not_in out "alpha" "delta"
run_seam run --tag opts "$opts"
expect_line out "3 passed, 1 failed, 0 skipped"

# --filter: a regular expression searched in test names.
run_seam run --filter '^(alpha|delta)' "$opts"
expect_rc 0
expect_in out "alpha uses variables" "delta untagged"
expect_not_in out "beta" "gamma"
expect_line out "2 passed, 0 failed, 0 skipped"
run_seam run --filter 'logs$' --tag smoke "$opts"
expect_line out "1 passed, 0 failed, 0 skipped"

# --fail-fast: later tests (also of later suites) are skipped; the failed
# test's cleanup and the suite's teardown still run.
run_seam run --fail-fast --verbose "$opts" "$SUITES/passing.toml"
expect_rc 1
expect_order out "FAIL beta step" "ok   cleanup: beta cleanup" "FAIL  beta fails" \
  "SKIP  gamma logs (not run: an earlier test failed (--fail-fast))" \
  "SKIP  delta untagged (not run: an earlier test failed (--fail-fast))" \
  "ok   teardown: options teardown" \
  "SKIP  echo returns its input (not run: an earlier test failed (--fail-fast))"
expect_line out "1 passed, 1 failed, 4 skipped"
run_seam run "$opts"
expect_line out "3 passed, 1 failed, 0 skipped"

# --verbose: every step with its time, and the plugin's log lines.
run_seam run --verbose "$opts"
expect_regex out '^      ok   echo the variables \[probe\.echo\] \([0-9]+ ms\)$'
expect_regex out '^      FAIL beta step \[probe\.fail\] \([0-9]+ ms\)$'
expect_line out "           log: gamma was here"
expect_regex out '^      ok   teardown: options teardown \[probe\.noop\]'
run_seam run "$opts"
expect_not_in out "gamma was here" "echo the variables" "teardown"

# seam check: validates, runs nothing (no plugin log, no counter), says OK.
run_seam check "$opts" "$SUITES/passing.toml"
expect_rc 0
expect_line out "2 files OK: 6 tests, 9 steps"
expect_not_in all "gamma was here" "PASS"
run_seam check "$SUITES"/passing.toml
expect_line out "1 file OK: 2 tests, 3 steps"

# seam plugins list / info.
run_seam plugins list
expect_rc 0
expect_regex out '^probe +1\.0\.0 +11 +steps +Test probe: no-op, echo, failure, sleep, counters, logs, secrets, a resource, parallelism$'
expect_regex out '/seam-probe\.so$'
run_seam plugins info probe
expect_rc 0
expect_regex out '^probe 1\.0\.0 - Test probe'
expect_regex out '^  ABI: +1\.[0-9]+$'
expect_line out 'resource: [resources.NAME] plugin = "probe"'
for s in noop echo fail sleep count log secret; do
  expect_line out "probe.$s"
done
expect_line out "probe.resource_tag (on a resource)"
expect_regex out '^    ms +integer +\(required\) how long to sleep, in milliseconds \[minimum 0\]$'
expect_regex out '^    message +string +the error message \[default "probe failure"\]$'
expect_regex out '^    key +string'
expect_regex out '^    slept_ms +integer'
expect_regex out '^    log +string +file to append'
expect_order out "probe.sleep" "Sleeps ms milliseconds" "inputs:" "ms " "outputs:" "slept_ms"
run_seam plugins info prob
expect_rc 2
expect_in err "error: unknown plugin 'prob'" "did you mean 'probe'?"
run_seam plugins info
expect_rc 2
run_seam plugins frobnicate
expect_rc 2
expect_in err "unknown command 'plugins frobnicate'"

# --version and --help.
run_seam --version
expect_rc 0
expect_regex out '^seam [0-9]+\.[0-9]+\.[0-9]+ \(plugin ABI [0-9]+\.[0-9]+\)$'
run_seam --help
expect_rc 0
expect_in out "seam run [OPTIONS] PATH..." "seam check" "seam plugins list" "seam plugins info NAME" \
  "--var" "--tag" "--filter" "--fail-fast" "--report" "--verbose" "--plugin-path" "Exit codes:"
run_seam run --help
expect_rc 0
expect_in out "--fail-fast"

# Usage errors: exit 2, a message and a hint on stderr, nothing on stdout.
usage_error() {
  local want=$1
  shift
  run_seam "$@"
  expect_rc 2 "seam $*"
  expect_in err "$want"
  [ -z "$out" ] || { fail "a usage error prints nothing on stdout"; show; }
}
usage_error "Usage:" # no arguments at all: the usage text, on stderr
usage_error "unknown command 'frobnicate'" frobnicate "$opts"
usage_error "unrecognised option '--bogus'" run --bogus "$opts"
usage_error "unrecognised option '--bogus'" check --bogus "$opts"
usage_error "the required argument for option '--tag' is missing" run "$opts" --tag
usage_error "seam run needs suite files or directories" run
usage_error "seam check needs suite files or directories" check
usage_error "bad --var 'novalue'" run --var novalue "$opts"
usage_error "bad --var '=x'" run --var =x "$opts"
usage_error "bad --report 'xml:$WORK/r.html'" run --report "xml:$WORK/r.html" "$opts"
usage_error "KIND one of junit, json, tap, html" run --report "xml:$WORK/r.html" "$opts"
usage_error "bad --report 'junit'" run --report junit "$opts"
usage_error "bad --report 'html:'" run --report html: "$opts"
usage_error "bad --filter regular expression '('" run --filter '(' "$opts"
usage_error "bad --color 'sometimes'" run --color sometimes "$opts"
usage_error "no such file or directory: $WORK/missing.toml" run "$WORK/missing.toml"
usage_error "no such file or directory: $WORK/missing.toml" check "$opts" "$WORK/missing.toml"
[ ! -e "$WORK/r.html" ] || fail "a rejected --report wrote a file"

# Colour: never on a pipe, never with NO_COLOR or --color never; escape codes
# only with --color always (or a terminal), and then every colour is reset.
for args in "run" "run --verbose" "check"; do
  # shellcheck disable=SC2086
  run_seam $args "$SUITES/mixed.toml"
  checks=$((checks + 1))
  if grep -q $'\x1b' "$WORK/stdout" "$WORK/stderr"; then fail "escape codes on a pipe (seam $args)"; show; fi
done
# --color always wins over NO_COLOR (an explicit flag over the environment).
NO_COLOR=1 run_seam run --color always "$SUITES/mixed.toml"
checks=$((checks + 1))
grep -q $'\x1b\\[' "$WORK/stdout" || fail "--color always gave no colour under NO_COLOR"
NO_COLOR=1 run_seam check "$SUITES/../malformed/unknown_step.toml"
checks=$((checks + 1))
grep -q $'\x1b' "$WORK/stderr" && fail "escape codes in diagnostics with NO_COLOR"
if command -v script >/dev/null; then
  # A real terminal: colour by default, none with NO_COLOR or TERM=dumb.
  # shellcheck disable=SC2016
  TERM=xterm script -qec "\"$SEAM\" run \"$SUITES/mixed.toml\"" /dev/null >"$WORK/tty.out" </dev/null || true
  checks=$((checks + 1))
  grep -q $'\x1b\[' "$WORK/tty.out" || fail "no colour on a terminal"
  TERM=xterm NO_COLOR=1 script -qec "\"$SEAM\" run \"$SUITES/mixed.toml\"" /dev/null >"$WORK/tty.out" </dev/null || true
  checks=$((checks + 1))
  if grep -q $'\x1b' "$WORK/tty.out"; then fail "NO_COLOR=1 on a terminal still colours"; sed 's/^/    | /' "$WORK/tty.out" | cat -v >&2; fi
  grep -q "2 passed, 2 failed, 1 skipped" "$WORK/tty.out" || fail "the run on a terminal did not complete"
  TERM=dumb script -qec "\"$SEAM\" run \"$SUITES/mixed.toml\"" /dev/null >"$WORK/tty.out" </dev/null || true
  checks=$((checks + 1))
  grep -q $'\x1b' "$WORK/tty.out" && fail "TERM=dumb on a terminal still colours"
fi
run_seam run --color always "$SUITES/mixed.toml"
checks=$((checks + 1))
grep -q $'\x1b\[' "$WORK/stdout" || fail "--color always shows no colour"
# Every line that switches a colour on switches it off again, so the
# terminal is left as it was.
checks=$((checks + 1))
if grep $'\x1b\[[0-9;]*[1-9][0-9;]*m' "$WORK/stdout" | grep -vq $'\x1b\[0m'; then
  fail "--color always: lines that set a colour and never reset it (\\e[0m):"
  grep $'\x1b\[[0-9;]*[1-9][0-9;]*m' "$WORK/stdout" | grep -v $'\x1b\[0m' | cat -v | sed 's/^/    | /' >&2
fi
run_seam check --color always "$SUITES/../malformed/unknown_step.toml"
checks=$((checks + 1))
grep -q $'\x1b\[0m' "$WORK/stderr" || fail "--color always: diagnostics are not coloured"
finish
