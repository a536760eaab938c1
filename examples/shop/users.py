#!/usr/bin/env python3
"""users: accounts. POST /users creates one (e-mail unique, password hashed),
then its profile, its welcome e-mail and a notification, through the other
services; DELETE /users/{id} removes the user from all of them.

  users.py --port=N [--db=URL] [--profiles=URL] [--email=URL] [--notifications=URL]
"""
import hashlib
import re
import secrets

import shoplib
from shoplib import HttpError, Unavailable, call

args = shoplib.arguments("users", lambda p: (
    p.add_argument("--profiles", default=""),
    p.add_argument("--email", default=""),
    p.add_argument("--notifications", default="")))
db = shoplib.Db(args.db, ["""CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    password_hash TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""])
router = shoplib.Router()
PUBLIC = "id, email, name, created_at, updated_at"


def hash_password(password, salt=None):
    """pbkdf2_sha256$ITERATIONS$SALT$HASH, as Django stores them."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 20000).hex()
    return f"pbkdf2_sha256$20000${salt}${digest}"


def check_password(password, stored):
    _, _, salt, _ = stored.split("$")
    return secrets.compare_digest(hash_password(password, salt), stored)


def find(user_id):
    rows = db.query(f"SELECT {PUBLIC} FROM users WHERE id = ?", user_id)
    if not rows:
        raise HttpError(404, f"no user {user_id}")
    return rows[0]


@router.route("POST", "/users")
def create(req):
    email, password = req.field("email").strip().lower(), req.field("password")
    name = req.json.get("name") or email.split("@")[0]
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise HttpError(400, f"`email` is not an e-mail address: {email}", field="email")
    if len(password) < 8:
        raise HttpError(400, "`password` must have at least 8 characters", field="password")
    user = {"id": shoplib.new_id("usr"), "email": email, "name": name,
            "created_at": shoplib.now()}
    user["updated_at"] = user["created_at"]
    with db.transaction() as tx:
        if tx.query("SELECT id FROM users WHERE email = ?", email):
            raise HttpError(409, f"the e-mail address {email} is taken", field="email")
        tx.execute("INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", user["id"], email, name,
                   hash_password(password), user["created_at"], user["updated_at"])
    if args.profiles:
        # A user without a profile is no user: undo the insert when it fails.
        try:
            status, answer = call("POST", f"{args.profiles}/profiles",
                                  {"user_id": user["id"], "display_name": name})
        except Unavailable as e:
            status, answer = 503, {"error": str(e)}
        if status != 201:
            db.execute("DELETE FROM users WHERE id = ?", user["id"])
            raise HttpError(502, f"profiles failed: {answer}")
        user["profile"] = answer
    if args.email:
        # The account exists even when the welcome mail cannot go out: say so.
        try:
            status, answer = call("POST", f"{args.email}/emails", {
                "to": email, "template": "welcome", "user_id": user["id"], "data": {"name": name}})
            user["welcome_email"] = answer.get("status") if status == 201 else "failed"
        except Unavailable:
            user["welcome_email"] = "failed"
    if args.notifications:
        call("POST", f"{args.notifications}/notifications",
             {"user_id": user["id"], "kind": "welcome", "text": f"Welcome, {name}!"})
    return 201, user


@router.route("GET", "/users/{id}")
def get(req):
    return 200, find(req.params["id"])


@router.route("PATCH", "/users/{id}")
def update(req):
    user = find(req.params["id"])
    name = req.field("name")
    user.update(name=name, updated_at=shoplib.now())
    db.execute("UPDATE users SET name = ?, updated_at = ? WHERE id = ?", name, user["updated_at"],
               user["id"])
    return 200, user


@router.route("POST", "/sessions")
def login(req):
    rows = db.query("SELECT id, password_hash FROM users WHERE email = ?",
                    req.field("email").strip().lower())
    if not rows or not check_password(req.field("password"), rows[0]["password_hash"]):
        raise HttpError(401, "wrong e-mail address or password")
    return 200, {"user_id": rows[0]["id"]}


@router.route("DELETE", "/users/{id}")
def delete(req):
    user = find(req.params["id"])
    if args.profiles:
        call("DELETE", f"{args.profiles}/profiles/{user['id']}")
    if args.notifications:
        call("DELETE", f"{args.notifications}/notifications?user_id={user['id']}")
    if args.email:
        call("DELETE", f"{args.email}/emails?user_id={user['id']}")
    db.execute("DELETE FROM users WHERE id = ?", user["id"])
    return 204, None


shoplib.serve(router, args.port)
