#!/usr/bin/env bash
# Prepares a Wine prefix with Wine's BITS service (qmgr) running, for the real backend under Wine
# (issue 8; tools/wine-conformance.sh runs it for CI). Needs: apt-get install g++-mingw-w64-x86-64 wine64.
# Usage: tools/wine-bits-prefix.sh PREFIX_DIR      then run programs with WINEPREFIX=PREFIX_DIR.
#
# Order matters (seen 2026-11-25 on Debian 12, wine 8.0): `net start BITS` straight after wineboot
# fails with "Service database locked"; waiting for the wineserver to go idle first makes it start.
set -euo pipefail
prefix=${1:?usage: wine-bits-prefix.sh PREFIX_DIR}
export WINEPREFIX=$prefix WINEDEBUG=-all
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver64

timeout 300 "$wine" wineboot -i
timeout 120 "$wineserver" -w
timeout 60 "$wine" regsvr32 qmgr.dll
timeout 60 "$wine" net start BITS
echo "wine-bits-prefix: BITS is running in $prefix"
