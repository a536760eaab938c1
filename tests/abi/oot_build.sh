#!/usr/bin/env bash
# oot_build.sh - the out-of-tree proof: install seam, build tests/plugins/oot
# against the installed package only (find_package(Seam) + seam_add_plugin),
# with clang and libc++ while seam itself uses libstdc++, and run it with the
# installed seam. Needs SEAM_BUILD_DIR and SEAM_OOT_SOURCE_DIR; SEAM is the
# build's binary (only checked to exist: the installed copy is the one run).
set -u
. "$(dirname "$0")/lib.sh"
suites=$(cd "$(dirname "$0")" && pwd)/suites
prefix=$WORK/prefix
build=$WORK/oot

step() {
  local log=$WORK/step.log
  if ! "$@" >"$log" 2>&1; then
    echo "FAIL: $*" >&2
    sed 's/^/    | /' "$log" >&2
    exit 1
  fi
}

step cmake --install "$SEAM_BUILD_DIR" --prefix "$prefix"
[ -x "$prefix/bin/seam" ] || { echo "FAIL: no bin/seam in the installed prefix" >&2; exit 1; }
[ -f "$prefix/lib/cmake/Seam/SeamConfig.cmake" ] ||
  { echo "FAIL: no lib/cmake/Seam/SeamConfig.cmake in the installed prefix" >&2; exit 1; }

step env -u CXXFLAGS -u LDFLAGS CXX=clang++ cmake -S "$SEAM_OOT_SOURCE_DIR" -B "$build" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-stdlib=libc++ -DCMAKE_PREFIX_PATH="$prefix"
step cmake --build "$build"

so=$build/seam-oot.so
[ -f "$so" ] || { echo "FAIL: the oot build made no $so" >&2; ls -l "$build" >&2; exit 1; }

# The plugin's C++ runtime is its own business: it must link libc++, and no
# libstdc++ may come in through the back door.
needed=$(readelf -d "$so" | grep NEEDED)
[[ "$needed" == *"libc++.so"* ]] || fail "$so does not link libc++: $needed"
closure=$(ldd "$so")
[[ "$closure" != *"libstdc++"* ]] || fail "$so pulls in libstdc++: $closure"

# The C++ runtime's own templates must not leak out as exports either.
bash "$(dirname "$0")/exports.sh" "$build" || fail "seam-oot.so exports more than its entry symbol"

SEAM=$prefix/bin/seam
run_seam run --plugin-path "$build" "$suites/oot_add.toml"
expect_rc 0

run_seam run --plugin-path "$build" "$suites/oot_add_wrong.toml"
expect_rc 1

last_cmd="SEAM_PLUGIN_PATH=$build seam plugins info oot"
out=$(SEAM_PLUGIN_PATH=$build "$SEAM" plugins info oot 2>&1)
rc=$?
expect_rc 0
expect_out "add" "Adds two numbers" "ctx"
finish
