#!/usr/bin/env bash
# docs.sh - the commands of docs/plugin-authoring.md's "Ship it" (```sh
# run=ship) and then of docs/packs.md (```sh run=packs, and the files of
# ```toml file=packs/NAME), run as they stand, in order, in one directory,
# against a fresh installation of seam with a private XDG data and config
# home. Needs SEAM_BUILD_DIR and SEAM_SOURCE_DIR.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${SEAM_SOURCE_DIR:?}"
install_seam
export SEAM_PREFIX=$PREFIX PATH=$PREFIX/bin:$PATH
dir=$WORK/docs
mkdir -p "$dir"

# blocks DOC KIND: splits DOC's fenced blocks into $WORK/blocks-KIND/N.{kind,arg,body}.
blocks() {
  local out=$WORK/blocks-$2
  mkdir -p "$out"
  awk -v out="$out" -v want="$2" '
    /^```/ && !inside {
      inside = 1; kind = ""
      if ($0 ~ ("^```sh run=" want "$")) kind = "run"
      else if (match($0, (" file=" want "/[^ ]+")) ) { kind = "file"; arg = substr($0, RSTART + 7 + length(want), RLENGTH - 7 - length(want)) }
      if (kind != "") {
        n++; printf "" > (out "/" n ".body")
        print kind > (out "/" n ".kind"); print arg > (out "/" n ".arg")
      }
      next
    }
    /^```/ && inside { inside = 0; kind = ""; next }
    inside && kind != "" { print >> (out "/" n ".body") }
  ' "$1"
}

ran=0
run_blocks() {
  local doc=$1 kind=$2 count i n
  blocks "$doc" "$kind"
  count=$(find "$WORK/blocks-$kind" -name '*.kind' | wc -l)
  [ "$count" -gt 0 ] || fail "$doc has no \`\`\`sh run=$kind block"
  for i in $(seq 1 "$count"); do
    n=$WORK/blocks-$kind/$i
    case $(cat "$n.kind") in
    file) cp "$n.body" "$dir/$(cat "$n.arg")" ;;
    run)
      ran=$((ran + 1))
      last_cmd=$(cat "$n.body")
      rc=0
      elapsed_ms=0
      out=$(cd "$dir" && bash -e "$n.body" 2>&1) || rc=$?
      err=""
      expect_rc 0 "a block of $doc"
      ;;
    esac
  done
}

run_blocks "$SEAM_SOURCE_DIR/docs/plugin-authoring.md" ship
# What the guide promised: the pack installed, listed, its suite passed.
[[ "$out" == *"greeter    1.0.0    2   steps"* ]] || fail "the guide's list lacks greeter: $out"
[[ "$out" == *"2 passed"* ]] || fail "the guide's example suite did not pass: $out"
run_blocks "$SEAM_SOURCE_DIR/docs/packs.md" packs
# The requirement the page shows is reported as it says.
run_seam check "$dir/needs_greeter.toml"
expect_rc 2
expect_in err "the suite requires plugin greeter >=2.0, <3"
[ "$ran" -ge 6 ] || fail "only $ran blocks ran"
finish
