#!/usr/bin/env bash
# Usage: check-install.sh BUILD_DIR [CXX_FLAGS] [LINKER_FLAGS]   (flags of that build, e.g. sanitizers)
# Installs the build tree given as $1 into a temporary prefix, then configures, builds and runs
# examples/consumer against it, as a partner's project would; before that, checks that the fake's
# internal headers are not installed and that each installed fake header compiles on its own.
# Used by ctest (label: packaging).
set -euo pipefail
build_dir=$1
cxx_flags=${2:-}
linker_flags=${3:-}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"

# The fake's public headers, and only they, are installed, and each compiles on its own against
# the installed package: none includes an internal header (fake/CMakeLists.txt lists them).
for internal in fake_job.h job_state_machine.h scheduler.h fake_backend.h snapshot_reader.h; do
  if [[ -e $work/prefix/include/bitsh/fake/$internal ]]; then
    echo "check-install: the fake's internal header $internal was installed" >&2
    exit 1
  fi
done
mkdir -p "$work/headers"
count=0
for header in "$work/prefix/include/bitsh/fake/"*.h; do
  name=$(basename "$header" .h)
  printf '#include "fake/%s.h"  // alone: everything it needs must come with it\n' "$name" > "$work/headers/$name.cc"
  count=$((count + 1))
done
cat > "$work/headers/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(bitsh_fake_public_headers LANGUAGES CXX)
find_package(bitsh REQUIRED)
file(GLOB sources ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
add_library(fake_public_headers OBJECT ${sources})
target_link_libraries(fake_public_headers PRIVATE bitsh::fake)
CMAKE
cmake -S "$work/headers" -B "$work/headers-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_CXX_FLAGS="$cxx_flags" > "$work/headers-configure.log"
if ! cmake --build "$work/headers-build" > "$work/headers-build.log" 2>&1; then
  cat "$work/headers-build.log" >&2
  echo "check-install: an installed fake header does not compile on its own" >&2
  exit 1
fi
echo "check-install: the $count installed fake headers each compile on their own"

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
