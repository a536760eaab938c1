#!/usr/bin/env bash
# install.sh - `cmake --install` puts the manual and the example suites
# where `seam --help` says they are (PREFIX/share/doc/seam,
# PREFIX/share/seam/suites), and an installed seam runs an installed suite
# with its installed plugins. Needs SEAM (the build's binary) and
# SEAM_BUILD_DIR; SEAM_SOURCE_DIR is the tree the docs and suites come from.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${SEAM_BUILD_DIR:?}" "${SEAM_SOURCE_DIR:?}"

prefix=$WORK/prefix
if ! cmake --install "$SEAM_BUILD_DIR" --prefix "$prefix" >"$WORK/install.log" 2>&1; then
  fail "cmake --install failed"
  sed 's/^/    | /' "$WORK/install.log" >&2
  exit 1
fi

# Every page of docs/ and every suite of suites/, byte for byte.
for pair in "docs:share/doc/seam" "suites:share/seam/suites"; do
  from=$SEAM_SOURCE_DIR/${pair%%:*}
  to=$prefix/${pair#*:}
  checks=$((checks + 1))
  if ! diff -r "$from" "$to" >"$WORK/diff" 2>&1; then
    fail "$to differs from $from"
    sed 's/^/    | /' "$WORK/diff" >&2
  fi
done
for f in share/doc/seam/cli.md share/doc/seam/suite-reference.md \
  share/doc/seam/plugin-authoring.md share/doc/seam/plugins/stripe.md \
  share/seam/suites/stripe_payments.toml bin/seam lib/seam/plugins/seam-stripe.so \
  lib/seam/seam-pack; do
  checks=$((checks + 1))
  [ -s "$prefix/$f" ] || fail "not installed: $f"
done

# The installed seam's help names the installed directories ...
SEAM=$prefix/bin/seam run_seam --help
expect_rc 0
expect_line out "Documentation: $prefix/share/doc/seam (suite-reference.md, cli.md, plugin-authoring.md, plugins/)."
expect_line out "Example suites: $prefix/share/seam/suites (seam run $prefix/share/seam/suites/stripe_payments.toml needs no server)."
# ... the build tree's (no share/ beside it) its source tree.
run_seam --help
expect_rc 0
expect_in out "Documentation: docs/ of seam's source tree"

# The installed seam runs its pack commands in the installed pack helper.
XDG_CONFIG_HOME=$WORK/config SEAM=$prefix/bin/seam run_seam trust list
expect_rc 0
expect_line out "no trusted keys in $WORK/config/seam/trusted-keys"

# ... and the suite it names runs from there, with the installed plugins
# only, from another directory.
unset SEAM_PLUGIN_PATH
cd "$WORK"
SEAM=$prefix/bin/seam run_seam run "$prefix/share/seam/suites/stripe_payments.toml" \
  --report "json:$WORK/report.json"
expect_rc 0
expect_in out "0 failed"
checks=$((checks + 1))
"${PYTHON3:-python3}" - "$WORK/report.json" <<'PY' || fail "the report shows no passing tests"
import json, sys
r = json.load(open(sys.argv[1]))
tests = [t for s in r["suites"] for t in s["tests"]]
assert tests and all(t["status"] == "passed" for t in tests), tests
PY
finish
