#!/usr/bin/env bash
# fd_leak.sh SEAM PLUGIN_DIR: thousands of connections through the net proxy
# leave no descriptor behind in the seam worker that runs it. While
# fd_leak.toml's test waits, this script counts the worker's open
# descriptors, then makes connections through the proxy to an echo server of
# its own: closed politely, open by the hundred at once, reset by the
# client, closed before a byte, one that carries 4 MiB both ways (the proxy
# writes part and queues the rest), and connections through a second proxy
# whose dependency refuses them. The worker must come back to the count it
# had, and net.stats see none open.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
N=${FD_LEAK_CONNECTIONS:-2000}

python3 - "$WORK" <<'PY' &
import os, socket, sys, threading
work = sys.argv[1]
closed = socket.socket()
closed.bind(("127.0.0.1", 0))  # a port nothing listens on once closed
closed_port = closed.getsockname()[1]
closed.close()
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(128)
with open(f"{work}/upstream.tmp", "w") as f:
    f.write(f"{server.getsockname()[1]} {closed_port}\n")
os.rename(f"{work}/upstream.tmp", f"{work}/upstream")

def echo(conn):
    with conn:
        conn.settimeout(60)
        try:
            if conn.recv(1, socket.MSG_PEEK) == b"Q":  # the end, from the script
                os._exit(0)
            while data := conn.recv(65536):
                conn.sendall(data)
        except OSError:
            pass

server.settimeout(120)  # a test that failed early must not leave this waiting
try:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()
except OSError:
    pass
PY
server_pid=$!
seam_pid=""
on_exit() {
  [[ -z $seam_pid ]] || kill "$seam_pid" 2>/dev/null || true
  kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
wait_until 60 test -s "$WORK/upstream" || { fail "the echo server did not start"; finish; }
read -r upstream_port closed_port <"$WORK/upstream"
mkdir "$WORK/meet"
SEAM_TEST_UPSTREAM_PORT=$upstream_port SEAM_TEST_CLOSED_PORT=$closed_port SEAM_TEST_MEET=$WORK/meet \
  "$SEAM" run "$HERE/fd_leak.toml" --plugin-path "$PLUGIN_DIR" --report "json:$WORK/report.json" \
  >"$WORK/out" 2>&1 </dev/null &
seam_pid=$!
last_cmd="seam run fd_leak.toml"
ports_written() { grep -Eqx '[0-9]+ [0-9]+' "$WORK/meet/ports" 2>/dev/null; }
if ! wait_until 60 ports_written; then
  rc=-1
  fail "the suite did not publish its proxies' ports"
  show
  finish
fi
# fs.write wrote no final newline: read stops at the end of the file.
read -r proxy_port nowhere_port <"$WORK/meet/ports" || true
# The worker runs the suite, its plugins and their proxies.
worker=$(pgrep -P "$seam_pid" | head -1)
[[ -n $worker ]] || { fail "no worker process under seam ($seam_pid)"; finish; }
fds() { find "/proc/$worker/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
before=$(fds)

checks=$((checks + 1))
if ! python3 - "$proxy_port" "$nowhere_port" "$N" <<'PY'; then
import hashlib, os, socket, struct, sys, threading
proxy, nowhere, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
errors = []

def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    return s

# Closed politely after one exchange.
for i in range(n):
    with connect(proxy) as s:
        msg = b"ping %d\n" % i
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            more = s.recv(65536)
            if not more:
                break
            got += more
        if got != msg:
            errors.append(f"connection {i}: sent {msg!r}, got back {got!r}")
            break
# Open all at once, then each used and closed.
held = [connect(proxy) for _ in range(n // 4)]
for i, s in enumerate(held):
    s.sendall(b"held %d\n" % i)
for i, s in enumerate(held):
    want, got = b"held %d\n" % i, b""
    while len(got) < len(want) and (more := s.recv(100)):
        got += more
    if got != want:
        errors.append(f"held connection {i}: got back {got!r}")
        break
for s in held:
    s.close()
# Reset by the client (SO_LINGER 0) while data is on its way.
for i in range(n // 10):
    s = connect(proxy)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.sendall(b"x" * 1000)
    s.close()
# Closed before sending a byte.
for i in range(n // 10):
    connect(proxy).close()
# 4 MiB each way on one connection.
payload = os.urandom(4 << 20)
with connect(proxy) as s:
    def send():
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=send)
    t.start()
    h, size = hashlib.sha256(), 0
    while chunk := s.recv(65536):
        h.update(chunk)
        size += len(chunk)
    t.join()
    if h.digest() != hashlib.sha256(payload).digest():
        errors.append(f"4 MiB through the proxy came back as {size} different bytes")
# The dependency refuses: the proxy ends the connection.
for i in range(n // 10):
    with connect(nowhere) as s:
        try:
            s.sendall(b"hello")
            if s.recv(100):
                errors.append("a refused dependency answered")
        except ConnectionResetError:
            errors.append("a refused dependency reset the connection")
        if errors:
            break
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
  fail "the traffic through the proxies went wrong"
fi
# The proxy closes its side as each connection ends; wait for it.
back() { (($(fds) <= before)); }
wait_until 60 back || true
after=$(fds)
checks=$((checks + 1))
if ((after != before)); then
  fail "the seam worker had $before descriptors open before the connections and $after after"
  ls -l "/proc/$worker/fd" >&2 || true
fi
touch "$WORK/meet/go"
rc=0
wait "$seam_pid" || rc=$?
seam_pid=""
out=$(cat "$WORK/out")
expect_rc 0
expect_all_passed "$HERE/fd_leak.toml" "$WORK/report.json"
# Every connection was counted, and none is open.
checks=$((checks + 1))
if ! python3 - "$WORK/report.json" "$N" <<'PY'; then
import json, sys
n = int(sys.argv[2])
report = json.load(open(sys.argv[1]))
stats = [s["output"] for suite in report["suites"] for t in suite["tests"] for s in t["steps"]
         if s["use"] == "net.stats"]
want = [{"total": n + n // 4 + n // 10 * 2 + 1, "open": 0}, {"total": n // 10, "open": 0}]
got = [s["connections"] for s in stats]
if got != want:
    sys.exit(f"net.stats counted connections {got}, expected {want}")
if stats[1]["upstream_errors"] != n // 10:
    sys.exit(f"net.stats counted {stats[1]['upstream_errors']} refusals, expected {n // 10}")
PY
  fail "net.stats does not count the connections made"
fi
# The echo server ends when told.
python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1]))).sendall(b"Q")' \
  "$upstream_port" 2>/dev/null || true
finish
