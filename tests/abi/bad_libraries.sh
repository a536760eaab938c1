#!/usr/bin/env bash
# bad_libraries.sh - files that are not loadable plugin libraries, made here
# with real tools (cut copies of the probe plugin, clang for other machines,
# an object file, a library whose dependency is gone), and plugin names
# provided twice. seam run, seam check and seam plugins list must each refuse
# them with exit code 3 and a message naming the file and what is wrong:
# never a signal (an exit code of 128 or more fails the test).
# Needs SEAM and SEAM_TEST_PLUGIN_DIR (the bundled directory, with the probe).
set -u
. "$(dirname "$0")/lib.sh"

probe=$SEAM_TEST_PLUGIN_DIR/seam-probe.so
[ -f "$probe" ] || { echo "missing $probe: build seam-probe first" >&2; exit 1; }
for tool in clang readelf; do
  command -v $tool >/dev/null || { echo "missing $tool (tools/setup --test)" >&2; exit 1; }
done

host_expect="expected a 64-bit ELF shared library"
[ "$(getconf LONG_BIT)" = 32 ] && host_expect="expected a 32-bit ELF shared library"

suite_for() { # PLUGIN : a suite whose one test uses PLUGIN.noop
  cat >"$WORK/uses-$1.toml" <<TOML
[suite]
name = "uses $1"

[[test]]
name = "noop"

[[test.steps]]
use = "$1.noop"
TOML
}
suite_for x
suite_for probe

no_signal() {
  if [ "$rc" -ge 128 ]; then
    fail "seam died of a signal (exit code $rc)"
    show
  fi
}

# refused CASE FILE TEXT... : FILE, installed as seam-x.so in a directory of
# its own, is refused by run and check (through --plugin-path and --plugin)
# and by plugins list, each time with exit code 3 and every TEXT.
refused() {
  local name=$1 file=$2
  shift 2
  local dir=$WORK/case-$name
  mkdir -p "$dir"
  mv "$file" "$dir/seam-x.so"
  local lib=$dir/seam-x.so
  for cmd in run check; do
    run_seam $cmd --plugin-path "$dir" "$WORK/uses-x.toml"
    no_signal
    expect_rc 3
    expect_out "error: $lib: " "$@"
    expect_not_out "Bad file descriptor" "boost::" "dlerror"
    run_seam $cmd --plugin "$lib" "$WORK/uses-x.toml"
    no_signal
    expect_rc 3
    expect_out "error: $lib: " "$@"
  done
  # The list goes on past the bad file: the probe of the bundled directory is
  # still listed, and the refusal is its own line.
  run_seam plugins list --plugin-path "$dir"
  no_signal
  expect_rc 3
  expect_out "$SEAM_TEST_PLUGIN_DIR/seam-probe.so"
  local line
  line=$(printf '%s\n' "$out" | grep -F "refused: $lib: ")
  if [ -z "$line" ]; then
    fail "plugins list has no line \"x refused: $lib: ...\""
    show
  else
    for text in "$@"; do
      [[ "$line" == *"$text"* ]] || { fail "refusal line lacks \"$text\""; show; }
    done
  fi
}

# --- the probe cut short at ten places -------------------------------------
size=$(stat -c %s "$probe")
header=$(readelf -hW "$probe")
field() { printf '%s\n' "$header" | sed -n "s/^ *$1: *\([0-9]*\).*/\1/p"; }
phoff=$(field "Start of program headers")
phnum=$(field "Number of program headers")
phsize=$(field "Size of program headers")
shoff=$(field "Start of section headers")
shnum=$(field "Number of section headers")
shsize=$(field "Size of section headers")
ph_end=$((phoff + phnum * phsize))
sh_end=$((shoff + shnum * shsize))
# PT_LOAD lines: LOAD Offset VirtAddr PhysAddr FileSiz MemSiz ...
mapfile -t loads < <(readelf -lW "$probe" | awk '$1 == "LOAD" { print $2, $5 }')
[ "${#loads[@]}" -ge 2 ] || { echo "expected two or more LOAD segments in $probe" >&2; exit 1; }
seg_end=0
for l in "${loads[@]}"; do
  read -r off filesz <<<"$l"
  [ $((off + filesz)) -gt "$seg_end" ] && seg_end=$((off + filesz))
