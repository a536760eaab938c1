#!/usr/bin/env python3
"""shipping: a shipment, with a tracking number, for each paid order.

  shipping.py --port=N [--db=URL]
"""
import secrets

import shoplib
from shoplib import HttpError

args = shoplib.arguments("shipping")
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS shipments (
    id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, tracking_number TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL)"""])
router = shoplib.Router()


@router.route("POST", "/shipments")
def create(req):
    order_id = req.field("order_id")
    with db.transaction() as tx:
        rows = tx.query("SELECT * FROM shipments WHERE order_id = ?", order_id)
        if rows:  # asked twice for one order: one shipment
            return 200, rows[0]
        s = {"id": shoplib.new_id("shp"), "order_id": order_id,
             "tracking_number": "TRK" + secrets.token_hex(5).upper(), "status": "label_created",
             "created_at": shoplib.now()}
        tx.execute("INSERT INTO shipments (id, order_id, tracking_number, status, created_at)"
                   " VALUES (?, ?, ?, ?, ?)", *s.values())
    return 201, s


@router.route("GET", "/shipments")
def list_(req):
    rows = db.query("SELECT * FROM shipments WHERE order_id = ?", req.query.get("order_id", ""))
    return 200, {"count": len(rows), "shipments": rows}


@router.route("DELETE", "/shipments")
def delete(req):
    if not req.query.get("order_id"):
        raise HttpError(400, "give order_id")
    return 200, {"deleted": db.execute("DELETE FROM shipments WHERE order_id = ?",
                                       req.query["order_id"])}


shoplib.serve(router, args.port)
