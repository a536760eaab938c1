#!/usr/bin/env python3
"""orders: takes an order, reserves its stock (inventory), charges it
(payments), publishes order.created (with --amqp) and, once payments says the
order is paid, ships it (shipping). A dependency that does not answer within
--timeout seconds makes POST /orders answer 504 and undo what it started.

  orders.py --port=N --inventory=URL [--payments=URL] [--shipping=URL] [--amqp=URL]
            [--timeout=5] [--db=URL]
"""
import json

import shoplib
from shoplib import HttpError, Unavailable, call

args = shoplib.arguments("orders", lambda p: (
    p.add_argument("--inventory", required=True),
    p.add_argument("--payments", default=""),
    p.add_argument("--shipping", default=""),
    p.add_argument("--amqp", default=""),
    p.add_argument("--timeout", type=float, default=5.0)))
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, items TEXT NOT NULL, amount INTEGER NOT NULL,
    currency TEXT NOT NULL, status TEXT NOT NULL, payment_id TEXT, decline_code TEXT,
    tracking_number TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""])
bus = shoplib.Bus(args.amqp) if args.amqp else None
router = shoplib.Router()


def depend(name, method, url, body=None):
    """A call to a dependency; 504 when it is too slow, 503 when it is down."""
    try:
        return call(method, url, body, timeout=args.timeout)
    except Unavailable as e:
        status = 504 if "timed out" in str(e) else 503
        raise HttpError(status, f"{name} unavailable: {e}", dependency=name)


def find(order_id):
    rows = db.query("SELECT * FROM orders WHERE id = ?", order_id)
    if not rows:
        raise HttpError(404, f"no order {order_id}")
    return dict(rows[0], items=json.loads(rows[0]["items"]))


def update(order_id, **fields):
    fields["updated_at"] = shoplib.now()
    db.execute(f"UPDATE orders SET {', '.join(k + ' = ?' for k in fields)} WHERE id = ?",
               *fields.values(), order_id)
    return find(order_id)


@router.route("POST", "/orders")
def create(req):
    email, items = req.field("email"), req.field("items", list)
    if not all(isinstance(i, dict) and isinstance(i.get("sku"), str) and
               isinstance(i.get("quantity"), int) and i["quantity"] > 0 for i in items):
        raise HttpError(400, "`items` must be a list of {sku, quantity > 0}", field="items")
    order_id, currency = shoplib.new_id("ord"), req.json.get("currency", "usd")
    try:
        status, reservation = depend("inventory", "POST", f"{args.inventory}/reservations",
                                     {"order_id": order_id, "items": items})
    except HttpError:
        # It may have reserved the stock after all, and only its answer is late.
        try:
            call("DELETE", f"{args.inventory}/reservations/{order_id}", timeout=0.2)
        except Unavailable:
            pass
        raise
    if status == 409:
        raise HttpError(409, reservation["error"], sku=reservation.get("sku"),
                        available=reservation.get("available"))
    if status != 201:
        raise HttpError(502, f"inventory answered {status}: {reservation}", dependency="inventory")
    created = shoplib.now()
    db.execute("INSERT INTO orders (id, email, items, amount, currency, status, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, 'pending_payment', ?, ?)", order_id, email, json.dumps(items),
               reservation["amount"], currency, created, created)
    if bus:
        bus.publish("order.created", {"order_id": order_id, "email": email, "items": items,
                                      "amount": reservation["amount"], "currency": currency})
    if req.json.get("payment_method") and args.payments:
        status, answer = depend("payments", "POST", f"{args.payments}/payments", {
            "order_id": order_id, "amount": reservation["amount"], "currency": currency,
            "payment_method": req.json["payment_method"],
            "notify_url": f"http://127.0.0.1:{args.port}/orders/{order_id}"})
        payment = answer.get("payment", answer)
        if status == 402:  # declined: the stock goes back on the shelf
            depend("inventory", "DELETE", f"{args.inventory}/reservations/{order_id}")
            order = update(order_id, status="payment_failed", payment_id=payment["id"],
                           decline_code=payment["decline_code"])
            raise HttpError(402, answer["error"], order=order)
        if status != 201:
            raise HttpError(502, f"payments answered {status}: {answer}", dependency="payments")
        update(order_id, payment_id=payment["id"])
    return 201, find(order_id)


@router.route("POST", "/orders/{id}/paid")
def paid(req):
    order = find(req.params["id"])
    if order["status"] == "paid":
        return 200, order
    tracking = None
    if args.shipping:
        status, shipment = depend("shipping", "POST", f"{args.shipping}/shipments",
                                  {"order_id": order["id"]})
        if status not in (200, 201):
            raise HttpError(502, f"shipping answered {status}: {shipment}", dependency="shipping")
        tracking = shipment["tracking_number"]
    return 200, update(order["id"], status="paid", tracking_number=tracking)


@router.route("GET", "/orders/{id}")
def get(req):
    return 200, find(req.params["id"])


@router.route("DELETE", "/orders/{id}")
def delete(req):
    order_id = req.params["id"]
    depend("inventory", "DELETE", f"{args.inventory}/reservations/{order_id}")
    if args.payments:
        depend("payments", "DELETE", f"{args.payments}/payments?order_id={order_id}")
    if args.shipping:
        depend("shipping", "DELETE", f"{args.shipping}/shipments?order_id={order_id}")
    db.execute("DELETE FROM orders WHERE id = ?", order_id)
    return 204, None


shoplib.serve(router, args.port)