done
read -r off filesz <<<"${loads[1]}"
second_mid=$((off + filesz / 2))
read -r off filesz <<<"${loads[-1]}"
last_mid=$((off + filesz / 2))
[ "$sh_end" -gt "$seg_end" ] || { echo "expected section headers after the segments" >&2; exit 1; }

cut_at() { # NAME BYTES : the probe cut to BYTES bytes
  head -c "$2" "$probe" >"$WORK/$1"
}
cut_expect() { # BYTES : the message for the probe cut there
  local n=$1
  if [ "$n" -lt 64 ]; then
    echo "truncated (file has $n bytes, its ELF header needs 64)"
  elif [ "$n" -lt "$ph_end" ]; then
    echo "truncated (file has $n bytes, its program headers need $ph_end)"
  elif [ "$n" -lt "$seg_end" ]; then
    echo "truncated (file has $n bytes, its segments need $seg_end)"
  else
    echo "truncated (file has $n bytes, its section headers need $sh_end)"
  fi
}
offsets=(
  1                          # inside the magic number
  12                         # inside e_ident
  40                         # inside the ELF header, after type and machine
  64                         # the ELF header alone
  $((phoff + phsize + 10))   # inside the program headers
  "$ph_end"                  # headers whole, no segment data
  "$second_mid"              # in the middle of the second segment
  "$last_mid"                # in the middle of the last segment
  $((size / 2))              # half the file (SIGBUS before the check existed)
  $((size - 1))              # one byte short
)
[ "$size" = "$sh_end" ] || echo "note: $probe has $((size - sh_end)) bytes after its section headers" >&2
for n in "${offsets[@]}"; do
  [ "$n" -lt "$size" ] || { echo "offset $n is not inside $probe" >&2; exit 1; }
  cut_at cut "$n"
  refused "cut$n" "$WORK/cut" "$(cut_expect "$n")"
done

# --- not ELF at all ---------------------------------------------------------
: >"$WORK/empty"
refused empty "$WORK/empty" "empty file (0 bytes); $host_expect"
printf '#!/bin/sh\necho not a library\n' >"$WORK/text"
refused text "$WORK/text" "not an ELF file (starts with text \"#!/bin/sh\"); $host_expect"

# --- ELF, but not a shared library for this host ----------------------------
cat >"$WORK/x.c" <<'C'
int seam_x_value(void) { return 42; }
C
clang -c -fPIC -o "$WORK/object" "$WORK/x.c"
refused object "$WORK/object" "an ELF relocatable object (.o), not a shared library; $host_expect"

clang --target=i386-linux-gnu -nostdlib -shared -fuse-ld=lld -o "$WORK/elf32" "$WORK/x.c"
refused elf32 "$WORK/elf32" "not a plugin library: a 32-bit ELF file (ELF32, Intel 80386); $host_expect"

if [ "$(uname -m)" = aarch64 ]; then
  foreign=x86_64 foreign_name=x86-64
else
  foreign=aarch64 foreign_name=AArch64
fi
clang --target=$foreign-linux-gnu -nostdlib -shared -fuse-ld=lld -o "$WORK/foreign" "$WORK/x.c"
refused foreign "$WORK/foreign" "not a plugin library: an ELF shared library for $foreign_name; $host_expect"
expect_not_out "No such file or directory"

case $(uname -m) in
x86_64 | aarch64)
  clang --target=powerpc64-linux-gnu -nostdlib -shared -fuse-ld=lld -o "$WORK/big" "$WORK/x.c"
  refused big-endian "$WORK/big" "not a plugin library: a big-endian ELF file (PowerPC64); $host_expect"
  ;;
esac

# A static executable of this machine (its entry is the function above).
clang -nostdlib -static -fuse-ld=lld -Wl,-e,seam_x_value -o "$WORK/exe" "$WORK/x.c"
refused executable "$WORK/exe" "an ELF executable, not a shared library; $host_expect"

# --- a sound library whose dependency is missing ----------------------------
mkdir -p "$WORK/dep"
clang -shared -fPIC -o "$WORK/dep/libseam-gone.so" "$WORK/x.c"
clang -shared -fPIC -o "$WORK/needs-gone" "$WORK/x.c" -L"$WORK/dep" -lseam-gone
rm "$WORK/dep/libseam-gone.so"
refused missing-dep "$WORK/needs-gone" "cannot load: needs libseam-gone.so, which was not found"
# ...and one that calls a function nothing defines (seam loads with RTLD_NOW).
cat >"$WORK/undefined.c" <<'C'
int seam_gone_function(void);
int seam_x_value(void) { return seam_gone_function(); }
C
clang -shared -fPIC -o "$WORK/undefined" "$WORK/undefined.c"
refused undefined "$WORK/undefined" "cannot load: undefined symbol: seam_gone_function"

