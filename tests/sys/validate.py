#!/usr/bin/python3
"""Validate a JSON document against an ipctune JSON Schema (draft
2020-12) with Debian's python3-jsonschema.  Usage: validate.py SCHEMA
DOCUMENT ("-" for stdin).  Exit 0 if valid, 1 with the errors if not,
2 if the schema itself is invalid or a file cannot be read."""
import json
import sys

from jsonschema import Draft202012Validator


def main():
    if len(sys.argv) != 3:
        print("usage: validate.py SCHEMA DOCUMENT", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        if sys.argv[2] == "-":
            doc = json.load(sys.stdin)
        else:
            with open(sys.argv[2], encoding="utf-8") as f:
                doc = json.load(f)
        Draft202012Validator.check_schema(schema)
    except Exception as e:  # unreadable file, bad JSON, bad schema
        print("validate.py: %s" % e, file=sys.stderr)
        return 2
    errors = sorted(Draft202012Validator(schema).iter_errors(doc),
                    key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        path = "/".join(str(p) for p in e.absolute_path) or "(document)"
        print("%s: %s" % (path, e.message), file=sys.stderr)
    return 1 if errors else 0


sys.exit(main())
