#!/usr/bin/env bash
# Runs a command with a `bitsh-serve --control` on loopback, its URL in BITSH_FILE_SERVER: how the
# conformance suite reaches a file server it cannot host (the Windows build under Wine), and how
# ctest checks that path on Linux. The server stops when the command ends (and after 1 h at most).
# Usage: tools/with-file-server.sh BITSH_SERVE [--log FILE] -- COMMAND [ARGS...]
#   --log FILE  keep the server's request log (every HEAD/GET the backend sent) in FILE
# Exit status: the command's.
set -euo pipefail
serve=${1:?usage: with-file-server.sh BITSH_SERVE [--log FILE] -- COMMAND...}
shift
log=/dev/null
if [[ ${1:-} == --log ]]; then log=$2; shift 2; fi
[[ ${1:-} == -- ]] || { echo "with-file-server: expected -- before the command" >&2; exit 2; }
shift

url_file=$(mktemp)
"$serve" --control --max-seconds 3600 >"$url_file" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$url_file"' EXIT
for _ in $(seq 100); do
  [[ -s $url_file ]] && break
  kill -0 "$server" 2>/dev/null || { echo "with-file-server: $serve did not start" >&2; exit 2; }
  sleep 0.05
done
BITSH_FILE_SERVER=$(head -1 "$url_file")
[[ $BITSH_FILE_SERVER == http://* ]] || { echo "with-file-server: no URL from $serve" >&2; exit 2; }
export BITSH_FILE_SERVER
echo "with-file-server: $BITSH_FILE_SERVER" >&2
status=0
"$@" || status=$?
exit "$status"
