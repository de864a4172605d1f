#!/usr/bin/env bash
# Usage: check-docs-stand-alone.sh [SOURCE_DIR]
# The repository is read by people who have only the repository: no file may cite the team's
# private notes by path (they cite Microsoft's pages and Wine's tests by name), and the CHANGELOG
# must have a section for the version the build carries (project() in CMakeLists.txt).
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
# The team's notes folder, spelt with a bracket so that this line does not match itself.
private='s[h]ared/'
# grep: 0 found some, 1 found none, 2 could not read something (which must not pass as "none").
found=0
hits=$(grep -rlE "$private" "$root" --exclude-dir=build --exclude-dir=.git) || found=$?
if [[ $found -eq 0 ]]; then
  echo "check-docs-stand-alone: these files cite a path outside the repository:" >&2
  echo "$hits" >&2
  exit 1
elif [[ $found -ne 1 ]]; then
  echo "check-docs-stand-alone: grep could not read the whole tree (exit $found)" >&2
  exit 1
fi
version=$(sed -n 's/^project(bitsh VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
if [[ -z $version ]] || ! grep -qF "## $version " "$root/CHANGELOG.md"; then
  echo "check-docs-stand-alone: CHANGELOG.md has no '## $version' section for the project's version" >&2
  exit 1
fi
echo "check-docs-stand-alone: no private paths cited; CHANGELOG.md covers version $version"
