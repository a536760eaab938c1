#!/usr/bin/env bash
# lifecycle.sh - a pack's life with a fresh installation of seam: signed,
# refused while its key is untrusted, installed, listed, described, used by
# a suite (with `requires`), upgraded, downgraded, verified, tampered with,
# installed for the system, removed; an install killed halfway leaves the
# previous version in place. Needs SEAM_BUILD_DIR, GREET_PACK_1 and
# GREET_PACK_2 (the test pack greet, versions 1.0.0 and 1.1.0).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${GREET_PACK_1:?}" "${GREET_PACK_2:?}"
install_seam
v1=$WORK/greet-1.0.0.seampack
v2=$WORK/greet-1.1.0.seampack
cp "$GREET_PACK_1" "$v1"
cp "$GREET_PACK_2" "$v2"
make_key vendor

# --- signed; refused until its key is trusted --------------------------------
run_seam pack sign "$v1" --key "$WORK/vendor.pem"
expect_rc 0
expect_in out "signed $v1 with key "
run_seam pack sign "$v2" --key "$WORK/vendor.pem"
expect_rc 0
run_seam plugins install "$v1"
expect_rc 12
expect_in err "(greet 1.0.0): signed by key" "which is not trusted" "seam trust add KEY.pub"
[ ! -e "$PACKS/greet" ] || fail "a refused pack was installed"
run_seam trust add "$WORK/vendor.pem"
expect_rc 2
expect_in err "holds a private key"
echo "not a key" >"$WORK/junk.pub"
run_seam trust add "$WORK/junk.pub"
expect_rc 2
expect_in err "$WORK/junk.pub: not an Ed25519 public key in PEM form"
run_seam trust add "$WORK/vendor.pub"
expect_rc 0
expect_in out "trusted key "
run_seam trust list
expect_rc 0
expect_in out "$XDG_CONFIG_HOME/seam/trusted-keys/"

# --- installed, listed, described ---------------------------------------------
run_seam plugins install "$v1"
expect_rc 0
expect_in out "installed greet 1.0.0 in $PACKS/greet (signed by trusted key "
run_seam plugins list
expect_rc 0
expect_regex out '^greet +1\.0\.0 +1 +steps +Test pack: greets, naming its own version$'
expect_line out "           ABI 1.2, user: $PACKS/greet/lib/$PLATFORM/seam-greet.so"
# The bundled plugins are listed from the manifests installed beside them.
expect_line out "           ABI 1.2, bundled: $PREFIX/lib/seam/plugins/seam-http.so"
[ -f "$PREFIX/lib/seam/plugins/seam-http.toml" ] || fail "no manifest installed beside seam-http.so"
run_seam plugins info greet
expect_rc 0
expect_in out "greet.hello" "  docs:" "$PACKS/greet/docs/greet.md" \
  "  example suites (seam run FILE):" "$PACKS/greet/suites/greet.toml"

# --- used by a suite, with requires --------------------------------------------
cat >"$WORK/use.toml" <<'TOML'
[suite]
name = "uses greet"
requires = { greet = ">=1.0, <2" }

[vars]
want = "1.0.0"

[[test]]
name = "greets"

[[test.steps]]
use = "greet.hello"
with = { name = "world" }
expect = { greeting = "hello world from ${want}" }
TOML
cat >"$WORK/needs11.toml" <<'TOML'
[suite]
name = "needs greet 1.1"
requires = { greet = ">=1.1, <2" }

[[test]]
name = "greets"

[[test.steps]]
use = "greet.hello"
with = { name = "world" }
TOML
run_seam run "$WORK/use.toml"
expect_rc 0
expect_in out "1 passed"
run_seam run "$PACKS/greet/suites/greet.toml"
expect_rc 0
for cmd in check run; do
  run_seam $cmd "$WORK/needs11.toml"
  expect_rc 2
  expect_in err "$WORK/needs11.toml:3:22: error: the suite requires plugin greet >=1.1, <2, but greet 1.0.0 is installed ($PACKS/greet/lib/$PLATFORM/seam-greet.so)" \
    "hint: install a version in >=1.1, <2: seam plugins install greet-VERSION.seampack --replace"
done

# --- upgraded, downgraded -------------------------------------------------------
run_seam plugins install "$v2"
expect_rc 14
expect_in err "greet 1.0.0 is installed already" "pass --replace to upgrade"
run_seam plugins install "$v2" --replace
expect_rc 0
expect_in out "replaced 1.0.0 with greet 1.1.0 in $PACKS/greet"
run_seam run --var want=1.1.0 "$WORK/use.toml"
expect_rc 0
run_seam check "$WORK/needs11.toml"
expect_rc 0
run_seam plugins install "$v1" --replace
expect_rc 14
expect_in err "version 1.1.0 is installed, which is newer" "pass --downgrade"
run_seam plugins install "$v1" --downgrade
expect_rc 0
expect_in out "replaced 1.1.0 with greet 1.0.0"
run_seam run "$WORK/use.toml"
expect_rc 0

