#!/usr/bin/env bash
# First bytes of 64 downloads started together, from bitsh-serve as a process of its own (as BITS
# or curl meets it), measured by bench/serve_first_byte's poll() client (issue 17, item 6: every
# first byte within 50 ms). Runs the client twice: against bitsh-serve, and against the same file
# server inside the client's process (where server and client share one process's CPU share).
# SERVE_OPTIONS adds options to bitsh-serve (e.g. "--threads 16 --send-buffer 0").
# Figures only: nothing is asserted.
#   bench/serve_first_byte.sh [BUILD_DIR] [-- CLIENT_OPTIONS...]     e.g. -- --size-kib 64
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/default
if [[ $# -gt 0 && $1 != -- ]]; then build=$1; shift; fi
[[ ${1:-} == -- ]] && shift
# The file bitsh-serve generates must be the size the client expects.
size_kib=4096
arguments=("$@")
for ((i = 0; i < ${#arguments[@]}; ++i)); do
  case ${arguments[i]} in
    --size-kib=*) size_kib=${arguments[i]#*=} ;;
    --size-kib)
      (( i + 1 < ${#arguments[@]} )) || { echo "serve_first_byte.sh: --size-kib needs a value" >&2; exit 2; }
      size_kib=${arguments[i + 1]} ;;
  esac
done

server=
port_file=$(mktemp)
server_errors=$(mktemp)
trap '${server:+kill "$server"} 2> /dev/null || true; rm -f "$port_file" "$server_errors"' EXIT
# Its own session: the kernel's autogroup scheduling then shares the CPU between server and
# client as between two programs. --max-seconds: it stops by itself whatever happens here.
# shellcheck disable=SC2086  # SERVE_OPTIONS is a list of words
setsid "$build/server/bitsh-serve" --port 0 --max-seconds 300 \
  --generate "/first-byte.bin=$((size_kib * 1024)):1" ${SERVE_OPTIONS:-} > "$port_file" 2> "$server_errors" &
server=$!
for _ in $(seq 100); do [[ -s $port_file ]] && break; sleep 0.05; done
port=$(head -n 1 "$port_file" | sed -n 's/.*:\([0-9]*\)$/\1/p')
if [[ -z $port ]]; then
  echo "serve_first_byte.sh: bitsh-serve ($build/server/bitsh-serve) did not start:" >&2
  cat "$server_errors" >&2
  exit 1
fi
echo "== bitsh-serve (pid $server${SERVE_OPTIONS:+, $SERVE_OPTIONS}), port $port"
"$build/bench/serve_first_byte" --port "$port" "$@"
echo "== the same file server in the client's process"
"$build/bench/serve_first_byte" "$@"
