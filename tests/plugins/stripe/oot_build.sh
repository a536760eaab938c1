#!/usr/bin/env bash
# oot_build.sh SEAM_BUILD_DIR PACK_SOURCE_DIR SUITE: builds the stripe pack
# as a vendor would: installs seam, configures plugins/stripe alone against
# that installation (find_package(Seam) with CMAKE_PREFIX_PATH), builds it,
# and runs SUITE with the installed seam loading the pack by --plugin-path.
set -u
build_dir=${1:?seam build directory}
source_dir=${2:?plugins/stripe}
suite=${3:?suite}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-stripe-oot.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
prefix=$WORK/prefix
build=$WORK/build

step() {
  if ! "$@" >"$WORK/step.log" 2>&1; then
    echo "FAIL: $*" >&2
    sed 's/^/    | /' "$WORK/step.log" >&2
    exit 1
  fi
}

step cmake --install "$build_dir" --prefix "$prefix"
# The installation carries the bundled copy of the pack; the vendor's build
# must be the one that runs, and seam refuses a plugin name found twice.
rm -f "$prefix/lib/seam/plugins/seam-stripe.so"
# In batches (CMake's unity build), as seam's own build compiles it: a third
# of the time file by file.
step cmake -S "$source_dir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_UNITY_BUILD=ON
step cmake --build "$build" --target seam-stripe
so=$(find "$build" -name seam-stripe.so | head -1)
[ -n "$so" ] || { echo "FAIL: the standalone build made no seam-stripe.so" >&2; exit 1; }
# It was built against the installed headers, not the source tree's.
if ! grep -q "$prefix/include" "$build/CMakeFiles/seam_stripe_impl.dir/flags.make"; then
  echo "FAIL: the standalone build does not use the installed SDK" >&2
  exit 1
fi
exports=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^$')
if [ "$exports" != "seam_plugin_entry_v1" ]; then
  echo "FAIL: seam-stripe.so exports more than its entry symbol: $exports" >&2
  exit 1
fi
OOT=$WORK
set -- "$prefix/bin/seam" "$(dirname "$so")"
source "$(dirname "$0")/lib.sh" "$@"
trap 'rm -rf "$WORK" "$OOT"' EXIT
require_kinds
run_seam run "$suite" --report "json:$WORK/report.json"
expect_rc 0
expect_all_passed "$suite" "$WORK/report.json"
run_seam plugins info stripe
expect_rc 0
expect_out "payment_intents.create"
expect_out "webhooks"
finish
