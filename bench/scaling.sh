#!/usr/bin/env bash
# How the fake's cost grows with the work (issue 17, item 7): the jobs, transfers and virtual-days
# workloads of bench/scaling.cc at three or four sizes each, one process per run, with wall time
# and peak RSS, as a Markdown table for docs/performance.md. Figures only: nothing is asserted.
# "days 14 1000" is issue 17's item 4 workload: 1,000 retrying jobs for 14 virtual days.
#   bench/scaling.sh [--instructions] [SCALING_BINARY]
# --instructions runs each workload a second time under valgrind's callgrind and adds the
# instructions each job or event cost: a count that does not move with the machine's load, so
# that a growth in it is work that grows, and a growth in time alone is memory the caches no
# longer hold. It needs valgrind (apt-get install valgrind) and takes a few minutes.
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(...) stops the script too
root=$(cd "$(dirname "$0")/.." && pwd)
instructions=false
if [[ ${1:-} == --instructions ]]; then
  instructions=true
  shift
  for tool in valgrind callgrind_annotate; do
    command -v "$tool" > /dev/null || { echo "scaling.sh: --instructions needs $tool (apt-get install valgrind)" >&2; exit 2; }
  done
fi
scaling=${1:-$root/build/default/bench/scaling}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The instructions of one call of the workload function $1 (bench/scaling.cc), callees included,
# from callgrind's profile $2. Stops the script when the profile does not name the function.
instructions_in() {
  local count
  count=$(callgrind_annotate --inclusive=yes --threshold=100 "$2" | awk -v name="::$1(" \
    'index($0, name) && index($0, " [") && !found { found = 1; gsub(",", "", $1); print $1 }')
  if [[ ! $count =~ ^[0-9]+$ ]]; then
    echo "scaling.sh: callgrind's profile has no $1" >&2
    exit 1
  fi
  echo "$count"
}

# "1234.5" as "1.23 k" and so on: three significant digits.
short() { awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%.3g M", n / 1e6; else if (n >= 1e3) printf "%.3g k", n / 1e3; else printf "%.3g", n }'; }

# The instructions column of run "$1" (its kind and size), whose output is in $2.
instructions_of() {
  local run=$1 output=$2 profile=$work/callgrind.out
  if ! valgrind --tool=callgrind --callgrind-out-file="$profile" "$scaling" $run > /dev/null 2> "$work/valgrind.err"; then
    echo "scaling.sh: '$run' failed under callgrind:" >&2
    cat "$work/valgrind.err" >&2
    exit 1
  fi
  local count=${run#* }
  count=${count%% *}
  case ${run%% *} in
    jobs)
      local create enumerate validate
      create=$(instructions_in CreateJobs "$profile")
      enumerate=$(instructions_in EnumerateJobs "$profile")
      validate=$(instructions_in ValidateJobs "$profile")
      printf 'create %s, enumerate %s, validate %s per job' "$(short $((create / count)))" \
        "$(short $((enumerate / count)))" "$(short $((validate / count)))" ;;
    *)  # transfers and days: the engine's instructions per event (and per job for transfers, two
        # events each after the first two)
      local events run_events
      events=$(grep -o -E '[0-9]+ events' "$output" | cut -d ' ' -f 1)
      if [[ ! $events =~ ^[1-9][0-9]*$ ]]; then
        echo "scaling.sh: '$run' printed no count of events" >&2
        exit 1
      fi
      run_events=$(instructions_in RunEvents "$profile")
      printf '%s per event' "$(short $((run_events / events)))"
      if [[ ${run%% *} == transfers ]]; then printf ', %s per job' "$(short $((run_events / count)))"; fi ;;
  esac
}

if $instructions; then
  echo "| workload | size | wall (process) | peak RSS | figures | instructions (callgrind) |"
  echo "|---|---|---|---|---|---|"
else
  echo "| workload | size | wall (process) | peak RSS | figures |"
  echo "|---|---|---|---|---|"
fi
for run in "jobs 1000" "jobs 10000" "jobs 100000" \
           "transfers 1" "transfers 10" "transfers 100" "transfers 1000" \
           "days 1" "days 14" "days 90" "days 14 1000"; do
  out=$work/out
  measured=$( { /usr/bin/time -f "%e %M" "$scaling" $run > "$out"; } 2>&1 | tail -n 1)
  printf '| %s | %s | %s s | %.1f MiB | %s |' "${run%% *}" "${run#* }" "${measured% *}" \
    "$(awk "BEGIN {print ${measured#* } / 1024}")" "$(sed 's/^[a-z]* [0-9]*: //' "$out")"
  if $instructions; then
    column=$(instructions_of "$run" "$out")
    printf ' %s |' "$column"
  fi
  printf '\n'
done
