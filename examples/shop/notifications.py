#!/usr/bin/env python3
"""notifications: the in-app messages a user sees (a welcome note on sign-up).

  notifications.py --port=N [--db=URL]
"""
import shoplib

args = shoplib.arguments("notifications")
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS notifications (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    created_at TEXT NOT NULL)"""])
router = shoplib.Router()


@router.route("POST", "/notifications")
def create(req):
    n = {"id": shoplib.new_id("ntf"), "user_id": req.field("user_id"), "kind": req.field("kind"),
         "text": req.field("text"), "created_at": shoplib.now()}
    db.execute("INSERT INTO notifications (id, user_id, kind, text, created_at) VALUES (?, ?, ?, ?, ?)",
               *n.values())
    return 201, n


@router.route("GET", "/notifications")
def list_(req):
    rows = db.query("SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at",
                    req.query.get("user_id", ""))
    return 200, {"count": len(rows), "notifications": rows}


@router.route("DELETE", "/notifications")
def delete(req):
    return 200, {"deleted": db.execute("DELETE FROM notifications WHERE user_id = ?",
                                       req.query.get("user_id", ""))}


shoplib.serve(router, args.port)
