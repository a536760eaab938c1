# shellcheck shell=bash
# checks.sh - the checks every shell test shares (sourced by each test
# directory's lib.sh). Every check records a failure and goes on, so that one
# run shows all that is wrong; a failing check calls the sourcing lib's `show`,
# which prints the command, its exit code and its output, so that a red CI job
# explains itself without a rerun. `finish` fails a test that checked nothing.
# The lib.sh that sources this defines run_seam (or its own runner) setting
# $rc and $out, and show.

failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_rc CODE [NOTE]: the last command exited with CODE.
expect_rc() {
  checks=$((checks + 1))
  if [ "$rc" -ne "$1" ]; then
    fail "expected exit code $1, got $rc${2:+ ($2)}"
    show
  fi
}

# expect_out TEXT...: each TEXT appears verbatim in $out.
expect_out() {
  local text
  for text in "$@"; do
    checks=$((checks + 1))
    if [[ "$out" != *"$text"* ]]; then
      fail "output lacks \"$text\""
      show
    fi
  done
}

# expect_not_out TEXT...: no TEXT appears in $out.
expect_not_out() {
  local text
  for text in "$@"; do
    checks=$((checks + 1))
    if [[ "$out" == *"$text"* ]]; then
      fail "output shows \"$text\""
      show
    fi
  done
}

# expect_out_re REGEX [NOTE]: $out matches the extended REGEX.
expect_out_re() {
  checks=$((checks + 1))
  if ! grep -Eq -- "$1" <<<"$out"; then
    fail "output does not match /$1/${2:+ ($2)}"
    show
  fi
}

# expect_absent TEXT FILE...: TEXT (a secret) is in none of the files; a
# file that does not exist holds nothing. -q, so that a missing file does not
# hide a match in another (grep exits 2 then, unless -q).
expect_absent() {
  local text=$1
  shift
  checks=$((checks + 1))
  if grep -qsF -- "$text" "$@"; then
    fail "a secret shows in $(grep -lsF -- "$text" "$@" | tr '\n' ' ')"
  fi
}

# wait_until SECONDS COMMAND...: true once COMMAND succeeds, false at the deadline.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# finish: the test's verdict, as the last command of the script.
finish() {
  if [ "$checks" -eq 0 ]; then
    echo "FAIL: no check ran" >&2
    exit 1
  fi
  echo "$((checks - failures)) of $checks checks passed"
  [ "$failures" -eq 0 ]
}