# --- one plugin name, two files ---------------------------------------------
bundled=$SEAM_TEST_PLUGIN_DIR/seam-probe.so
mkdir -p "$WORK/copy" "$WORK/copy2" "$WORK/link"
cp "$probe" "$WORK/copy/seam-probe.so"
cp "$probe" "$WORK/copy2/seam-probe.so"
ln -s "$bundled" "$WORK/link/seam-probe.so"
copy=$WORK/copy/seam-probe.so

# A copy in a --plugin-path directory or in SEAM_PLUGIN_PATH clashes with the
# bundled probe; both files are named.
for cmd in run check; do
  run_seam $cmd --plugin-path "$WORK/copy" "$WORK/uses-probe.toml"
  no_signal
  expect_rc 3
  expect_out "error: plugin 'probe' is provided by 2 libraries on the search path: $copy and $bundled"
  # shellcheck disable=SC2034 # read by show (lib.sh)
  last_cmd="SEAM_PLUGIN_PATH=$WORK/copy seam $cmd ..."
  out=$(SEAM_PLUGIN_PATH=$WORK/copy "$SEAM" $cmd "$WORK/uses-probe.toml" 2>&1)
  rc=$?
  no_signal
  expect_rc 3
  expect_out "error: plugin 'probe' is provided by 2 libraries on the search path: $copy and $bundled"
done
# Two copies in two path directories: all three named.
run_seam run --plugin-path "$WORK/copy" --plugin-path "$WORK/copy2" "$WORK/uses-probe.toml"
no_signal
expect_rc 3
expect_out "provided by 3 libraries on the search path: $copy, $WORK/copy2/seam-probe.so and $bundled"
run_seam plugins list --plugin-path "$WORK/copy"
no_signal
expect_rc 3
expect_out "probe      refused: plugin 'probe' is provided by 2 libraries on the search path: $copy and $bundled"

# The same file reached twice (its own directory again, a symbolic link) is
# no clash.
run_seam run --plugin-path "$SEAM_TEST_PLUGIN_DIR" --plugin-path "$WORK/link" "$WORK/uses-probe.toml"
no_signal
expect_rc 0
expect_not_out "provided by"

# --plugin wins over the path, with a notice naming both files; the suite runs.
for cmd in run check; do
  run_seam $cmd --plugin "$copy" "$WORK/uses-probe.toml"
  no_signal
  expect_rc 0
  expect_out "notice: plugin 'probe' is loaded from --plugin $copy, not from $bundled on the search path"
done
notices=$(printf '%s\n' "$out" | grep -c '^notice:')
[ "$notices" = 1 ] || { fail "expected one notice line, got $notices"; show; }
# ...also over a clash on the path, and the bundled file loaded the same way
# is no notice.
run_seam run --plugin "$copy" --plugin-path "$WORK/copy2" "$WORK/uses-probe.toml"
no_signal
expect_rc 0
expect_out "not from $WORK/copy2/seam-probe.so and $bundled on the search path"
run_seam run --plugin "$bundled" "$WORK/uses-probe.toml"
no_signal
expect_rc 0
expect_not_out "notice:"

# --- plugins list over many bad files at once -------------------------------
mkdir -p "$WORK/many"
for d in "$WORK"/case-*; do
  cp "$d/seam-x.so" "$WORK/many/seam-${d##*/case-}.so"
done
run_seam plugins list --plugin-path "$WORK/many"
no_signal
expect_rc 3
expect_out "$SEAM_TEST_PLUGIN_DIR/seam-probe.so"
cases=("$WORK"/case-*)
want=${#cases[@]}
got=$(printf '%s\n' "$out" | grep -c " refused: $WORK/many/")
[ "$got" = "$want" ] || { fail "expected $want refusal lines, got $got"; show; }
# A refused --plugin is listed too, and the rest still is.
run_seam plugins list --plugin "$WORK/many/seam-text.so"
no_signal
expect_rc 3
expect_out "--plugin   refused: $WORK/many/seam-text.so: not an ELF file" "$SEAM_TEST_PLUGIN_DIR/seam-probe.so"

# All well: exit code 0.
run_seam plugins list
no_signal
expect_rc 0
expect_not_out "refused"

finish
