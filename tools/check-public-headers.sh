#!/usr/bin/env bash
# Usage: check-public-headers.sh SOURCE_DIR ROOM HEADER...
# Fails when one of the room's public headers (the HEADER names, relative to ROOM/) includes one of
# the room's internal headers (any ROOM/*.h not in the list), or names a header that does not
# exist. Internal headers are not installed, so such an include would break a partner's build.
# Used by ctest (fake.public_headers); the list comes from fake/CMakeLists.txt.
set -euo pipefail
source_dir=$1
room=$2
shift 2
declare -A public=()
for header in "$@"; do public[$header]=1; done

status=0
for header in "$@"; do
  path="$source_dir/$room/$header"
  if [[ ! -f $path ]]; then
    echo "check-public-headers: $room/$header is listed as public but does not exist" >&2
    status=1
    continue
  fi
  while IFS=: read -r line directive; do
    included=${directive#*\"$room/}
    included=${included%%\"*}
    if [[ -z ${public[$included]:-} ]]; then
      echo "check-public-headers: $room/$header:$line includes $room/$included, which is internal" \
           "(not installed; forward-declare what the public header needs)" >&2
      status=1
    fi
  done < <(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$room/" "$path" || true)
done
if [[ $status -eq 0 ]]; then
  echo "check-public-headers: the $# public headers of $room/ include no internal header"
fi
exit $status
