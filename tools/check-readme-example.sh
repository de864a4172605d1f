#!/usr/bin/env bash
# The C++ example in README.md must be the tested file examples/store/store_queue_test.cc (from its
# "The store's code under test" comment on), so the README never shows code that does not compile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
marker="^// The store's code under test"
if diff <(sed -n "/$marker/,\$p" "$root/examples/store/store_queue_test.cc") \
        <(sed -n "/$marker/,/^\`\`\`\$/p" "$root/README.md" | sed '$d'); then
  echo "check-readme-example: README example matches examples/store/store_queue_test.cc"
else
  echo "check-readme-example: README.md differs from examples/store/store_queue_test.cc (diff above)" >&2
  exit 1
fi