# --- verified, then tampered with ------------------------------------------------
run_seam plugins verify
expect_rc 0
expect_in out "checked greet 1.0.0 (user)" "checked http " "(bundled)"
printf 'x' >>"$PACKS/greet/lib/$PLATFORM/seam-greet.so"
run_seam plugins verify
expect_rc 11
expect_in err "error: greet: $PACKS/greet/lib/$PLATFORM/seam-greet.so was modified: its sha256 is"
sed -i 's/^summary = .*/summary = "changed"/' "$PACKS/greet/seam-pack.toml"
run_seam plugins verify
expect_rc 11
expect_in err "seam-pack.toml was modified: it no longer matches its signature"
# A manifest for another ABI: listed as refused, with exit code 3.
sed -i 's/^abi = .*/abi = "2.0"/' "$PACKS/greet/seam-pack.toml"
run_seam plugins list
expect_rc 3
expect_in out "greet      refused: $PACKS/greet/lib/$PLATFORM/seam-greet.so: plugin 'greet' declares ABI 2.0, but this seam speaks ABI 1.2"
run_seam plugins install "$v1" --replace
expect_rc 0
expect_in out "reinstalled greet 1.0.0"
run_seam plugins verify
expect_rc 0

# --- an install killed halfway --------------------------------------------------
# Killed (SIGKILL, with its child) as soon as its staging directory appears:
# the old version stays whole, the leftover is neither listed nor kept.
caught=0
for attempt in $(seq 1 30); do
  setsid "$SEAM" plugins install "$v2" --replace >/dev/null 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if compgen -G "$PACKS/.staging-greet-*" >/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null && caught=$((caught + 1))
      break
    fi
  done
  wait "$pid" 2>/dev/null
  run_seam plugins list
  expect_rc 0
  expect_regex out '^greet +1\.[01]\.0 +1 +steps'
  expect_not_in out ".staging"
  run_seam plugins verify
  expect_rc 0
  if [[ "$out" == *"greet 1.1.0"* ]]; then
    run_seam plugins install "$v1" --downgrade
    expect_rc 0
  fi
  [ "$caught" -ge 3 ] && break
done
[ "$caught" -ge 1 ] || fail "no install was caught halfway in 30 attempts"
run_seam plugins install "$v2" --replace
expect_rc 0
leftovers=$(find "$PACKS" -maxdepth 1 -name '.*' ! -name . ! -name .lock | wc -l)
[ "$leftovers" = 0 ] || fail "the next install left $leftovers staging directories behind"

# --- removed ----------------------------------------------------------------------
run_seam plugins remove greet
expect_rc 0
expect_in out "removed greet ($PACKS/greet)"
[ ! -e "$PACKS/greet" ] || fail "greet is still there"
run_seam plugins list
expect_rc 0
expect_not_in out "greet"
run_seam run "$WORK/use.toml"
expect_rc 2
expect_in err "the suite requires plugin greet >=1.0, <2, which is not installed" \
  "seam plugins install greet-VERSION.seampack"
run_seam plugins remove greet
expect_rc 2
expect_in err "no pack 'greet' is installed in $PACKS"
run_seam plugins remove http
expect_rc 2
expect_in err "'http' comes with seam; it is not a pack and cannot be removed"

# --- libraries without a manifest are listed by loading them in a child ---------------
bare=$WORK/bare
mkdir -p "$bare"
tar -xzf "$v1" -C "$WORK" "lib/$PLATFORM/seam-greet.so"
cp "$WORK/lib/$PLATFORM/seam-greet.so" "$bare/seam-greet.so"
cp "$WORK/lib/$PLATFORM/seam-greet.so" "$bare/seam-misnamed.so"
cat >"$WORK/crash.c" <<'C'
#include <signal.h>
__attribute__((visibility("default"))) const void *seam_plugin_entry_v1(void) {
  raise(SIGSEGV);
  return 0;
}
C
cc -shared -fPIC -o "$bare/seam-crash.so" "$WORK/crash.c" || fail "cc failed"
run_seam plugins list --plugin-path "$bare"
expect_rc 3
expect_regex out '^greet +1\.0\.0 +1 +steps +Test pack'
expect_line out "           ABI 1.2, path: $bare/seam-greet.so"
expect_in out "misnamed   refused: $bare/seam-misnamed.so: file is named for plugin 'misnamed' but the plugin calls itself 'greet'" \
  "crash      refused: $bare/seam-crash.so: refused: loading it crashed (signal 11, Segmentation fault)"
# The bundled plugins are still listed, from their manifests.
expect_line out "           ABI 1.2, bundled: $PREFIX/lib/seam/plugins/seam-http.so"

# --- for the system -----------------------------------------------------------------
run_seam plugins install --system "$v2"
expect_rc 0
expect_in out "installed greet 1.1.0 in $PREFIX/lib/seam/packs/greet"
run_seam plugins list
expect_line out "           ABI 1.2, system: $PREFIX/lib/seam/packs/greet/lib/$PLATFORM/seam-greet.so"
run_seam plugins install "$v1"
expect_rc 14
expect_in err "a pack named 'greet' is installed in $PREFIX/lib/seam/packs/greet" \
  "seam plugins remove greet --system"
run_seam run --var want=1.1.0 "$WORK/use.toml"
expect_rc 0
run_seam plugins remove greet
expect_rc 2
expect_in err "it is installed for the system: add --system"
run_seam plugins remove greet --system
expect_rc 0
finish
