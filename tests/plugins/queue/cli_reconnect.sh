#!/usr/bin/env bash
# cli_reconnect.sh SEAM PLUGIN_DIR RABBITMQ_DIR SEAM_ROOT - restarts a broker
# of its own while a seam run waits in queue.consume (see cli/reconnect.toml).
set -uo pipefail
seam=$1 plugins=$2 root=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
broker=$work/rabbitmq
cleanup() {
  "$root/tools/rabbitmq" stop "$broker" >/dev/null 2>&1
  [[ -n ${seam_pid:-} ]] && kill "$seam_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$root/tools/rabbitmq" start "$broker" >/dev/null || exit 1
SEAM_AMQP_URL=$(cat "$broker/url")
export SEAM_AMQP_URL
"$seam" run -v --plugin-path "$plugins" --report "json:$work/report.json" \
  "$here/cli/reconnect.toml" >"$work/run.out" 2>&1 &
seam_pid=$!

# Restart only once the consume waits: its queue then has a consumer.
# rabbitmqctl takes seconds on a busy machine: a deadline, not a count.
waiting=0
deadline=$((SECONDS + 240))
while ((SECONDS < deadline)); do
  if "$root/tools/rabbitmq" ctl "$broker" list_queues -q name consumers 2>/dev/null |
    grep -Eq '^reconnect-[^[:space:]]+[[:space:]]+1$'; then
    waiting=1
    break
  fi
  kill -0 "$seam_pid" 2>/dev/null || break
  sleep 0.2
done
if ((waiting == 0)); then
  echo "FAIL: the run never reached its waiting consume"
  wait "$seam_pid"
  cat "$work/run.out"
  exit 1
fi
"$root/tools/rabbitmq" restart "$broker" >/dev/null || exit 1

wait "$seam_pid"
rc=$?
seam_pid=
if [[ $rc != 0 ]]; then
  echo "FAIL: seam exited $rc"
  cat "$work/run.out"
  exit 1
fi
echo "cli_reconnect: the step in flight failed with the broker's reason; the run reconnected"
