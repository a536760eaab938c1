#!/usr/bin/env python3
"""Writes workload W1 for every runner bench/http/run measures, into OUT_DIR:

  seam.toml        1,000 tests of 2 http.request steps (the figure)
  seam-flat.toml   the same 2,000 steps as one test (a second seam figure)
  curl.cfg         one curl config: 2,000 requests joined by `next`
  stepci.yml       a Step CI workflow: 1,000 tests of 2 steps, concurrency 1
  postman.json     a Postman collection of the 2 requests, for `newman -n 1000`
  newman-data.json the 1,000 request bodies as Newman iteration data (`-d`)

W1, one iteration: POST /users with a JSON body, save `json.user_id` from the
201, GET /users/{that id}, expect status 200 and the same `user_id` back.
The base URL comes from the environment at run time (BENCH_URL), except for
curl, which cannot read it: its config gets the URL written in.

  gen_workload.py OUT_DIR BASE_URL [ITERATIONS]
"""
import json
import os
import sys


def body(i):
    return {"name": "Bench User %d" % i, "email": "bench-%d@example.com" % i, "plan": "free"}


def seam_suite(n, flat):
    out = [
        "# W1: POST /users, save json.user_id, GET /users/${id}, check status and user_id.",
        "[suite]",
        'name = "http W1"',
        "",
        "[vars]",
        'base = "${env.BENCH_URL}"',
        "",
    ]
    steps = []
    for i in range(1, n + 1):
        b = ", ".join('%s = "%s"' % (k, v) for k, v in body(i).items())
        steps.append(
            "[[test.steps]]\n"
            'use = "http.request"\n'
            'with = { method = "POST", url = "${base}/users", json = { %s } }\n'
            'expect = { status = 201, "json.created" = true }\n'
            'save = { id = "json.user_id" }\n'
            "\n"
            "[[test.steps]]\n"
            'use = "http.request"\n'
            'with = { method = "GET", url = "${base}/users/${id}" }\n'
            'expect = { status = 200, "json.user_id" = "${id}" }\n' % b)
    if flat:
        out.append('[[test]]\nname = "W1, %d iterations in one test"\n' % n)
        out.append("\n".join(steps))
    else:
        for i, s in enumerate(steps, 1):
            out.append('[[test]]\nname = "iteration %d"\n\n%s' % (i, s))
    return "\n".join(out) + "\n"


def curl_config(n, base):
    # A config line's value is a quoted string: escape backslashes and quotes.
    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    blocks = []
    for i in range(1, n + 1):
        blocks.append("\n".join([
            "url = " + q(base + "/users"),
            'header = "Content-Type: application/json"',
            "data-raw = " + q(json.dumps(body(i), separators=(",", ":"))),
            'output = "/dev/null"',
            "fail",
        ]))
        # curl cannot save a value from one response for the next request: the
        # ceiling reads back an id of the same form instead (nginx answers any).
        blocks.append("\n".join([
            "url = " + q(base + "/users/u_%d" % i),
            'output = "/dev/null"',
            "fail",
        ]))
    return "\nnext\n".join(blocks) + "\n"


def stepci_workflow(n):
    # JSON is YAML, and it keeps this free of a YAML dependency.
    tests = {}
    for i in range(1, n + 1):
        tests["iteration_%d" % i] = {
            "steps": [
                {
                    "name": "create",
                    "http": {
                        "url": "${{env.url}}/users",
                        "method": "POST",
                        "json": body(i),
                        "captures": {"id": {"jsonpath": "$.user_id"}},
                        "check": {"status": 201, "jsonpath": {"$.created": True}},
                    },
                },
                {
                    "name": "read back",
                    "http": {
                        "url": "${{env.url}}/users/${{captures.id}}",
                        "method": "GET",
                        "check": {"status": 200, "jsonpath": {"$.user_id": "${{captures.id}}"}},
                    },
                },
            ]
        }
    workflow = {
        "version": "1.1",
        "name": "http W1",
        # Step CI runs a workflow's tests all at once unless told otherwise;
        # W1 is sequential.
        "config": {"concurrency": 1},
        "tests": tests,
    }
    return json.dumps(workflow, indent=1) + "\n"


def postman_collection():
    create_tests = [
        "pm.test('created', function () {",
        "  pm.response.to.have.status(201);",
        "  const b = pm.response.json();",
        "  pm.expect(b.created).to.eql(true);",
        "  pm.collectionVariables.set('id', b.user_id);",
        "});",
    ]
    read_tests = [
        "pm.test('read back', function () {",
        "  pm.response.to.have.status(200);",
        "  pm.expect(pm.response.json().user_id).to.eql(pm.collectionVariables.get('id'));",
        "});",
    ]
    return json.dumps({
        "info": {
            "name": "http W1",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "variable": [{"key": "id", "value": ""}],
        "item": [
            {
                "name": "create",
                "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": create_tests}}],
                "request": {
                    "method": "POST",
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": {
                        "mode": "raw",
                        "raw": '{"name":"{{name}}","email":"{{email}}","plan":"{{plan}}"}',
                    },
                    "url": "{{url}}/users",
                },
            },
            {
                "name": "read back",
                "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": read_tests}}],
                "request": {"method": "GET", "url": "{{url}}/users/{{id}}"},
            },
        ],
    }, indent=1) + "\n"


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    out, base = sys.argv[1], sys.argv[2].rstrip("/")
    n = int(sys.argv[3]) if len(sys.argv) == 4 else 1000
    files = {
        "seam.toml": seam_suite(n, flat=False),
        "seam-flat.toml": seam_suite(n, flat=True),
        "curl.cfg": curl_config(n, base),
        "stepci.yml": stepci_workflow(n),
        "postman.json": postman_collection(),
        # Newman's own way to vary a request per iteration: one data row each
        # (`-d`), as cheap as the other runners' literal bodies.
        "newman-data.json": json.dumps([body(i) for i in range(1, n + 1)]) + "\n",
    }
    os.makedirs(out, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
