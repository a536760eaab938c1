#!/usr/bin/env python3
"""check_report.py SUITES_DIR REPORT.json [--order FILE...]: the shop suites'
JSON report holds every suite of SUITES_DIR (in name order, or in the order
given), each test of each suite (by its name in the TOML file) passed, none
skipped, the five examples and every failure path present, and no secret
value of the suites in it. Prints the bench
line: the wall time, the time spent opening resources (starting the
services), the RabbitMQ share of it, the time in tests, and the rest (closing
resources: stopping the services)."""
import json
import os
import re
import sys
import tomllib

suites_dir, report_path = sys.argv[1], sys.argv[2]
order = sys.argv[sys.argv.index("--order") + 1:] if "--order" in sys.argv else None
report = json.load(open(report_path))
errors = []

files = order or sorted(os.path.join(suites_dir, f) for f in os.listdir(suites_dir) if f.endswith(".toml"))
expected = {os.path.basename(f): tomllib.load(open(f, "rb")) for f in files}
got = [os.path.basename(s["file"]) for s in report["suites"]]
if got != [os.path.basename(f) for f in files]:
    errors.append(f"suites in the report: {got}, expected {[os.path.basename(f) for f in files]}")

total = 0
for s in report["suites"]:
    toml = expected.get(os.path.basename(s["file"]))
    if toml is None:
        continue
    names = [t["name"] for t in toml.get("test", [])]
    total += len(names)
    got_names = [t["name"] for t in s["tests"]]
    if got_names != names:
        errors.append(f"{s['file']}: tests {got_names}, expected {names}")
    for t in s["tests"]:
        if t["status"] != "passed":
            errors.append(f"{s['file']}: '{t['name']}' is {t['status']}")
    opened = [x["name"] for x in s["setup"] if x["name"].startswith("open resource ")]
    if sorted(opened) != sorted("open resource " + r for r in toml.get("resources", {})):
        errors.append(f"{s['file']}: resources opened {opened}, expected {list(toml.get('resources', {}))}")
    if s["status"] != "passed":
        errors.append(f"{s['file']}: the suite is {s['status']}")

summary = report["summary"]
if (summary.get("passed"), summary.get("failed"), summary.get("skipped")) != (total, 0, 0):
    errors.append(f"summary {summary}, expected {total} passed, 0 failed, 0 skipped")
tags = {t for s in report["suites"] for t in s.get("tags", [])}
for example in ("example1", "example2", "example3", "example4", "example5"):
    if example not in tags:
        errors.append(f"no suite tagged {example}")
tests = [t["name"] for s in report["suites"] for t in s["tests"] if t["status"] == "passed"]
for path in (r"email service is down.*once it is back", r"declined card", r"more than the stock",
             r"slowly.*504", r"answers 500 twice", r"bad signature", r"dead-lettered",
             r"retried with backoff by both consumers", r"no row written by this run is left"):
    if not any(re.search(path, t) for t in tests):
        errors.append(f"no passed test matches /{path}/")

# Secrets of the suites ({ value = ..., secret = true }) never reach the report.
text = open(report_path).read()
for name, toml in expected.items():
    for var, v in toml.get("vars", {}).items():
        if isinstance(v, dict) and v.get("secret") and v.get("value") and v["value"] in text:
            errors.append(f"the secret {var} of {name} is in the report")

for e in errors:
    print(f"check_report: {e}", file=sys.stderr)

opening = rabbit = tests_ms = 0.0
for s in report["suites"]:
    opening += sum(x["duration_ms"] for x in s["setup"])
    rabbit += sum(x["duration_ms"] for x in s["setup"] if x["name"] in ("open resource rabbit", "open resource epmd"))
    if s["tests"]:
        tests_ms += max(t["start_ms"] + t["duration_ms"] for t in s["tests"]) - min(t["start_ms"] for t in s["tests"])
wall = report["duration_ms"]
print(f"bench: {summary.get('passed', 0)} tests in {len(report['suites'])} suites, wall {wall / 1000:.1f} s:"
      f" starting services {opening / 1000:.1f} s (RabbitMQ {rabbit / 1000:.1f} s),"
      f" tests {tests_ms / 1000:.1f} s, stopping services and the rest {(wall - opening - tests_ms) / 1000:.1f} s")
sys.exit(1 if errors else 0)
