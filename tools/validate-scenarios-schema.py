#!/usr/bin/env python3
"""Validates scenario files against scenarios/schema.json (python3-jsonschema, python3-yaml).

Usage: validate-scenarios-schema.py SCHEMA FILE... [--expect-invalid FILE...]
Every FILE must validate; every file after --expect-invalid must not (the schema must be able to fail).
"""
import json
import sys

import jsonschema
import yaml


def main(argv):
    schema_path, rest = argv[1], argv[2:]
    valid, invalid = (rest[:rest.index("--expect-invalid")], rest[rest.index("--expect-invalid") + 1:]) \
        if "--expect-invalid" in rest else (rest, [])
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    for path in valid + invalid:
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if path in valid and errors:
            failures += 1
            for error in errors:
                print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
        if path in invalid and not errors:
            failures += 1
            print(f"{path}: expected the schema to reject it, but it validated")
    print(f"validate-scenarios-schema: {len(valid)} valid, {len(invalid)} rejected as expected, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
