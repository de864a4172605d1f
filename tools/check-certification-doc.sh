#!/usr/bin/env bash
# docs/certification.md, run exactly as written: its C++ block is examples/store/contoso_queuer.cc
# (from the #include on), its YAML block is a manifest that loads, and its command line, typed in a
# folder holding the built module as libmy_queuer.so, certifies it and writes the three reports.
# Usage: check-certification-doc.sh BITSH_BINARY CONTOSO_QUEUER_MODULE
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
doc="$root/docs/certification.md"
bitsh=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
module=$2

from_file=$(sed -n '/^#include/,$p' "$root/examples/store/contoso_queuer.cc")
from_doc=$(sed -n '/^```cpp$/,/^```$/p' "$doc" | sed '1d;$d' | sed -n '1,/^extern "C"/p')
if ! diff <(echo "$from_file") <(echo "$from_doc"); then
  echo "check-certification-doc: the C++ block differs from examples/store/contoso_queuer.cc (diff above)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -n '/^```yaml$/,/^```$/p' "$doc" | sed '1d;$d' > "$work/purchase.yaml"
cp "$module" "$work/libmy_queuer.so"
command_line=$(grep -m1 '^bitsh certify ' "$doc")
echo "check-certification-doc: running '$command_line' in a folder with libmy_queuer.so"
mkdir -p "$work/bin" && ln -s "$bitsh" "$work/bin/bitsh"
(cd "$work" && PATH="$work/bin:$PATH" bash -c "$command_line" > run.log 2>&1) || {
  cat "$work/run.log" >&2
  echo "check-certification-doc: the documented command failed" >&2
  exit 1
}
for report in cert.md cert.html cert.xml; do
  [[ -s $work/$report ]] || { echo "check-certification-doc: $report was not written" >&2; exit 1; }
done
grep -q '^\*\*Result: PASSED\*\*' "$work/cert.md" || { cat "$work/cert.md" >&2; exit 1; }
echo "check-certification-doc: docs/certification.md works as written"
