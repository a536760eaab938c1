#!/usr/bin/env python3
"""inventory: stock per SKU, with prices. POST /reservations takes the stock
an order needs, all of it or none (409 when a SKU is short);
DELETE /reservations/{order_id} gives it back.

  inventory.py --port=N [--db=URL]
"""
import shoplib
from shoplib import HttpError

args = shoplib.arguments("inventory")
db = shoplib.Db(args.db, [
    """CREATE TABLE IF NOT EXISTS stock (
    sku TEXT PRIMARY KEY, quantity INTEGER NOT NULL, price INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS reservations (
    order_id TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (order_id, sku))"""])
router = shoplib.Router()


@router.route("PUT", "/stock/{sku}")
def put_stock(req):
    sku, quantity, price = req.params["sku"], req.field("quantity", int), req.field("price", int)
    with db.transaction() as tx:
        tx.execute("DELETE FROM stock WHERE sku = ?", sku)
        tx.execute("INSERT INTO stock (sku, quantity, price) VALUES (?, ?, ?)", sku, quantity, price)
    return 200, {"sku": sku, "quantity": quantity, "price": price}


@router.route("GET", "/stock/{sku}")
def get_stock(req):
    rows = db.query("SELECT * FROM stock WHERE sku = ?", req.params["sku"])
    if not rows:
        raise HttpError(404, f"no SKU {req.params['sku']}")
    return 200, rows[0]


@router.route("DELETE", "/stock/{sku}")
def delete_stock(req):
    return 200, {"deleted": db.execute("DELETE FROM stock WHERE sku = ?", req.params["sku"])}


@router.route("POST", "/reservations")
def reserve(req):
    order_id, items = req.field("order_id"), req.field("items", list)
    amount = 0
    with db.transaction() as tx:  # all or nothing
        for item in items:
            rows = tx.query("SELECT quantity, price FROM stock WHERE sku = ?", item["sku"])
            available = rows[0]["quantity"] if rows else 0
            if available < item["quantity"]:
                raise HttpError(409, f"out of stock: {item['sku']}", sku=item["sku"],
                                available=available, wanted=item["quantity"])
            tx.execute("UPDATE stock SET quantity = quantity - ? WHERE sku = ?", item["quantity"],
                       item["sku"])
            tx.execute("INSERT INTO reservations (order_id, sku, quantity, created_at)"
                       " VALUES (?, ?, ?, ?)", order_id, item["sku"], item["quantity"], shoplib.now())
            amount += rows[0]["price"] * item["quantity"]
    return 201, {"order_id": order_id, "amount": amount, "items": items}


@router.route("GET", "/reservations/{order_id}")
def get_reservation(req):
    rows = db.query("SELECT sku, quantity FROM reservations WHERE order_id = ?",
                    req.params["order_id"])
    return 200, {"order_id": req.params["order_id"], "count": len(rows), "items": rows}


@router.route("DELETE", "/reservations/{order_id}")
def release(req):
    with db.transaction() as tx:
        rows = tx.query("SELECT sku, quantity FROM reservations WHERE order_id = ?",
                        req.params["order_id"])
        for r in rows:
            tx.execute("UPDATE stock SET quantity = quantity + ? WHERE sku = ?", r["quantity"], r["sku"])
        tx.execute("DELETE FROM reservations WHERE order_id = ?", req.params["order_id"])
    return 200, {"released": len(rows)}


shoplib.serve(router, args.port)
