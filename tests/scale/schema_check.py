"""Validates suites against the JSON Schema `seam schema` wrote, with a real
validator (python3-jsonschema, Draft 7), the TOML read by tomllib.

usage: schema_check.py SCHEMA.json valid|invalid SUITE.toml...
Prints each file's first problems; exit 1 when any file's verdict is not the
expected one. An invalid file says which problem the schema must find in a
comment: `# schema: PATH: MESSAGE` (a part of the validator's message).
"""
import json
import sys
import tomllib

import jsonschema

schema_path, want, files = sys.argv[1], sys.argv[2], sys.argv[3:]
schema = json.load(open(schema_path))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
bad = 0
for path in files:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    found = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
             for e in errors]
    for line in found[:3]:
        print("%s: %s" % (path, line[:300]))
    if (want == "valid") != (not errors):
        bad += 1
        print("%s: expected %s, found %d problems" % (path, want, len(errors)))
    elif want == "invalid":
        with open(path, encoding="utf-8") as f:
            wanted = [l[len("# schema: "):].rstrip("\n") for l in f if l.startswith("# schema: ")]
        if not wanted or not all(any(w in line for line in found) for w in wanted):
            bad += 1
            print("%s: the problem %r is not among those found" % (path, wanted))
print("%d of %d files as expected" % (len(files) - bad, len(files)))
sys.exit(1 if bad else 0)
