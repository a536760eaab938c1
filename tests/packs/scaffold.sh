#!/usr/bin/env bash
# scaffold.sh LANG - `seam new plugin` with --lang LANG (cpp or c), against a
# fresh installation of seam: the project it writes configures, builds,
# passes its own tests (the unit test and its suite through seam) and makes
# its pack out of the box; the pack installs and its example suite runs.
# Bad names and directories are refused. Needs SEAM_BUILD_DIR.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lang=${1:?usage: scaffold.sh cpp|c}
install_seam
export PATH=$PREFIX/bin:$PATH
proj=$WORK/widget

run_seam new plugin widget --lang "$lang" "$proj"
expect_rc 0
expect_in out "wrote a" "plugin 'widget' in $proj"
for f in CMakeLists.txt seam-pack.toml README.md suites/widget.toml tests/plugin_test.cpp \
  .github/workflows/ci.yml; do
  [ -f "$proj/$f" ] || fail "seam new plugin wrote no $f"
done
grep -q '@NAME@' -r "$proj" && fail "a placeholder was left in the project"

# step NAME COMMAND...: runs a build step in the project, failing the test
# with its output when it fails.
step() {
  local what=$1
  shift
  if ! (cd "$proj" && "$@") >"$WORK/step.log" 2>&1; then
    fail "$what failed: $*"
    sed 's/^/    | /' "$WORK/step.log" >&2
    finish
  fi
}
step configure cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX"
step build cmake --build build
step test ctest --test-dir build --output-on-failure
grep -q "widget.unit" "$WORK/step.log" && grep -q "widget.suites" "$WORK/step.log" ||
  fail "ctest ran neither the unit test nor the suites: $(cat "$WORK/step.log")"
pack=$proj/build/packs/widget-1.0.0.seampack
[ -f "$pack" ] || fail "the build made no $pack"

run_seam plugins install "$pack" --allow-unsigned
expect_rc 0
expect_in out "installed widget 1.0.0"
run_seam plugins list
expect_rc 0
expect_regex out '^widget +1\.0\.0 +2 +steps +widget: greets, and counts on a resource$'
run_seam run "$PACKS/widget/suites/widget.toml"
expect_rc 0
expect_in out "2 passed"

# `cmake --install` beside seam's own plugins works, but never over one of
# them: seam's install lists its plugins in .bundled (here, as if widget were
# one of them).
if [ "$lang" = cpp ]; then
  bundled=$PREFIX/lib/seam/plugins/.bundled
  grep -qx http "$bundled" || fail "$bundled does not list http: $(cat "$bundled" 2>&1)"
  cp "$bundled" "$WORK/bundled.orig"
  echo widget >>"$bundled"
  if (cd "$proj" && cmake --install build --prefix "$PREFIX") >"$WORK/install.log" 2>&1; then
    fail "cmake --install replaced a plugin that comes with seam"
  fi
  grep -q "seam-widget.so would replace the plugin 'widget' that comes with seam" "$WORK/install.log" ||
    fail "cmake --install did not say why: $(cat "$WORK/install.log")"
  [ ! -e "$PREFIX/lib/seam/plugins/seam-widget.so" ] || fail "seam-widget.so was installed anyway"
  cp "$WORK/bundled.orig" "$bundled"
  step install cmake --install build --prefix "$PREFIX"
  [ -f "$PREFIX/lib/seam/plugins/seam-widget.toml" ] || fail "no manifest installed beside seam-widget.so"
  rm "$PREFIX/lib/seam/plugins/seam-widget.so" "$PREFIX/lib/seam/plugins/seam-widget.toml"
fi

# The CI recipe is a workflow that builds, tests and packs.
ci=$(cat "$proj/.github/workflows/ci.yml")
for text in "cmake --build build" "ctest --test-dir build" "build/packs/*.seampack"; do
  [[ "$ci" == *"$text"* ]] || fail "ci.yml lacks \"$text\""
done
if python3 -c 'import yaml' 2>/dev/null; then
  python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$proj/.github/workflows/ci.yml" ||
    fail "ci.yml is not YAML"
fi

# Refusals: a bad name, a non-empty directory, an unknown language.
run_seam new plugin Widget "$WORK/other"
expect_rc 2
expect_in err "'Widget' is not a plugin name"
run_seam new plugin widget "$proj"
expect_rc 2
expect_in err "$proj exists and is not empty"
run_seam new plugin widget --lang rust "$WORK/other"
expect_rc 2
expect_in err "--lang must be cpp or c, not 'rust'"
[ ! -e "$WORK/other" ] || fail "a refused seam new wrote $WORK/other"
finish
