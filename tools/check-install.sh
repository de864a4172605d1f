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

# No empty folder, and what a user reads and runs is there.
empty=$(find "$work/prefix" -type d -empty)  # set -e: a find that fails stops the check
if [[ -n $empty ]]; then
  echo "check-install: empty folders installed: $empty" >&2
  exit 1
fi
for shared in share/bitsh/README.md share/bitsh/CHANGELOG.md share/bitsh/docs/scenarios.md \
              share/bitsh/scenarios/schema.json share/bitsh/scenarios/library/clean_download.yaml; do
  if [[ ! -f $work/prefix/$shared ]]; then
    echo "check-install: $shared was not installed" >&2
    exit 1
  fi
done
"$work/prefix/bin/bitsh" check "$work/prefix/share/bitsh/scenarios/library" > "$work/library-check.log"
echo "check-install: docs, schema and the scenario library are under share/bitsh and check clean"

# One component, on a machine with none of the other components' dependencies: finding GoogleTest,
# yaml-cpp, cpp-httplib (through pkg-config), OpenSSL or nlohmann_json would fail here. The
# <bitsh/...> include form works.
mkdir -p "$work/wmp-only"
cat > "$work/wmp-only/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(bitsh_wmp_only LANGUAGES CXX)
find_package(bitsh REQUIRED COMPONENTS wmp)
add_executable(lint main.cc)
target_link_libraries(lint PRIVATE bitsh::wmp)
CMAKE
cat > "$work/wmp-only/main.cc" <<'CC'
#include <bitsh/wmp/convention.h>
int main(int argc, char** argv) {
  return argc == 2 && !bitsh::wmp::HasErrors(bitsh::wmp::ParseDescription(argv[1]).findings) ? 0 : 1;
}
CC
cmake -S "$work/wmp-only" -B "$work/wmp-only-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_CXX_FLAGS="$cxx_flags" -DCMAKE_EXE_LINKER_FLAGS="$linker_flags" \
      -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON \
      -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON \
      -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON > "$work/wmp-only-configure.log"
cmake --build "$work/wmp-only-build" > "$work/wmp-only-build.log"
"$work/wmp-only-build/lint" "::WMP_JOB:1:42:Contoso:Artist:Album:1:Title:60:75"
if "$work/wmp-only-build/lint" "::WMP_JOB:1:0:Contoso:A:B:1:T:60:75"; then
  echo "check-install: the wmp-only consumer accepted a zero serviceId" >&2
  exit 1
fi
echo "check-install: find_package(bitsh COMPONENTS wmp) needs none of the other components' dependencies"

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
