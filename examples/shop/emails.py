#!/usr/bin/env python3
"""email: sends mail through an external provider's HTTP API
(POST PROVIDER/v3/mail/send, Bearer MAIL_API_KEY) and records what it sent.

POST /emails sends one at once, trying the provider up to --attempts times.
With --amqp it also consumes order.created (queue email.order-created): one
provider call per delivery, retried with backoff through the bus, and
publishes email.sent once the mail went out.

  emails.py --port=N --provider=URL [--db=URL] [--amqp=URL] [--attempts=3] [--backoff=0.1]
"""
import os
import time

import shoplib
from shoplib import HttpError, Retry, Unavailable, call

args = shoplib.arguments("email", lambda p: (
    p.add_argument("--provider", required=True),
    p.add_argument("--amqp", default=""),
    p.add_argument("--attempts", type=int, default=3),
    p.add_argument("--backoff", type=float, default=0.1)))
KEY = os.environ.get("MAIL_API_KEY", "")
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS emails (
    id TEXT PRIMARY KEY, to_addr TEXT NOT NULL, template TEXT NOT NULL, user_id TEXT,
    order_id TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL, provider_id TEXT,
    created_at TEXT NOT NULL)"""])
router = shoplib.Router()
SUBJECTS = {"welcome": "Welcome to the shop", "order_confirmation": "Your order"}


def send_once(to, template, data):
    """(provider message id, None) or (None, why it failed)."""
    message = {"to": to, "from": "shop@example.com", "subject": SUBJECTS.get(template, template),
               "template": template, "data": data}
    try:
        status, answer = call("POST", f"{args.provider}/v3/mail/send", message,
                              headers={"Authorization": f"Bearer {KEY}"})
    except Unavailable as e:
        return None, str(e)
    if status in (200, 201, 202):
        return (answer or {}).get("id", ""), None
    return None, f"the provider answered {status}: {answer}"


def record(to, template, status, attempts, provider_id, user_id=None, order_id=None):
    email = {"id": shoplib.new_id("eml"), "to_addr": to, "template": template, "user_id": user_id,
             "order_id": order_id, "status": status, "attempts": attempts,
             "provider_id": provider_id, "created_at": shoplib.now()}
    db.execute("INSERT INTO emails (id, to_addr, template, user_id, order_id, status, attempts,"
               " provider_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", *email.values())
    return email


@router.route("POST", "/emails")
def send(req):
    to, template = req.field("to"), req.field("template")
    for attempt in range(1, args.attempts + 1):
        provider_id, why = send_once(to, template, req.json.get("data", {}))
        if provider_id is not None:
            break
        shoplib.say(f"mail to {to}: attempt {attempt} failed: {why}")
        if attempt < args.attempts:
            time.sleep(args.backoff * 2 ** (attempt - 1))
    status = "sent" if provider_id is not None else "failed"
    email = record(to, template, status, attempt, provider_id, user_id=req.json.get("user_id"))
    if status == "failed":
        raise HttpError(502, f"mail provider failed {attempt} times: {why}", email=email)
    return 201, email


def select(query):
    for key in ("user_id", "order_id"):
        if query.get(key):
            return f"{key} = ?", query[key]
    raise HttpError(400, "give user_id or order_id")


@router.route("GET", "/emails")
def list_(req):
    where, value = select(req.query)
    rows = db.query(f"SELECT * FROM emails WHERE {where} ORDER BY created_at", value)
    return 200, {"count": len(rows), "emails": rows}


@router.route("DELETE", "/emails")
def delete(req):
    where, value = select(req.query)
    return 200, {"deleted": db.execute(f"DELETE FROM emails WHERE {where}", value)}


def on_order_created(event):
    order_id = event["order_id"]
    done = db.query("SELECT id FROM emails WHERE order_id = ? AND template = 'order_confirmation'"
                    " AND status = 'sent'", order_id)
    if done:  # delivered twice (at least once): the customer gets one mail
        return
    provider_id, why = send_once(event["email"], "order_confirmation",
                                 {"order_id": order_id, "amount": event.get("amount")})
    if provider_id is None:
        raise Retry(why)
    email = record(event["email"], "order_confirmation", "sent", 1, provider_id, order_id=order_id)
    bus.publish("email.sent", {"order_id": order_id, "email_id": email["id"], "to": event["email"]})


if args.amqp:
    bus = shoplib.Bus(args.amqp)
    shoplib.serve(router, args.port, background=True)
    bus.consume("email.order-created", "order.created", on_order_created)
else:
    shoplib.serve(router, args.port)
