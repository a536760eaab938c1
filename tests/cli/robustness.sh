#!/usr/bin/env bash
# robustness.sh - files that are no suite, or not even text, and odd paths:
# a clear error with a location, exit code 2, no crash, no hang, no raw
# control bytes thrown at the terminal; nothing is run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# refused FILE MESSAGE : check and run both exit 2 with "FILE:...: error: MESSAGE...".
refused() {
  local file=$1 msg=$2 cmd
  for cmd in check run; do
    run_seam "$cmd" "$file"
    expect_rc 2 "seam $cmd $(basename "$file")"
    expect_in err "$msg"
    checks=$((checks + 1))
    [ -z "$out" ] || { fail "seam $cmd $(basename "$file") printed results"; show; }
    checks=$((checks + 1))
    # Nothing but tab and newline below 0x20, no ESC: the terminal is safe.
    if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$WORK/stderr"; then
      fail "raw control bytes in the diagnostics of $(basename "$file")"
      show
    fi
  done
}

# Empty, comments only, setup only: a suite file without tests is a mistake.
: >"$WORK/empty.toml"
refused "$WORK/empty.toml" "$WORK/empty.toml:1:1: error: the suite file has no tests"
printf '# nothing here yet\n\n' >"$WORK/comments.toml"
refused "$WORK/comments.toml" "$WORK/comments.toml:1:1: error: the suite file has no tests"
printf '[suite]\nname = "setup only"\n[[setup]]\nuse = "probe.noop"\n' >"$WORK/setup_only.toml"
refused "$WORK/setup_only.toml" "$WORK/setup_only.toml:1:1: error: the suite file has no tests"
# [test] for [[test]]: a table, not an array of tables.
printf '[test]\nname = "t"\n' >"$WORK/single_test.toml"
refused "$WORK/single_test.toml" "$WORK/single_test.toml:1:1: error: 'test' must be an array of tables ([[test]])"

# Not text at all: the seam binary itself, invalid UTF-8, a NUL byte.
head -c 4096 "$SEAM" >"$WORK/binary.toml"
refused "$WORK/binary.toml" "error: invalid TOML: "
printf '\xff\xfe[suite]\n' >"$WORK/latin.toml"
refused "$WORK/latin.toml" "$WORK/latin.toml:1:1: error: invalid TOML: Encountered invalid utf-8 sequence"
printf '[[test]]\nname = "t"\x00\n[[test.steps]]\nuse = "probe.noop"\n' >"$WORK/nul.toml"
refused "$WORK/nul.toml" "$WORK/nul.toml:2:11: error: invalid TOML: "

# Table headers without a name break a precondition of TOML++'s key parser
# (found by fuzzing): refused with a location before TOML++ sees them.
printf '[[test]]\nname = "t"\n\n[ = false\n' >"$WORK/noname.toml"
refused "$WORK/noname.toml" "$WORK/noname.toml:4:3: error: a table header needs a name after its '['"
printf 'x = [\n  [1, 2],\n]\n[[[a]]]\n' >"$WORK/triple.toml"
refused "$WORK/triple.toml" "$WORK/triple.toml:4:3: error: a table header needs a name after its '['"

# An array element that starts with '}' breaks an assertion of TOML++'s
# array parser (found by fuzzing; the sanitizer build keeps assertions): a
# parse error at the brace, in every build.
printf '[[test]]\nname = "t"\n[[test.steps]]\nuse = "probe.echo"\nwith = { list = ["x", }y]" " }\n' >"$WORK/brace_in_array.toml"
refused "$WORK/brace_in_array.toml" \
  "$WORK/brace_in_array.toml:5:23: error: invalid TOML: Error while parsing value: could not determine value type"

# Outside strings TOML allows ASCII only: refused at the character. Inside
# strings and quoted keys any text is fine, also after a line-ending backslash.
printf '[vars]\ncaf\xc3\xa9 = 1\n' >"$WORK/bare_utf8.toml"
refused "$WORK/bare_utf8.toml" "$WORK/bare_utf8.toml:2:4: error: 'é' outside a string: TOML allows only ASCII there"
printf '[vars]\n"pr\xc3\xa9nom" = "x"\ns = """a \\\n  \xc2\xa7b"""\n[[test]]\nname = "t"\n[[test.steps]]\nuse = "probe.echo"\nwith = { v = "${s}", "caf\xc3\xa9" = 1 }\nexpect = { "input.v" = "a \xc2\xa7b", "input.caf\xc3\xa9" = 1 }\n' >"$WORK/utf8_ok.toml"
run_seam run "$WORK/utf8_ok.toml"
expect_rc 0 "non-ASCII text in strings and quoted keys"

# Nesting that would exhaust the stack of a recursive parser.
"${PYTHON3:-python3}" -c "print('x = ' + '[' * 20000 + ']' * 20000)" >"$WORK/deep.toml"
refused "$WORK/deep.toml" "exceeded maximum nested value depth"
"${PYTHON3:-python3}" -c "
print('[[test]]\nname = \"t\"\n[[test.steps]]\nuse = \"probe.echo\"')
print('with = { a = ' + '{ b = ' * 5000 + '1' + ' }' * 5000 + ' }')" >"$WORK/deep_with.toml"
refused "$WORK/deep_with.toml" "exceeded maximum nested value depth"

# Dotted keys nest a table per dot, past TOML++'s own nesting limit.
for where in vars with; do
  "${PYTHON3:-python3}" - "$where" >"$WORK/dotted.toml" <<'PY'
import sys
key = "x" + ".a" * 20000
if sys.argv[1] == "vars":
    print("[vars]\n" + key + " = 1")
print('[[test]]\nname = "t"\n[[test.steps]]\nuse = "probe.echo"')
if sys.argv[1] == "with":
    print("with." + key + " = 1")
