#!/usr/bin/env bash
# hostile.sh - a corpus of hostile or broken packs (made by make_hostile.py)
# is refused by `seam plugins install`, each with its message and its exit
# code (docs/packs.md), and leaves the plugin directory as it was, byte for
# byte. Needs SEAM_BUILD_DIR and GREET_PACK_1 (the unsigned greet pack).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${GREET_PACK_1:?}"
install_seam
make_key vendor
good=$WORK/good.seampack
signed=$WORK/signed.seampack
cp "$GREET_PACK_1" "$good"
cp "$GREET_PACK_1" "$signed"
run_seam pack sign "$signed" --key "$WORK/vendor.pem"
expect_rc 0
run_seam trust add "$WORK/vendor.pub"
expect_rc 0
mkdir -p "$WORK/corpus"
cp "$good" "$WORK/corpus/good.seampack"
if ! python3 "$(dirname "$0")/make_hostile.py" "$good" "$signed" "$WORK/corpus" "$PLATFORM" \
  2>"$WORK/py.log"; then
  fail "make_hostile.py failed: $(cat "$WORK/py.log")"
  finish
fi

# An installed pack, so that the directory has something to keep.
run_seam plugins install "$signed"
expect_rc 0
before=$(fingerprint "$PACKS")

# refused CASE CODE TEXT... [-- OPTIONS]: installing CASE exits with CODE and
# says every TEXT; the plugin directory is unchanged; nothing escaped it.
refused() {
  local case=$1 code=$2
  shift 2
  local texts=() opts=(--replace --allow-unsigned)
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then
      shift
      opts=("$@")
      break
    fi
    texts+=("$1")
    shift
  done
  run_seam plugins install "$WORK/corpus/$case.seampack" "${opts[@]}"
  expect_rc "$code" "$case"
  expect_in err "error: " "${texts[@]}"
  expect_not_in all "internal error"
  local after
  after=$(fingerprint "$PACKS")
  if [ "$after" != "$before" ]; then
    fail "$case changed the plugin directory"
    diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed 's/^/    | /' >&2
  fi
}

c=$WORK/corpus
refused traversal 10 "$c/traversal.seampack: entry '../escaped.txt' goes up with '..'"
refused absolute 10 "entry '/tmp/seam-absolute.txt' is absolute"
refused symlink 10 "entry 'docs/greet.md' is a symbolic link to '/etc/passwd'; a pack holds regular files only"
refused hardlink 10 "entry 'docs/link.md' is a hard link (to 'seam-pack.toml')"
refused device 10 "entry 'docs/null' is a character device"
refused bomb 10 "entry 'docs/zeros.md' is 1073741824 bytes, more than the 256 MiB one file of a pack may have"
refused checksum 11 "the sha256 of 'lib/$PLATFORM/seam-greet.so' is" "the manifest says"
refused badsig 12 "the signature does not match the manifest" "the pack was changed after it was signed"
refused good 12 "(greet 1.0.0): the pack is not signed" "--allow-unsigned" -- --replace
refused otherarch 13 "no library for $PLATFORM (the pack has: linux-riscv64)"
refused abi2 13 "plugin 'greet' declares ABI 2.0, but this seam speaks ABI 1.2"
refused needsdep 13 "needs plugin ledger >=2.0, but it is not installed" "install a pack of ledger that matches first"
refused newseam 13 "plugin 'greet' works with seam >=99.0, not with this seam"
refused clash 14 "'http' is the name of a plugin that comes with seam ($PREFIX/lib/seam/plugins/seam-http.so)"
refused truncated 10 "the archive is cut short"
refused liar 11 "does not match the manifest:" "the manifest lists step 'greet.fly', which the library does not have"
refused extra 11 "the archive holds 'docs/unlisted.md', which the manifest does not name"
refused nomanifest 10 "no seam-pack.toml at the archive's root"
refused notpack 10 "not a seam pack (a tar.gz)"
[ ! -e "$XDG_DATA_HOME/seam/escaped.txt" ] && [ ! -e /tmp/seam-absolute.txt ] ||
  fail "a file escaped the staging directory"

# The bomb is refused from its header, without inflating a gigabyte.
[ "$elapsed_ms" -ge 0 ] # (recorded by run_seam for the failure message)
run_seam plugins install "$c/bomb.seampack" --allow-unsigned --replace
expect_rc 10
[ "$elapsed_ms" -lt 10000 ] || fail "refusing the bomb took ${elapsed_ms} ms"
finish
