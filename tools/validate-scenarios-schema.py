#!/usr/bin/env python3
"""Validates scenario files against scenarios/schema.json (python3-jsonschema, python3-yaml).

Usage: validate-scenarios-schema.py SCHEMA [--units-table TABLE] FILE... [--expect-invalid FILE...]
Every FILE must validate; every file after --expect-invalid must not (the schema must be able to fail).
With --units-table, each row "KIND | TEXT | VALUE" of TABLE (scenarios/testdata/units_table.txt)
must match the schema's $defs/KIND exactly when VALUE is not "no": the loader's test reads the same
table, so the schema's unit patterns and the loader cannot drift apart.
"""
import json
import sys

import jsonschema
import yaml


def check_units_table(schema, table_path):
    """Problems with the schema's unit patterns against the table, one line each."""
    problems = []
    with open(table_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            kind, text, value = (field.strip() for field in line.split("|"))
            validator = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"})
            accepted = validator.is_valid(text)
            if accepted != (value != "no"):
                verdict = "accepts" if accepted else "rejects"
                problems.append(f"{table_path}:{number}: schema.json {verdict} {kind} '{text}'; the table says {value}")
    return problems


def main(argv):
    schema_path, rest = argv[1], argv[2:]
    table = None
    if "--units-table" in rest:
        at = rest.index("--units-table")
        table, rest = rest[at + 1], rest[:at] + rest[at + 2:]
    valid, invalid = (rest[:rest.index("--expect-invalid")], rest[rest.index("--expect-invalid") + 1:]) \
        if "--expect-invalid" in rest else (rest, [])
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    if table:
        problems = check_units_table(schema, table)
        failures += len(problems)
        for problem in problems:
            print(problem)
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
