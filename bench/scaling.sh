#!/usr/bin/env bash
# How the fake's cost grows with the work (issue 17, item 7): the jobs, transfers and virtual-days
# workloads of bench/scaling.cc at three or four sizes each, one process per run, with wall time
# and peak RSS, as a Markdown table for docs/performance.md. Figures only: nothing is asserted.
# "days 14 1000" is issue 17's item 4 workload: 1,000 retrying jobs for 14 virtual days.
#   bench/scaling.sh [SCALING_BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scaling=${1:-$root/build/default/bench/scaling}

echo "| workload | size | wall (process) | peak RSS | figures |"
echo "|---|---|---|---|---|"
for run in "jobs 1000" "jobs 10000" "jobs 100000" \
           "transfers 1" "transfers 10" "transfers 100" "transfers 1000" \
           "days 1" "days 14" "days 90" "days 14 1000"; do
  out=$(mktemp)
  measured=$( { /usr/bin/time -f "%e %M" "$scaling" $run > "$out"; } 2>&1 | tail -n 1)
  printf '| %s | %s | %s s | %.1f MiB | %s |\n' "${run%% *}" "${run#* }" "${measured% *}" \
    "$(awk "BEGIN {print ${measured#* } / 1024}")" "$(sed 's/^[a-z]* [0-9]*: //' "$out")"
  rm -f "$out"
done
