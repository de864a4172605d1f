#!/usr/bin/env python3
"""Prints, test by test, how each backend did in the conformance suite, as a Markdown table.

Usage: tools/fidelity-table.py NAME=JUNIT.xml [NAME=JUNIT.xml ...]
Each file is GoogleTest's --gtest_output=xml; test names are matched without their "/<backend>"
suffix. A cell is "pass", "FAIL" or "skip: <reason>"; a test a backend did not list is "-".
"""
import sys
import xml.etree.ElementTree as ElementTree


def results(path):
    """{test name: cell text} for one JUnit file, in the file's order."""
    cells = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        name = case.get("name").split("/")[0]
        failures = case.findall("failure")
        skipped = case.find("skipped")
        if failures:
            cells[name] = "FAIL"
        elif skipped is not None or case.get("result") == "skipped":
            reason = (skipped.get("message") if skipped is not None else "") or ""
            reason = reason.split("\n")[-1].strip() or reason.strip()
            cells[name] = "skip: " + reason.replace("|", "\\|")
        else:
            cells[name] = "pass"
    return cells


def main(arguments):
    if not arguments or any("=" not in a for a in arguments):
        sys.exit(__doc__)
    backends = [a.split("=", 1) for a in arguments]
    tables = [(name, results(path)) for name, path in backends]
    order = []
    for _, cells in tables:
        order += [test for test in cells if test not in order]
    print("| test | " + " | ".join(name for name, _ in tables) + " |")
    print("|---|" + "---|" * len(tables))
    for test in order:
        print(f"| {test} | " + " | ".join(cells.get(test, "-") for _, cells in tables) + " |")
    totals = []
    for _, cells in tables:
        values = list(cells.values())
        totals.append(f"{len(values)} run: {values.count('pass')} pass, {values.count('FAIL')} fail, "
                      f"{sum(v.startswith('skip') for v in values)} skipped")
    print("| **total** | " + " | ".join(totals) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
