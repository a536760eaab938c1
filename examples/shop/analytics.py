#!/usr/bin/env python3
"""analytics: consumes order.created (queue analytics.order-created), reports
it to an external collector (POST COLLECTOR/v1/track), records it and
publishes analytics.recorded. A collector that fails is retried with backoff;
after --attempts tries the event is dead-lettered (analytics.order-created.dead).

  analytics.py --port=N --amqp=URL --collector=URL [--db=URL] [--attempts=3] [--backoff=0.2]
"""
import shoplib
from shoplib import Retry, Unavailable, call

args = shoplib.arguments("analytics", lambda p: (
    p.add_argument("--amqp", required=True),
    p.add_argument("--collector", required=True),
    p.add_argument("--attempts", type=int, default=3),
    p.add_argument("--backoff", type=float, default=0.2)))
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS analytics_events (
    id TEXT PRIMARY KEY, event TEXT NOT NULL, order_id TEXT NOT NULL UNIQUE,
    amount INTEGER, recorded_at TEXT NOT NULL)"""])
router = shoplib.Router()


@router.route("GET", "/events")
def list_(req):
    rows = db.query("SELECT * FROM analytics_events WHERE order_id = ?", req.query.get("order_id", ""))
    return 200, {"count": len(rows), "events": rows}


@router.route("DELETE", "/events")
def delete(req):
    return 200, {"deleted": db.execute("DELETE FROM analytics_events WHERE order_id = ?",
                                       req.query.get("order_id", ""))}


def on_order_created(event):
    order_id = event["order_id"]
    if db.query("SELECT id FROM analytics_events WHERE order_id = ?", order_id):
        return  # delivered twice: recorded once
    track = {"event": "order.created", "order_id": order_id, "email": event["email"],
             "amount": event.get("amount")}
    try:
        status, answer = call("POST", f"{args.collector}/v1/track", track)
    except Unavailable as e:
        raise Retry(str(e))
    if status >= 300:
        raise Retry(f"the collector answered {status}: {answer}")
    row = {"id": shoplib.new_id("evt"), "event": "order.created", "order_id": order_id,
           "amount": event.get("amount"), "recorded_at": shoplib.now()}
    db.execute("INSERT INTO analytics_events (id, event, order_id, amount, recorded_at)"
               " VALUES (?, ?, ?, ?, ?)", *row.values())
    bus.publish("analytics.recorded", {"order_id": order_id, "event_id": row["id"]})


bus = shoplib.Bus(args.amqp)
shoplib.serve(router, args.port, background=True)
bus.consume("analytics.order-created", "order.created", on_order_created,
            attempts=args.attempts, backoff=args.backoff)
