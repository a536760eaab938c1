"""What the shop's services share: the command line, a JSON HTTP server and
client, the database (SQLite or PostgreSQL) and the event bus (RabbitMQ).

Each service is one process, started as `python3 SERVICE.py --port=N ...`;
it logs one line per request and "[NAME] listening on 127.0.0.1:PORT" once it
accepts connections (the suites' readiness check).
"""
import argparse
import json
import os
import re
import secrets
import signal
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = "shop"


def say(text):
    print(f"[{NAME}] {text}", flush=True)


def now():
    """UTC, ISO 8601 with milliseconds and Z, as seam's ${now} and ${run.started_at}."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(prefix):
    return f"{prefix}_{secrets.token_hex(8)}"


def arguments(name, configure=None):
    """Parses --port and --db, plus what `configure(parser)` adds."""
    global NAME
    NAME = name
    p = argparse.ArgumentParser(prog=name)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--db", default=os.environ.get("SHOP_DB_URL", "sqlite3://shop.db"),
                   help="sqlite3://PATH (default) or postgresql://...")
    if configure:
        configure(p)
    args = p.parse_args()
    # Services talk to each other on loopback: never through a proxy.
    urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))
    return args


# --- HTTP ---------------------------------------------------------------------

class HttpError(Exception):
    """Raised by a handler: answered as {"error": message, ...fields}."""

    def __init__(self, status, message, **fields):
        super().__init__(message)
        self.status, self.fields = status, dict(error=message, **fields)


class Request:
    def __init__(self, method, path, query, headers, body, params):
        self.method, self.path, self.query = method, path, query
        self.headers, self.body, self.params = headers, body, params

    @property
    def json(self):
        try:
            value = json.loads(self.body or b"null")
        except ValueError:
            raise HttpError(400, "the body is not JSON")
        if not isinstance(value, dict):
            raise HttpError(400, "the body must be a JSON object")
        return value

    def field(self, name, kind=str):
        value = self.json.get(name)
        if not isinstance(value, kind) or value in ("", None):
            raise HttpError(400, f"`{name}` is required ({kind.__name__})", field=name)
        return value


class Router:
    def __init__(self):
        self.routes = [("GET", re.compile(r"^/health$"), lambda req: (200, {"ok": True, "name": NAME}))]

    def route(self, method, pattern):
        """@router.route("GET", "/users/{id}"): {name} captures one segment."""
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

        def register(handler):
            self.routes.append((method, regex, handler))
            return handler
        return register

    def dispatch(self, method, path):
        allowed = False
        for m, regex, handler in self.routes:
            match = regex.match(path)
            if match:
                if m == method:
                    return handler, match.groupdict()
                allowed = True
        raise HttpError(405 if allowed else 404, f"no route for {method} {path}")


def serve(router, port, background=False):
    """Serves `router` on 127.0.0.1:port; in a thread when `background`."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle_one(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                handler, params = router.dispatch(self.command, url.path)
                status, answer = handler(Request(self.command, url.path, query, self.headers, body, params))
            except HttpError as e:
                status, answer = e.status, e.fields
            except Exception as e:  # a bug or a dependency's failure: a 500 that says which
                say(f"error: {self.command} {url.path}: {type(e).__name__}: {e}")
                status, answer = 500, {"error": f"{type(e).__name__}: {e}"}
            data = b"" if status == 204 else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one

        def log_message(self, fmt, *args):
            say(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else '?'}")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    say(f"listening on 127.0.0.1:{port}")
    if background:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    signal.signal(signal.SIGTERM, lambda *_: (say("SIGTERM: shutting down"), os._exit(0)))
    server.serve_forever()


class Unavailable(Exception):
    """A dependency did not answer (refused, timed out, reset)."""


