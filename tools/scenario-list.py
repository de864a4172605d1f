#!/usr/bin/env python3
"""Writes, or checks, the list of bundled scenarios in docs/scenarios.md (python3-yaml).

Usage: scenario-list.py LIBRARY_DIR DOC [--write]
The list sits between the lines "<!-- scenario-list:begin -->" and "<!-- scenario-list:end -->"
of DOC: one row per scenario file of LIBRARY_DIR, with its name and summary. Without --write, the
list in DOC must equal what the library gives (exit 1 naming the first difference), so the list
the README promises cannot fall behind the library; with --write, DOC's list is replaced.
"""
import pathlib
import sys

import yaml

BEGIN = "<!-- scenario-list:begin -->"
END = "<!-- scenario-list:end -->"


def cell(text):
    """Text for one table cell: one line, with | escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def table(library):
    rows = ["| file | name | what it shows |", "|---|---|---|"]
    for path in sorted(library.glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            scenario = yaml.safe_load(handle)
        rows.append(f"| `{path.name}` | {cell(scenario.get('name', ''))} | {cell(scenario.get('summary', ''))} |")
    return "\n".join(rows) + "\n"


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--write"):
        print(__doc__, file=sys.stderr)
        return 2
    library, doc = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    text = doc.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{doc}: no '{BEGIN}' ... '{END}' block", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    current, tail = rest.split(END, 1)
    wanted = "\n" + table(library)
    if len(argv) == 4:
        doc.write_text(head + BEGIN + wanted + END + tail, encoding="utf-8")
        return 0
    if current != wanted:
        have, want = current.splitlines(), wanted.splitlines()
        for number, (a, b) in enumerate(zip(have + [""] * len(want), want + [""] * len(have))):
            if a != b:
                print(f"{doc}: the scenario list differs from {library} at row {number}:\n  doc:     {a}\n  library: {b}\n"
                      f"run: tools/scenario-list.py {library} {doc} --write", file=sys.stderr)
                return 1
        print(f"{doc}: the scenario list differs from {library} in blank lines or line ends\n"
              f"run: tools/scenario-list.py {library} {doc} --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
