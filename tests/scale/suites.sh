# shellcheck shell=bash
# suites.sh - make_suites DIR: writes a directory of probe suites with every
# outcome a merge must keep: passes, failures (expectation and plugin), a
# skipped test, a suite whose setup fails (its tests skipped), a suite with a
# resource, and one test name used in two suites.

make_suites() {
  local dir=$1 i
  mkdir -p "$dir/nested"
  {
    echo '[suite]'
    echo 'name = "many"'
    echo 'tags = ["bulk"]'
    for i in $(seq 1 24); do
      printf '\n[[test]]\nname = "case %02d"\n' "$i"
      [ $((i % 3)) -eq 0 ] && echo 'tags = ["third"]'
      printf '\n[[test.steps]]\nuse = "probe.echo"\nwith = { n = %d }\n' "$i"
      if [ $((i % 7)) -eq 0 ]; then
        printf 'expect = { "input.n" = %d }\n' $((i + 1))
      else
        printf 'expect = { "input.n" = %d }\n' "$i"
      fi
    done
  } >"$dir/many.toml"
  cat >"$dir/mixed.toml" <<'TOML'
[suite]
name = "mixed"

[[test]]
name = "passes"

[[test.steps]]
use = "probe.noop"

[[test]]
name = "fails in the plugin"

[[test.steps]]
use = "probe.fail"
with = { message = "the backend said no" }

[[test]]
name = "is skipped"
skip = "waiting for a fix"

[[test.steps]]
use = "probe.noop"

[[test]]
name = "shared name"

[[test.steps]]
use = "probe.echo"
with = { s = "mixed" }
expect = { "input.s" = "mixed" }
TOML
  cat >"$dir/nested/setup_fails.toml" <<'TOML'
[suite]
name = "setup fails"

[[setup]]
name = "setup that breaks"
use = "probe.fail"
with = { message = "cannot seed the database" }

[[test]]
name = "never runs 1"

[[test.steps]]
use = "probe.noop"

[[test]]
name = "never runs 2"

[[test.steps]]
use = "probe.noop"

[[teardown]]
name = "teardown after a failed setup"
use = "probe.noop"
TOML
  cat >"$dir/nested/resource.toml" <<'TOML'
[suite]
name = "with a resource"

[resources.store]
plugin = "probe"

[[test]]
name = "shared name"

[[test.steps]]
use = "probe.resource_tag"
on = "store"

[[test]]
name = "counts"

[[test.steps]]
use = "probe.count"
with = { key = "k" }
TOML
}