def call(method, url, body=None, timeout=5.0, headers=None):
    """One JSON request: (status, parsed body or None); Unavailable when the
    server cannot be reached or does not answer within `timeout` seconds."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise Unavailable(f"{method} {url} timed out after {timeout:g}s")
        raise Unavailable(f"{method} {url} failed: {reason}")
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, {"body": raw.decode(errors="replace")}


# --- the database ---------------------------------------------------------------

class Db:
    """One connection per thread; `?` placeholders on both SQLite and PostgreSQL."""

    def __init__(self, url, schema):
        self.url, self.local = url, threading.local()
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        if not self.postgres:
            if not url.startswith("sqlite3://") or url == "sqlite3://":
                raise SystemExit(f"[{NAME}] fatal: --db={url!r} is no database URL I know: "
                                 "give sqlite3://PATH or postgresql://USER@HOST:PORT/DB")
            path = url[len("sqlite3://"):]
            self.path = path
            if os.path.dirname(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
        with self.transaction() as tx:
            for statement in schema:
                tx.execute(statement)

    def _connection(self):
        c = getattr(self.local, "c", None)
        if c is None:
            if self.postgres:
                import psycopg2  # only needed for PostgreSQL (python3-psycopg2)
                c = psycopg2.connect(self.url)
            else:
                c = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                c.execute("PRAGMA journal_mode=WAL")
                c.execute("PRAGMA busy_timeout=10000")
            self.local.c = c
        return c

    def transaction(self):
        return _Transaction(self)

    def query(self, sql, *params):
        with self.transaction() as tx:
            return tx.query(sql, *params)

    def execute(self, sql, *params):
        with self.transaction() as tx:
            return tx.execute(sql, *params)


class _Transaction:
    """`with db.transaction() as tx:` commits at the end, rolls back on an error.
    SQLite takes the write lock at BEGIN, so a check-then-write holds."""

    def __init__(self, db):
        self.db, self.c = db, db._connection()

    def __enter__(self):
        self.cur = self.c.cursor()
        if not self.db.postgres:
            self.cur.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.c.commit() if self.db.postgres else self.cur.execute("COMMIT")
        else:
            self.c.rollback() if self.db.postgres else self.cur.execute("ROLLBACK")

    def execute(self, sql, *params):
        if self.db.postgres:
            sql = sql.replace("?", "%s")
        self.cur.execute(sql, params)
        return self.cur.rowcount

    def query(self, sql, *params):
        self.execute(sql, *params)
        names = [d[0] for d in self.cur.description]
        return [dict(zip(names, row)) for row in self.cur.fetchall()]


# --- the event bus ----------------------------------------------------------------

EXCHANGE = "shop.events"   # topic exchange: order.created, email.sent, analytics.recorded
DEAD = "shop.dead"         # direct exchange: each consumer's dead letters, by queue name


class Retry(Exception):
    """Raised by a consumer's work: try the message again later."""


class Bus:
    """Publishes events with publisher confirms; thread-safe (one lock)."""

    def __init__(self, url):
        import pika  # python3-pika
        self.pika, self.url, self.lock, self.channel = pika, url, threading.Lock(), None

    def _open(self):
        params = self.pika.URLParameters(self.url)
        params.heartbeat = 0  # an idle publisher must not be dropped between requests
        self.connection = self.pika.BlockingConnection(params)
        self.channel = self.connection.channel()
        self.channel.exchange_declare(EXCHANGE, "topic", durable=True)
        self.channel.exchange_declare(DEAD, "direct", durable=True)
        self.channel.confirm_delivery()

    def publish(self, routing_key, event):
        body = json.dumps(event).encode()
        props = self.pika.BasicProperties(content_type="application/json", delivery_mode=2)
        with self.lock:
            for attempt in (1, 2):  # once more on a connection the broker closed
                try:
                    if self.channel is None or self.channel.is_closed:
                        self._open()
                    self.channel.basic_publish(EXCHANGE, routing_key, body, props)
                    return
                except self.pika.exceptions.AMQPError:
                    self.channel = None
                    if attempt == 2:
                        raise

    def consume(self, queue, binding, work, attempts=3, backoff=0.2):
        """Runs `work(event)` for each message of `queue` (bound to `binding`),
        in this thread, until SIGTERM. The message is acked after the work.
        `Retry` (or any error) sends it to QUEUE.retry, back after
        backoff * 2^n seconds; after `attempts` tries it is rejected into QUEUE.dead."""
        self._open()
        ch = self.channel
        ch.queue_declare(queue, durable=True, arguments={
            "x-dead-letter-exchange": DEAD, "x-dead-letter-routing-key": queue})
        ch.queue_bind(queue, EXCHANGE, binding)
        ch.queue_declare(queue + ".retry", durable=True, arguments={
            "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue})
        ch.queue_declare(queue + ".dead", durable=True)
        ch.queue_bind(queue + ".dead", DEAD, queue)
        ch.basic_qos(prefetch_count=1)
        stopping = []
        # Finish the message in hand, then stop: no event is half done.
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        say(f"consuming {queue} ({binding})")
        for method, props, body in ch.consume(queue, inactivity_timeout=0.1):
            if stopping:
                break
            if method is None:
                continue
            tried = int((props.headers or {}).get("x-attempts", 0)) + 1
            try:
                work(json.loads(body))
                ch.basic_ack(method.delivery_tag)
            except Exception as e:  # Retry, or another failure (the database's): the same
                if tried >= attempts:
                    say(f"giving up after {tried} attempts: {e}; dead-lettered to {queue}.dead")
                    ch.basic_reject(method.delivery_tag, requeue=False)
                    continue
                delay = backoff * 2 ** (tried - 1)
                say(f"attempt {tried} failed: {e}; retrying in {delay:g}s")
                ch.basic_publish("", queue + ".retry", body, self.pika.BasicProperties(
                    content_type="application/json", delivery_mode=2,
                    headers={"x-attempts": tried}, expiration=str(int(delay * 1000))))
                ch.basic_ack(method.delivery_tag)
        say("SIGTERM: stopped consuming")
        ch.cancel()
        self.connection.close()
        os._exit(0)
