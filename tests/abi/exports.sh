#!/usr/bin/env bash
# exports.sh DIR... - every seam-*.so in the plugin directories exports exactly
# one symbol, seam_plugin_entry_v1. Anything else a plugin exports (a C++
# template instantiation, a static library's functions) can interpose on the
# same symbol of another plugin or of seam itself, and would silently become
# part of the ABI.
# SEAM_REQUIRED_PLUGINS lists names that must be among them (e.g. "probe throwing").
set -u
status=0
count=0
for dir in "$@"; do
  for so in "$dir"/seam-*.so; do
    [ -f "$so" ] || continue
    count=$((count + 1))
    # _init/_fini, _edata, _end and __bss_start are defined by the linker in
    # some toolchains' dynamic symbol tables; they are no interface of the
    # plugin and no host ever looks them up.
    symbols=$(nm -D --defined-only "$so" | awk '{print $NF}' |
      grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$' | sort)
    if [ "$symbols" != "seam_plugin_entry_v1" ]; then
      echo "FAIL: $so must export only seam_plugin_entry_v1; it exports:" >&2
      printf '%s\n' "$symbols" | sed 's/^/    /' >&2
      status=1
    else
      echo "ok: $so"
    fi
  done
done
if [ "$count" -eq 0 ]; then
  echo "FAIL: no seam-*.so in $*" >&2
  status=1
fi
for required in ${SEAM_REQUIRED_PLUGINS:-}; do
  found=0
  for dir in "$@"; do [ -f "$dir/seam-$required.so" ] && found=1; done
  [ $found = 1 ] || { echo "FAIL: seam-$required.so not found in $*" >&2; status=1; }
done
exit $status
