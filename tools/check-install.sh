#!/usr/bin/env bash
# Usage: check-install.sh BUILD_DIR [CXX_FLAGS] [LINKER_FLAGS]   (flags of that build, e.g. sanitizers)
# Installs the build tree given as $1 into a temporary prefix, then configures, builds and runs
# examples/consumer against it, as a partner's project would. Used by ctest (label: packaging).
set -euo pipefail
build_dir=$1
cxx_flags=${2:-}
linker_flags=${3:-}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir/examples/consumer" -B "$work/build" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$cxx_flags" \
      -DCMAKE_EXE_LINKER_FLAGS="$linker_flags" > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log"

good="::WMP_JOB:1:42:Contoso:Artist:Album:1:Title:60:75"
"$work/build/lint_description" "$good"
if "$work/build/lint_description" "::WMP_JOB:1:0:Contoso:A:B:1:T:60:75"; then
  echo "check-install: a zero serviceId was accepted" >&2
  exit 1
fi
echo "check-install: installed package builds and runs a consumer"

# A store partner's project: certification of its queuer and the conformance suite, via ctest.
cmake -S "$source_dir/examples/partner" -B "$work/partner" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$cxx_flags" \
      -DCMAKE_EXE_LINKER_FLAGS="$linker_flags" -DCMAKE_SHARED_LINKER_FLAGS="$linker_flags" \
      -DCMAKE_MODULE_LINKER_FLAGS="$linker_flags" > "$work/partner-configure.log"
cmake --build "$work/partner" > "$work/partner-build.log"
ctest --test-dir "$work/partner" --output-on-failure
grep -q 'Result: PASSED' "$work/partner/certification.md"
echo "check-install: the partner project certifies its queuer and runs the conformance suite"
