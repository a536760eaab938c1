#!/usr/bin/env python3
"""payments: charges orders through Stripe (a PaymentIntent, confirmed at
once) and learns the outcome from Stripe's webhooks, whose signatures it
verifies; a succeeded payment marks the order paid (POST NOTIFY_URL/paid, the
`notify_url` the payment was created with).

  payments.py --port=N --stripe=API_BASE [--db=URL]
  environment: STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET
"""
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import shoplib
from shoplib import HttpError, call

args = shoplib.arguments("payments", lambda p: (
    p.add_argument("--stripe", required=True),
    p.add_argument("--tolerance", type=int, default=300, help="seconds a webhook may be old")))
API_KEY = os.environ.get("STRIPE_API_KEY", "")
WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
db = shoplib.Db(args.db, [
    """CREATE TABLE IF NOT EXISTS payments (
    id TEXT PRIMARY KEY, order_id TEXT NOT NULL, notify_url TEXT NOT NULL, intent_id TEXT,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL, status TEXT NOT NULL, decline_code TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS webhook_events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, order_id TEXT, received_at TEXT NOT NULL)"""])
router = shoplib.Router()


def stripe(path, params, idempotency_key):
    """POST to Stripe, form-encoded as Stripe expects: (status, answer)."""
    req = urllib.request.Request(f"{args.stripe}{path}", method="POST",
                                 data=urllib.parse.urlencode(params).encode(),
                                 headers={"Authorization": f"Bearer {API_KEY}",
                                          "Idempotency-Key": idempotency_key})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


@router.route("POST", "/payments")
def pay(req):
    order_id, amount = req.field("order_id"), req.field("amount", int)
    currency = req.json.get("currency", "usd")
    status, intent = stripe("/v1/payment_intents", {
        "amount": amount, "currency": currency, "payment_method": req.field("payment_method"),
        "confirm": "true", "metadata[order_id]": order_id}, f"pay-{order_id}")
    p = {"id": shoplib.new_id("pay"), "order_id": order_id, "notify_url": req.field("notify_url"),
         "intent_id": intent.get("id"),
         "amount": amount, "currency": currency, "status": "processing", "decline_code": None,
         "created_at": shoplib.now()}
    p["updated_at"] = p["created_at"]
    if status != 200:
        error = intent.get("error", {})
        p.update(status="failed", decline_code=error.get("decline_code") or error.get("code"),
                 intent_id=(error.get("payment_intent") or {}).get("id"))
    db.execute("INSERT INTO payments (id, order_id, notify_url, intent_id, amount, currency, status,"
               " decline_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               *p.values())
    if status == 402:
        raise HttpError(402, f"the card was declined: {p['decline_code']}", payment=p)
    if status != 200:
        raise HttpError(502, f"Stripe answered {status}: {intent}", payment=p)
    return 201, p


def verify(header, body):
    """Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=...]; HMAC-SHA256 of "t.body"."""
    parts = [p.split("=", 1) for p in (header or "").split(",") if "=" in p]
    timestamps = [v for k, v in parts if k == "t"]
    signatures = [v for k, v in parts if k == "v1"]
    if not timestamps or not signatures:
        raise HttpError(400, "bad signature: no Stripe-Signature header with t= and v1=")
    expected = hmac.new(WEBHOOK_SECRET.encode(), timestamps[0].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise HttpError(400, "bad signature: no v1 signature matches the body")
    if abs(time.time() - int(timestamps[0])) > args.tolerance:
        raise HttpError(400, f"bad signature: the timestamp is outside the {args.tolerance}s tolerance")


@router.route("POST", "/webhooks")
def webhook(req):
    verify(req.headers.get("Stripe-Signature"), req.body)
    event = req.json
    intent = event.get("data", {}).get("object", {})
    if db.query("SELECT id FROM webhook_events WHERE id = ?", event.get("id")):
        return 200, {"received": True, "duplicate": True}
    rows = db.query("SELECT * FROM payments WHERE intent_id = ?", intent.get("id"))
    outcome = {"payment_intent.succeeded": "succeeded", "payment_intent.payment_failed": "failed"}
    if rows and event.get("type") in outcome:
        payment = rows[0]
        db.execute("UPDATE payments SET status = ?, updated_at = ? WHERE id = ?",
                   outcome[event["type"]], shoplib.now(), payment["id"])
        if outcome[event["type"]] == "succeeded":
            status, answer = call("POST", f"{payment['notify_url']}/paid",
                                  {"payment_id": payment["id"]})
            if status != 200:  # not recorded: Stripe delivers it again
                raise HttpError(502, f"orders answered {status}: {answer}")
    if rows:  # kept with its order's payment, and deleted with it
        db.execute("INSERT INTO webhook_events (id, type, order_id, received_at) VALUES (?, ?, ?, ?)",
                   event.get("id"), event.get("type"), rows[0]["order_id"], shoplib.now())
    return 200, {"received": True, "duplicate": False, "applied": bool(rows)}


@router.route("GET", "/payments")
def list_(req):
    rows = db.query("SELECT * FROM payments WHERE order_id = ?", req.query.get("order_id", ""))
    return 200, {"count": len(rows), "payments": rows}


@router.route("DELETE", "/payments")
def delete(req):
    order_id = req.query.get("order_id", "")
    with db.transaction() as tx:
        tx.execute("DELETE FROM webhook_events WHERE order_id = ?", order_id)
        return 200, {"deleted": tx.execute("DELETE FROM payments WHERE order_id = ?", order_id)}


shoplib.serve(router, args.port)
