#!/usr/bin/env bash
# guide.sh PART - docs/plugin-authoring.md cannot rot: its fenced blocks are
# pulled out of the Markdown and used as they stand, against an installed
# seam (cmake --install into a temporary prefix), built Release.
#   ```LANG file=DIR/NAME   the block is the file DIR/NAME
#   ```sh run=DIR           the block's commands run in DIR (bash -e), with
#                           SEAM_PREFIX set and the installed seam on PATH
#   ```text run=DIR         "$ COMMAND" then its expected output, compared
#                           line by line (trailing blanks aside)
# PART is the project directory to take (kv: the C++ plugin, hello: the C
# one). Needs SEAM (the build's binary), SEAM_BUILD_DIR and SEAM_GUIDE.
set -u
. "$(dirname "$0")/lib.sh"
part=${1:?usage: guide.sh kv|hello}
: "${SEAM_BUILD_DIR:?}" "${SEAM_GUIDE:?}"

prefix=$WORK/prefix
log=$WORK/install.log
if ! cmake --install "$SEAM_BUILD_DIR" --prefix "$prefix" >"$log" 2>&1; then
  fail "cmake --install failed"
  sed 's/^/    | /' "$log" >&2
  exit 1
fi

# Splits the guide into $WORK/blocks/N.{kind,arg,body}.
mkdir -p "$WORK/blocks"
awk -v out="$WORK/blocks" '
  /^```/ && !inside {
    inside = 1; kind = ""; arg = ""
    if (match($0, / file=[^ ]+/)) { kind = "file"; arg = substr($0, RSTART + 6, RLENGTH - 6) }
    else if ($0 ~ /^```sh run=/) { kind = "run"; arg = substr($0, 11) }
    else if ($0 ~ /^```text run=/) { kind = "output"; arg = substr($0, 13) }
    if (kind != "") {
      n++; body = out "/" n ".body"
      printf "" > body
      print kind > (out "/" n ".kind"); print arg > (out "/" n ".arg")
    }
    next
  }
  /^```/ && inside { inside = 0; if (kind != "") close(body); kind = ""; next }
  inside && kind != "" { print >> body }
' "$SEAM_GUIDE"

export SEAM_PREFIX=$prefix
export PATH=$prefix/bin:$PATH
ran=0
count=$(find "$WORK/blocks" -name '*.kind' | wc -l)
for i in $(seq 1 "$count"); do
  n=$WORK/blocks/$i
  kind=$(cat "$n.kind")
  arg=$(cat "$n.arg")
  dir=${arg%%/*}
  [ "$dir" = "$part" ] || continue
  case $kind in
  file)
    mkdir -p "$WORK/$(dirname "$arg")"
    cp "$n.body" "$WORK/$arg"
    ;;
  run)
    ran=$((ran + 1))
    last_cmd=$(cat "$n.body")
    out=$(cd "$WORK/$dir" && bash -e "$n.body" 2>&1)
    rc=$?
    expect_rc 0
    ;;
  output)
    command=$(head -n 1 "$n.body")
    command=${command#\$ }
    last_cmd=$command
    out=$(cd "$WORK/$dir" && bash -c "$command" 2>&1)
    rc=$?
    expect_rc 0
    want=$(tail -n +2 "$n.body" | sed 's/[[:space:]]*$//')
    got=$(printf '%s\n' "$out" | sed 's/[[:space:]]*$//')
    if [ "$got" != "$want" ]; then
      fail "the output of \`$command\` differs from the guide's"
      diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    | /' >&2
    fi
    ;;
  esac
done
[ "$ran" -gt 0 ] || fail "the guide has no \`\`\`sh run=$part block"

if [ "$part" = kv ]; then
  # -static-libstdc++ really took the C++ runtime into the plugin.
  so=$WORK/kv/build/seam-kv.so
  [ -f "$so" ] || fail "no $so"
  if ldd "$so" | grep -q libstdc++; then
    fail "seam-kv.so still needs libstdc++.so: $(ldd "$so")"
  fi
fi
finish