PY
  refused "$WORK/dotted.toml" "error: key nested more than 100 levels deep"
done

# 50,000 variables, each defined through the next.
"${PYTHON3:-python3}" - >"$WORK/chain.toml" <<'PY'
print("[vars]")
print('v0 = "x"')
for i in range(1, 50000):
    print('v%d = "${v%d}"' % (i, i - 1))
print('[[test]]\nname = "t"\n[[test.steps]]\nuse = "probe.echo"\nwith = { a = "${v49999}" }')
PY
refused "$WORK/chain.toml" "error: variables refer to each other through more than 1000 levels"

# Patterns that make a backtracking engine hang or overflow its stack: the
# run ends at once with the right verdicts.
"${PYTHON3:-python3}" - >"$WORK/regex.toml" <<'PY'
print('[[test]]\nname = "exponential backtracking"\ntimeout = "5s"')
print('[[test.steps]]\nuse = "probe.echo"\nwith = { a = "' + "a" * 40 + 'b" }')
print("expect = { \"input.a\" = { matches = '^(a+)+$' } }")
print('[[test]]\nname = "a long value"')
print('[[test.steps]]\nuse = "probe.echo"\nwith = { a = "' + "ab" * 100000 + '" }')
print("expect = { \"input.a\" = { matches = '^(a|b)*$' } }")
PY
run_seam run "$WORK/regex.toml"
expect_rc 1
expect_regex out '^  FAIL  exponential backtracking \([0-9]+ ms\)$'
expect_regex out '^  PASS  a long value \([0-9]+ ms\)$'
checks=$((checks + 1))
[ "$elapsed_ms" -lt 5000 ] || { fail "the regex run took $elapsed_ms ms"; show; }

# A 100,000-character line: the quoted line is cut around the caret.
"${PYTHON3:-python3}" -c "
print('[[test]]\nname = \"t\"\n[[test.steps]]\nuse = \"probe.echo\"')
print('with = { a = \"' + 'x' * 100000 + '\" } oops')" >"$WORK/long.toml"
refused "$WORK/long.toml" "$WORK/long.toml:5:100019: error: invalid TOML: "
checks=$((checks + 1))
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' "$WORK/stderr")
[ "$longest" -le 300 ] || { fail "a diagnostic line of $longest characters"; show; }
expect_in err "...xxxx"

# Absurd durations are refused, not wrapped around.
for d in 99999999999999h 1e400s -5s; do
  printf '[[test]]\nname = "t"\ntimeout = "%s"\n[[test.steps]]\nuse = "probe.noop"\n' "$d" >"$WORK/dur.toml"
  refused "$WORK/dur.toml" "$WORK/dur.toml:3:11: error: bad duration '$d' for 'timeout' in a test"
done

# Directories: empty, or holding no suite; a bad file among good ones stops
# the whole run before anything runs.
mkdir -p "$WORK/emptydir" "$WORK/txtonly" "$WORK/mixed/sub"
echo "not a suite" >"$WORK/txtonly/readme.txt"
for d in emptydir txtonly; do
  run_seam run "$WORK/$d"
  expect_rc 2 "$d"
  expect_in err "no suite files (*.toml) in directory $WORK/$d"
done
cp "$SUITES/passing.toml" "$WORK/mixed/a.toml"
cp "$CLI_DIR/malformed/unknown_step.toml" "$WORK/mixed/sub/b.toml"
run_seam run "$WORK/mixed"
expect_rc 2 "directory with a malformed suite"
expect_in err "$WORK/mixed/sub/b.toml:6:14: error: unknown step 'probe.ech'"
checks=$((checks + 1))
[ -z "$out" ] || { fail "a run with a malformed suite ran the good one"; show; }

# A file named twice, directly and through its directory, runs once.
run_seam run "$WORK/mixed/a.toml" "$WORK/mixed/../mixed/a.toml"
expect_rc 0
expect_in out "2 tests in 1 suite"

# A directory named like a suite is searched, /dev/null is an empty file.
mkdir -p "$WORK/dir.toml"
cp "$SUITES/passing.toml" "$WORK/dir.toml/inner.toml"
run_seam run "$WORK/dir.toml"
expect_rc 0
expect_in out "2 tests in 1 suite"
run_seam check /dev/null
expect_rc 2
expect_in err "/dev/null:1:1: error: the suite file has no tests"
# A 50 MB name: the message names it shortened, with "...", in a few hundred
# bytes, not 100 MB; the source line is shown cut around the caret.
"${PYTHON3:-python3}" - "$WORK/bigname.toml" <<'PY'
import sys
name = "n" * 50_000_000
with open(sys.argv[1], "w") as f:
    f.write('[suite]\nname = "big"\n[[test]]\nname = "t"\n[[test.steps]]\n'
            'use = "probe.echo"\nwith = { value = "${' + name + '}" }\n')
PY
for cmd in check run; do
  run_seam $cmd "$WORK/bigname.toml"
  expect_rc 2 "50 MB name ($cmd)"
  expect_regex err "bigname.toml:7:19: error: unknown variable 'n{100,200}\.\.\.n{1,20}'$"
  checks=$((checks + 1))
  [ "${#err}" -lt 2000 ] || fail "the error about a 50 MB name is ${#err} bytes"
done
rm -f "$WORK/bigname.toml"

# A NUL in a name is shown escaped, and the message goes on after it.
printf '[suite]\nname = "nul"\n[[test]]\nname = "t"\n[[test.steps]]\nuse = "probe.echo"\nwith = { value = "${env.A\\u0000B}" }\n' >"$WORK/nul.toml"
run_seam run "$WORK/nul.toml"
expect_rc 2 "NUL in an environment variable's name"
expect_in err 'environment variable A\x00B is not set'
finish
