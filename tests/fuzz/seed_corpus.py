#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/ from the example and test
suites (suites/, tests/**/*.toml): whole suite files for `suite`, and for the
other targets the parts of them each one reads (paths, ${...} strings, expect
tables, the paths a step reads with an output, the `with` of http/sql/queue
steps, resource URLs). Files are named
by their content's hash, so running it again adds no duplicates; inputs that
once crashed a target (named crash-*) are kept.

    tests/fuzz/seed_corpus.py
"""
import hashlib
import json
import pathlib
import re
import tomllib

root = pathlib.Path(__file__).resolve().parents[2]
out = root / "tests" / "fuzz" / "corpus"
sources = sorted(set(root.glob("suites/*.toml")) | set(root.glob("tests/**/*.toml")))
seeds = {t: set() for t in ["suite", "interpolate", "json_path", "expect", "projection", "http", "sql", "queue"]}
docs = [
    {"status": 200, "json": {"id": 7, "items": [{"id": 1, "name": "a"}], "email": "a@b.c"},
        "headers": {"content-type": "application/json"}, "body": "{\"id\": 7}"},
    {"rows": [{"id": 1, "email": "x@y"}], "count": 1, "affected": 1, "last_id": 1},
    {"messages": [{"json": {"id": "ord_1"}, "body": "x", "headers": {"h": 1}}], "count": 1},
]


def walk(v, fn):
    fn(v)
    if isinstance(v, dict):
        for x in v.values():
            walk(x, fn)
    elif isinstance(v, list):
        for x in v:
            walk(x, fn)


def steps(doc):
    found = [doc.get(section, []) for section in ("setup", "teardown")]
    for test in doc.get("test", []):
        if isinstance(test, dict):
            found += [test.get(section, []) for section in ("steps", "cleanup")]
    for group in found:
        if isinstance(group, list):
            yield from (s for s in group if isinstance(s, dict))


def plain(v):
    return json.loads(json.dumps(v, default=str))


for path in sources:
    raw = path.read_bytes()
    if len(raw) <= 8192:
        seeds["suite"].add(raw)
    try:
        doc = tomllib.loads(raw.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        continue

    def strings(v):
        if isinstance(v, str) and "${" in v:
            seeds["interpolate"].add(v.encode())
            for ref in re.findall(r"\$\{([^}]*)\}", v):
                seeds["json_path"].add(ref.split(":-")[0].encode())
    walk(doc, strings)
    resources = doc.get("resources", {})
    for name, res in (resources.items() if isinstance(resources, dict) else []):
        if isinstance(res, dict) and res.get("plugin") == "queue" and isinstance(res.get("url"), str):
            seeds["queue"].add(res["url"].encode())
    for step in steps(doc):
        use, given = step.get("use", ""), plain(step.get("with", {}))
        expect = plain(step.get("expect", {}))
        if not isinstance(given, dict) or not isinstance(expect, dict):
            continue
        for key in expect:
            seeds["json_path"].add(key.encode())
        if expect:
            d = docs[len(seeds["expect"]) % len(docs)]
            seeds["expect"].add(json.dumps({"expect": expect, "doc": d}).encode())
        # projection: the paths expect and save read, a NUL, an output.
        save = plain(step.get("save", {}))
        paths = list(expect) + [v for v in (save.values() if isinstance(save, dict) else []) if isinstance(v, str)]
        if paths:
            d = docs[len(seeds["projection"]) % len(docs)]
            seeds["projection"].add("\n".join(paths).encode() + b"\0" + json.dumps(d).encode())
        if use == "http.request":
            seeds["http"].add(json.dumps(given).encode())
        elif use in ("sql.query", "sql.exec"):
            if use == "sql.exec":
                given["exec"] = True
            seeds["sql"].add(json.dumps(given).encode())
        elif use == "queue.publish":
            seeds["queue"].add(json.dumps(given).encode())

for target, items in seeds.items():
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    for item in items:
        (d / hashlib.sha1(item).hexdigest()).write_bytes(item)
    print(f"{target}: {len(list(d.iterdir()))} files")
