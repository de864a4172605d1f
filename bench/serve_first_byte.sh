#!/usr/bin/env bash
# First bytes of 64 downloads started together, from bitsh-serve as a process of its own (as BITS
# or curl meets it), measured by bench/serve_first_byte's poll() client (issue 17, item 6: every
# first byte within 50 ms). Runs the client twice: against bitsh-serve, and against the same file
# server inside the client's process (where server and client share one process's CPU share).
# Figures only: nothing is asserted.
#   bench/serve_first_byte.sh [BUILD_DIR] [-- CLIENT_OPTIONS...]     e.g. -- --size-kib 64
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/default
if [[ $# -gt 0 && $1 != -- ]]; then build=$1; shift; fi
[[ ${1:-} == -- ]] && shift
size_kib=4096
for ((i = 1; i <= $#; ++i)); do
  [[ ${!i} == --size-kib ]] && { next=$((i + 1)); size_kib=${!next}; }
done

port_file=$(mktemp)
trap 'kill "$server" 2> /dev/null || true; rm -f "$port_file"' EXIT
# Its own session: the kernel's autogroup scheduling then shares the CPU between server and
# client as between two programs. --max-seconds: it stops by itself whatever happens here.
setsid "$build/server/bitsh-serve" --port 0 --max-seconds 300 \
  --generate "/first-byte.bin=$((size_kib * 1024)):1" ${SERVE_OPTIONS:-} > "$port_file" 2> /dev/null &
server=$!
for _ in $(seq 100); do [[ -s $port_file ]] && break; sleep 0.05; done
port=$(head -n 1 "$port_file" | sed 's/.*://')
echo "== bitsh-serve (pid $server, default workers), port $port"
"$build/bench/serve_first_byte" --port "$port" "$@"
echo "== the same file server in the client's process"
"$build/bench/serve_first_byte" "$@"
