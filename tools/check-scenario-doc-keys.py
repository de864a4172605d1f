#!/usr/bin/env python3
"""Checks that docs/scenarios.md names every key scenarios/schema.json knows.

Usage: check-scenario-doc-keys.py SCHEMA DOC
A key counts as named when it appears as a word inside `code` or a ``` block of DOC (`retry_delay`,
`drops: [time...]`, `{name, folder}`). The schema is the loader's mirror (its own test holds them
together), so a key added to the loader and the schema but not to the reference fails here.
"""
import json
import re
import sys


def schema_keys(node, keys):
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            keys.update(node["properties"].keys())
        for value in node.values():
            schema_keys(value, keys)
    elif isinstance(node, list):
        for value in node:
            schema_keys(value, keys)
    return keys


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        keys = schema_keys(json.load(handle), set())
    with open(argv[2], encoding="utf-8") as handle:
        doc = handle.read()
    words = set()
    for code in re.findall(r"```.*?```", doc, re.S) + re.findall(r"`([^`\n]*)`", doc):
        words.update(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", code))
    missing = sorted(keys - words)
    if missing:
        print(f"{argv[2]}: keys of {argv[1]} the reference does not name: {', '.join(missing)}", file=sys.stderr)
        return 1
    print(f"check-scenario-doc-keys: all {len(keys)} keys of the schema are in {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
