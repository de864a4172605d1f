#!/usr/bin/env bash
# The C++ examples in README.md must be the tested files they name, from each file's marker
# comment on, so the README never shows code that does not compile or does not pass:
#   examples/store/store_queue_test.cc  from "// The store's code under test"
#   examples/store/http_drop_test.cc    from "// A dropped connection, over loopback HTTP"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
check() {
  local file=$1 marker=$2
  local from_file from_readme
  from_file=$(sed -n "\\#^$marker#,\$p" "$root/$file")
  from_readme=$(sed -n "\\#^$marker#,\\#^\`\`\`\$#p" "$root/README.md" | sed '$d')
  if [[ -z $from_file ]]; then
    echo "check-readme-example: marker not found in $file" >&2
    status=1
  elif diff <(echo "$from_file") <(echo "$from_readme"); then
    echo "check-readme-example: README example matches $file"
  else
    echo "check-readme-example: README.md differs from $file (diff above)" >&2
    status=1
  fi
}
check examples/store/store_queue_test.cc "// The store's code under test"
check examples/store/http_drop_test.cc "// A dropped connection, over loopback HTTP"
exit $status
