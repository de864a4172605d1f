#!/usr/bin/env bash
# Wall time of `bitsh sweep` over a 1 MiB download cut at every 4 KiB offset on its first and on
# its second GET (257 offsets x 2 requests = 514 runs, each a whole machine: server, fake, files),
# as the median of N runs. The goal (issue 16) is under 10 s on a 2-core machine. Figures only:
# nothing here is asserted.
#   bench/sweep.sh [BITSH] [-n RUNS] [-j JOBS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
jobs=$(nproc)
bitsh="$root/build/default/cli/bitsh"
while [[ $# -gt 0 ]]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    *) bitsh=$1; shift ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/one_track.yaml" <<'YAML'
name: one track, swept
server: {files: [{path: /a.wma, size: 1MiB}]}
jobs: [{id: track, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}]
expect: [{job: track, state: ACKNOWLEDGED}, {file: a.wma, same_as: /a.wma}]
YAML

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
walls=""
for ((run = 0; run < runs; ++run)); do
  # bitsh prints its own wall time on its last line: "514 of 514 points passed, 0 failed (3.18s wall)".
  last=$("$bitsh" sweep "$work/one_track.yaml" --at 0..END --step 4KiB --request 1..2 -j "$jobs" | tail -n 1)
  [[ $last == "514 of 514 points passed"* ]] || { echo "bench/sweep.sh: unexpected result: $last" >&2; exit 1; }
  walls+="$(sed -E 's/.*\(([0-9.]+)s wall\).*/\1/' <<< "$last") "
done
wall=$(tr ' ' '\n' <<< "$walls" | grep . | median)
printf 'sweep of 1 MiB, every 4 KiB x GET 1..2 (514 runs, -j %s): median wall %.2f s of %s runs (goal < 10 s)\n' \
  "$jobs" "$wall" "$runs"
