#!/usr/bin/env bash
# stats_exact.sh SEAM PLUGIN_DIR: net.stats counts exactly the bytes that
# crossed. A small server of this script's own stands behind the proxy and
# logs how many bytes it received and sent; the suite's net.stats must show
# the same numbers, read from seam's JSON report.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

python3 - "$WORK" <<'PY' &
import socket, sys
work = sys.argv[1]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(8)
server.settimeout(60)  # a suite that fails early must not leave this waiting
open(f"{work}/port.tmp", "w").write(str(server.getsockname()[1]))
import os
os.rename(f"{work}/port.tmp", f"{work}/port")
received = sent = 0
for _ in range(2):  # the suite sends two requests, one connection each
    conn, _ = server.accept()
    conn.settimeout(60)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        more = conn.recv(65536)
        data += more
        body += more
    received += len(data)
    payload = b"x" * 3000
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
              b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)
    conn.sendall(answer)
    sent += len(answer)
    conn.close()
open(f"{work}/counts", "w").write(f"{received} {sent}\n")
PY
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT
deadline=$((SECONDS + 60))
until [ -s "$WORK/port" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "FAIL: the test server did not start" >&2; exit 1; }
  sleep 0.05
done
export SEAM_TEST_UPSTREAM_PORT
SEAM_TEST_UPSTREAM_PORT=$(cat "$WORK/port")

run_seam run "$HERE/stats_exact.toml" --report "json:$WORK/report.json"
expect_rc 0
wait "$server_pid"
read -r received sent <"$WORK/counts"
checks=$((checks + 1))
if ! python3 - "$WORK/report.json" "$received" "$sent" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
steps = [s for suite in report["suites"] for t in suite["tests"] for s in t["steps"]
         if s["use"] == "net.stats" and s.get("output")]
out = steps[-1]["output"]
want = {"up": int(sys.argv[2]), "down": int(sys.argv[3])}
if out["bytes"] != want or out["connections"] != {"total": 2, "open": 0}:
    sys.exit(f"net.stats said {out}, the server counted bytes {want} on 2 connections")
PY
then
  fail "net.stats does not match what the server counted"
fi
finish
