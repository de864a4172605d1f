#!/usr/bin/env bash
# Installs the Debian 12 packages bits-harness builds with. Safe to run again; uses sudo when not root.
set -euo pipefail

packages=(
  cmake ninja-build g++ lld      # toolchain (lld: the faster linker the build uses when present)
  libgtest-dev libgmock-dev      # GoogleTest / GoogleMock: every test suite
  libbenchmark-dev               # Google Benchmark: speed targets live in benchmarks, not tests
  nlohmann-json3-dev             # JSON: the fake's persisted snapshot (and trace output)
  libcpp-httplib-dev libssl-dev  # cpp-httplib: the local HTTP file server and the fake's HTTP transport
  libyaml-cpp-dev                # yaml-cpp: scenario files
  libcli11-dev                   # CLI11: the bitsh command line
  libexpat1-dev                  # expat: tests parse the SVG plot and JUnit reports as XML
  python3-jsonschema python3-yaml  # the test that scenarios/schema.json matches the bundled scenarios
  g++-mingw-w64-x86-64 googletest  # the real BITS backend and its conformance suite, cross-built for Windows
  wine64                         # ...run against Wine's BITS (conformance.wine_bits, docs/fidelity.md)
  clang libclang-rt-14-dev       # libFuzzer: the fuzz targets in fuzz/ (preset fuzz)
)

sudo_if_needed=()
if [[ $(id -u) -ne 0 ]]; then sudo_if_needed=(sudo); fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
"${sudo_if_needed[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
