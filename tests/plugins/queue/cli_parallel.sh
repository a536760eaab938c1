#!/usr/bin/env bash
# cli_parallel.sh SEAM PLUGIN_DIR RABBITMQ_DIR SEAM_ROOT - several seam runs at
# once on one broker, each on its own ${run.id} queue behind one shared
# exchange: every run gets exactly its own messages.
set -uo pipefail
seam=$1 plugins=$2 broker=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SEAM_AMQP_URL=$(cat "$broker/url")
export SEAM_AMQP_URL
runs=4
pids=()
for i in $(seq 1 $runs); do
  "$seam" run --plugin-path "$plugins" "$here/cli/isolation.toml" >"$work/run$i.out" 2>&1 &
  pids+=($!)
done
failed=0
for i in $(seq 1 $runs); do
  if ! wait "${pids[$((i - 1))]}"; then
    echo "FAIL: run $i"
    cat "$work/run$i.out"
    failed=1
  fi
done
# Tests of one run in parallel (--jobs): the resource's channel is shared by
# four tests at once, none sees another's message.
if ! "$seam" run --jobs 4 --timeout 20s --plugin-path "$plugins" "$here/cli/parallel_jobs.toml" \
  >"$work/jobs.out" 2>&1; then
  echo "FAIL: seam run --jobs 4 parallel_jobs.toml"
  cat "$work/jobs.out"
  failed=1
elif ! grep -q "^4 passed, 0 failed" "$work/jobs.out"; then
  echo "FAIL: --jobs 4 did not pass all four tests"
  cat "$work/jobs.out"
  failed=1
fi
((failed == 0)) && echo "cli_parallel: $runs parallel runs and a --jobs 4 run passed"
exit $failed
