# shellcheck shell=bash
# lib.sh - helpers of the pack tests (sourced): tests/cli/lib.sh's checks,
# plus a fresh installation of seam and a fingerprint of a directory.

. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

PLATFORM=linux-$(uname -m)

# install_seam: cmake --install of the build into $WORK/prefix; SEAM becomes
# the installed seam, and packs go to a private XDG data and config home.
install_seam() {
  : "${SEAM_BUILD_DIR:?SEAM_BUILD_DIR must name the build directory of seam}"
  PREFIX=$WORK/prefix
  if ! cmake --install "$SEAM_BUILD_DIR" --prefix "$PREFIX" >"$WORK/install.log" 2>&1; then
    echo "FAIL: cmake --install failed" >&2
    sed 's/^/    | /' "$WORK/install.log" >&2
    exit 1
  fi
  SEAM=$PREFIX/bin/seam
  export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config
  unset SEAM_PLUGIN_PATH SEAM_TRUST_DIR
  PACKS=$XDG_DATA_HOME/seam/plugins
}

# fingerprint DIR: every path under DIR with its type, mode and sha256, so
# that any change to it (a file added, removed, altered) changes the output.
fingerprint() {
  local dir=$1
  [ -d "$dir" ] || { echo "(no $dir)"; return; }
  (cd "$dir" && find . -printf '%p %y %m\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# make_key NAME: an Ed25519 key pair, $WORK/NAME.pem and $WORK/NAME.pub.
make_key() {
  openssl genpkey -algorithm ed25519 -out "$WORK/$1.pem" 2>/dev/null &&
    openssl pkey -in "$WORK/$1.pem" -pubout -out "$WORK/$1.pub"
}
