# shellcheck shell=bash
# Helpers of the worker tests, on top of tests/cli/lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
: "${CRASH_PLUGIN_DIR:?CRASH_PLUGIN_DIR must name the directory of seam-crash.so}"

# three_tests NAME STEP... : $WORK/NAME.toml, a suite of three tests; the
# second prints a line and then runs the given step lines (TOML) as "the
# step"; the first and third print a line and pass.
three_tests() {
  local name=$1
  shift
  {
    printf '[suite]\nname = "%s"\n\n' "$name"
    printf '[[test]]\nname = "one"\n[[test.steps]]\nuse = "crash.print"\nwith = { out = "one ran" }\n\n'
    printf '[[test]]\nname = "two"\n[[test.steps]]\nuse = "crash.print"\n'
    printf 'with = { out = "two starts", err = "two warns" }\n'
    printf '[[test.steps]]\nname = "the step"\n'
    printf '%s\n' "$@"
    printf '\n[[test]]\nname = "three"\n[[test.steps]]\nuse = "crash.print"\nwith = { out = "three ran" }\n'
  } >"$WORK/$name.toml"
}

# reports NAME : the --report options for NAME.xml and NAME.json in $WORK.
reports() { echo --report "junit:$WORK/$1.xml" --report "json:$WORK/$1.json"; }

# junit_is NAME XPATH VALUE : the XPath expression (string() of it) on NAME.xml.
junit_is() {
  checks=$((checks + 1))
  local got
  got=$("${XMLLINT:-xmllint}" --xpath "$2" "$WORK/$1.xml" 2>&1) || got="(xmllint: $got)"
  [ "$got" = "$3" ] || fail "$1.xml: $2 is '$got', expected '$3'"
}

# no_strays : no process is left that was started on a suite of this test
# (a worker is a fork of seam: its command line names the suite files).
no_strays() {
  checks=$((checks + 1))
  local left
  left=$(pgrep -af -- "$WORK/" || true)
  [ -z "$left" ] || fail "processes left behind: $left"
}
