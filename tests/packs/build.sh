#!/usr/bin/env bash
# build.sh - `seam pack build` and `seam pack sign`: two builds of one pack
# are byte-identical (whatever the files' times), the archive has fixed
# owners, times and modes and a gzip header without a time; a signature is
# deterministic too; a source that does not match its library, or cannot be
# read, is refused with its message and exit code. Needs SEAM and
# GREET_STAGE (the laid-out source of the greet pack, made by seam_add_pack).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${GREET_STAGE:?}"
src=$WORK/src
cp -r "$GREET_STAGE" "$src"

run_seam pack build "$src" -o "$WORK/one"
expect_rc 0
expect_in out "built $WORK/one/greet-1.0.0.seampack: greet 1.0.0, 1 step, library for 1 platform"
touch -d '2001-02-03 04:05:06' "$src"/seam-pack.toml "$src"/docs/* "$src"/lib/*/*
run_seam pack build "$src" -o "$WORK/two/greet.seampack"
expect_rc 0
cmp "$WORK/one/greet-1.0.0.seampack" "$WORK/two/greet.seampack" ||
  fail "two builds of one pack differ"
listing=$(tar -tvzf "$WORK/one/greet-1.0.0.seampack")
while read -r mode owner _ day _ name; do
  [ "$owner" = root/root ] || fail "$name is owned by $owner"
  [ "$day" = 1970-01-01 ] || fail "$name has the time $day"
  case $name in
  *.so) [ "$mode" = -rwxr-xr-x ] || fail "$name has mode $mode" ;;
  *) [ "$mode" = -rw-r--r-- ] || fail "$name has mode $mode" ;;
  esac
done <<<"$listing"
names=$(printf '%s\n' "$listing" | awk '{print $6}')
[ "$names" = "$(printf '%s\n' "$names" | LC_ALL=C sort)" ] || fail "entries are not sorted: $names"
gzip_time=$(od -An -tx1 -j4 -N4 "$WORK/one/greet-1.0.0.seampack" | tr -d ' ')
[ "$gzip_time" = 00000000 ] || fail "the gzip header holds a time: $gzip_time"
# The manifest in the pack carries every sha256.
manifest=$(tar -xzf "$WORK/one/greet-1.0.0.seampack" -O seam-pack.toml)
lib_sum=$(sha256sum "$src/lib/$PLATFORM/seam-greet.so" | cut -d' ' -f1)
[[ "$manifest" == *"path = \"lib/$PLATFORM/seam-greet.so\", sha256 = \"$lib_sum\""* ]] ||
  fail "the pack's manifest lacks the library's sha256: $manifest"

# Signing twice with one key gives the same bytes (Ed25519 is deterministic).
make_key vendor
cp "$WORK/one/greet-1.0.0.seampack" "$WORK/s1.seampack"
cp "$WORK/one/greet-1.0.0.seampack" "$WORK/s2.seampack"
run_seam pack sign "$WORK/s1.seampack" --key "$WORK/vendor.pem"
expect_rc 0
run_seam pack sign "$WORK/s2.seampack" --key "$WORK/vendor.pem"
cmp "$WORK/s1.seampack" "$WORK/s2.seampack" || fail "two signatures of one pack differ"
run_seam pack sign "$WORK/s1.seampack" --key "$WORK/vendor.pub"
expect_rc 2
expect_in err "not an Ed25519 private key in PEM form" "openssl genpkey -algorithm ed25519"

# refused CODE TEXT... : building the edited copy $bad fails so.
refused() {
  local code=$1
  shift
  run_seam pack build "$bad" -o "$WORK/out"
  expect_rc "$code"
  expect_in err "$@"
  [ ! -e "$WORK/out/greet-1.0.0.seampack" ] || fail "a refused build wrote a pack"
}
fresh() {
  bad=$WORK/bad
  rm -rf "$bad"
  cp -r "$src" "$bad"
}
fresh
sed -i 's/^hello = .*/hello = "greets"\nwave = "Waves"/' "$bad/seam-pack.toml"
refused 11 "$bad/lib/$PLATFORM/seam-greet.so does not match the manifest:" \
  "the manifest lists step 'greet.wave', which the library does not have"
fresh
sed -i '/^\[steps\]/,$d' "$bad/seam-pack.toml"
printf '[steps]\nother = "x"\n' >>"$bad/seam-pack.toml"
refused 11 "the library has step 'greet.hello', which the manifest does not list"
fresh
sed -i 's/^version = .*/version = "1.0.1"/' "$bad/seam-pack.toml"
refused 11 "the library's version is 1.0.0, the manifest's 1.0.1"
fresh
sed -i 's/^abi = .*/abi = "1.1"/' "$bad/seam-pack.toml"
refused 11 "the library speaks ABI 1.2, the manifest says 1.1"
fresh
rm "$bad/docs/greet.md"
refused 11 "$bad/seam-pack.toml: names 'docs/greet.md', which is not a file in $bad"
fresh
sed -i 's/^abi = .*/abi = 1.2/' "$bad/seam-pack.toml"
refused 11 "$bad/seam-pack.toml:6:7: 'abi' must be a string"
fresh
rm -r "$bad/lib"
refused 11 "$bad/seam-pack.toml: the pack has no library" "put it at lib/$PLATFORM/seam-greet.so"
fresh
rm "$bad/seam-pack.toml"
refused 2 "no seam-pack.toml in $bad"
# A library that crashes while it loads cannot take seam pack build down.
fresh
cat >"$WORK/crash.c" <<'C'
#include <signal.h>
__attribute__((visibility("default"))) const void *seam_plugin_entry_v1(void) {
  raise(SIGSEGV);
  return 0;
}
C
cc -shared -fPIC -o "$bad/lib/$PLATFORM/seam-greet.so" "$WORK/crash.c"
refused 3 "$bad/lib/$PLATFORM/seam-greet.so: refused: loading it crashed (signal 11, Segmentation fault)"
finish
