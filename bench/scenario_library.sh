#!/usr/bin/env bash
# Wall time and peak RSS of `bitsh run` over the bundled scenarios and over many_jobs.yaml alone
# (300 jobs), as medians of N runs; with two binaries, runs them in pairs (A, B, A, B, ...) so
# both see the same machine load, and prints B/A. Figures only: nothing here is asserted.
#   bench/scenario_library.sh [BITSH_A [BITSH_B]] [-n RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
binaries=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    *) binaries+=("$1"); shift ;;
  esac
done
[[ ${#binaries[@]} -eq 0 ]] && binaries=("$root/build/default/cli/bitsh")

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

for target in "$root/scenarios/library" "$root/scenarios/library/many_jobs.yaml"; do
  declare -A walls=() rss=()
  for ((run = 0; run < runs; ++run)); do
    for index in "${!binaries[@]}"; do
      # A failing scenario (exit 1) still gives a figure: this measures cost, not correctness.
      measured=$( { /usr/bin/time -f "%e %M" "${binaries[$index]}" run "$target" > /dev/null || true; } 2>&1 | tail -n 1)
      walls[$index]+="${measured% *} "
      rss[$index]+="${measured#* } "
    done
  done
  echo "$(basename "$target") (median of $runs runs)"
  for index in "${!binaries[@]}"; do
    wall=$(tr ' ' '\n' <<< "${walls[$index]}" | grep . | median)
    peak=$(tr ' ' '\n' <<< "${rss[$index]}" | grep . | median)
    printf '  %-50s wall %6.2f s   peak RSS %8.1f MiB\n' "${binaries[$index]}" "$wall" "$(awk "BEGIN {print $peak / 1024}")"
    eval "wall_$index=$wall; peak_$index=$peak"
  done
  if [[ ${#binaries[@]} -eq 2 ]]; then
    awk "BEGIN {printf \"  B/A: wall %.2f, peak RSS %.3f\n\", $wall_1 / $wall_0, $peak_1 / $peak_0}"
  fi
  unset walls rss
done
