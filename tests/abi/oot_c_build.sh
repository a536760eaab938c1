#!/usr/bin/env bash
# oot_c_build.sh - a C plugin needs no nlohmann_json: install seam, build
# tests/plugins/oot_c against the installed package with nlohmann_json hidden
# from CMake (find_package(Seam) + seam_add_plugin, C sources only), and run
# it with the installed seam. Needs SEAM_BUILD_DIR and SEAM_OOT_C_SOURCE_DIR.
set -u
. "$(dirname "$0")/lib.sh"
suites=$(cd "$(dirname "$0")" && pwd)/suites
prefix=$WORK/prefix
build=$WORK/oot_c

step() {
  local log=$WORK/step.log
  if ! "$@" >"$log" 2>&1; then
    echo "FAIL: $*" >&2
    sed 's/^/    | /' "$log" >&2
    exit 1
  fi
}

step cmake --install "$SEAM_BUILD_DIR" --prefix "$prefix"
step env -u CFLAGS -u LDFLAGS cmake -S "$SEAM_OOT_C_SOURCE_DIR" -B "$build" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON
step cmake --build "$build"

# nlohmann_json was hidden (an SDK that required it would have failed to
# configure above), and nothing of it reached the plugin's compile flags.
grep -q '^CMAKE_DISABLE_FIND_PACKAGE_nlohmann_json:[A-Z]*=ON' "$build/CMakeCache.txt" ||
  fail "nlohmann_json was not hidden from the oot C build"
grep -rq nlohmann "$build/CMakeFiles/seam-ootc.dir/flags.make" &&
  fail "the C plugin's compile flags mention nlohmann"

so=$build/seam-ootc.so
[ -f "$so" ] || { echo "FAIL: the oot C build made no $so" >&2; ls -l "$build" >&2; exit 1; }

SEAM=$prefix/bin/seam
run_seam run --plugin-path "$build" "$suites/oot_c_add.toml"
expect_rc 0
expect_out "1 passed, 0 failed"
finish
