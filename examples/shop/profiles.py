#!/usr/bin/env python3
"""profiles: a user's public profile, created by the users service.

  profiles.py --port=N [--db=URL]
"""
import shoplib
from shoplib import HttpError

args = shoplib.arguments("profiles")
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS profiles (
    user_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, bio TEXT NOT NULL,
    created_at TEXT NOT NULL)"""])
router = shoplib.Router()


@router.route("POST", "/profiles")
def create(req):
    profile = {"user_id": req.field("user_id"), "display_name": req.field("display_name"),
               "bio": req.json.get("bio", ""), "created_at": shoplib.now()}
    with db.transaction() as tx:
        if tx.query("SELECT user_id FROM profiles WHERE user_id = ?", profile["user_id"]):
            raise HttpError(409, f"user {profile['user_id']} has a profile")
        tx.execute("INSERT INTO profiles (user_id, display_name, bio, created_at) VALUES (?, ?, ?, ?)",
                   *profile.values())
    return 201, profile


@router.route("GET", "/profiles/{user_id}")
def get(req):
    rows = db.query("SELECT * FROM profiles WHERE user_id = ?", req.params["user_id"])
    if not rows:
        raise HttpError(404, f"no profile for user {req.params['user_id']}")
    return 200, rows[0]


@router.route("DELETE", "/profiles/{user_id}")
def delete(req):
    return 200, {"deleted": db.execute("DELETE FROM profiles WHERE user_id = ?", req.params["user_id"])}


shoplib.serve(router, args.port)
