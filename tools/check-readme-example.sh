#!/usr/bin/env bash
# The C++ example in README.md must be the tested file examples/store/store_queue_test.cc (from its
# "The store's code under test" comment on), so the README never shows code that does not compile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
marker="^// The store's code under test"
from_file=$(sed -n "\\#$marker#,\$p" "$root/examples/store/store_queue_test.cc")
from_readme=$(sed -n "\\#$marker#,\\#^\`\`\`\$#p" "$root/README.md" | sed '$d')
if [[ -z $from_file ]]; then
  echo "check-readme-example: marker not found in examples/store/store_queue_test.cc" >&2
  exit 1
fi
if diff <(echo "$from_file") <(echo "$from_readme"); then
  echo "check-readme-example: README example matches examples/store/store_queue_test.cc"
else
  echo "check-readme-example: README.md differs from examples/store/store_queue_test.cc (diff above)" >&2
  exit 1
fi
