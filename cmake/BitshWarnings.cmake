# bitsh_set_warnings(target): the project's warning set, applied to every target we build.
function(bitsh_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
    if(BITSH_WERROR)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    # -Wno-missing-field-initializers: option structs (ServerFault, FakeOptions) default every
    # field and are meant to be written with designated initializers; GCC 12 warns on those.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wno-sign-conversion -Wno-missing-field-initializers)
    if(BITSH_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# bitsh_add_library(name SOURCES...): a library of this project with its bitsh:: alias,
# the repository root as include root (installed: include/bitsh) and the warning set.
function(bitsh_add_library name)
  add_library(bitsh_${name} ${ARGN})
  add_library(bitsh::${name} ALIAS bitsh_${name})
  set_target_properties(bitsh_${name} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME bitsh_${name})
  # Installed: <bitsh/fake/fake_service.h> for partners, "fake/fake_service.h" as the headers
  # include one another (README, "find_package").
  target_include_directories(bitsh_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/bitsh>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(bitsh_${name} PUBLIC cxx_std_20)
  bitsh_set_warnings(bitsh_${name})
endfunction()

# bitsh_keep_inlining(target): for the libraries whose speed the benchmarks measure and whose
# unity units are large (the fake's engine and transports, the file server). GCC caps how much
# inlining may grow a translation unit (--param inline-unit-growth, 40 % by default); a unity unit
# of sixteen files reaches that cap where one file did not, and the small string and container
# functions stop being inlined: the 14-day retry loop ran 4.7 % more instructions in a unity
# build. With the cap at 100 % it runs 3 % fewer than one file a unit did; the libraries' compile
# time moved less than this machine's spread (docs/performance.md, "Build time").
function(bitsh_keep_inlining target)
  get_target_property(unity ${target} UNITY_BUILD)
  if(unity AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE --param=inline-unit-growth=100)
  endif()
endfunction()

# GoogleTest's and gMock's headers are most of what a test file parses, so every test binary
# reuses one precompiled header of them (and of the standard headers tests use most). It is built
# once, by an executable with the same flags as the tests (a PCH is only used with the flags it
# was made with: -fPIE, warnings, standard). Figures: docs/performance.md, "Build time".
option(BITSH_PRECOMPILED_HEADERS "Precompile GoogleTest/gMock for the test binaries" ON)
set(BITSH_TEST_PCH_HEADERS <gmock/gmock.h> <gtest/gtest.h> <chrono> <filesystem> <functional> <map> <memory>
    <optional> <string> <vector>)

# Test code is compiled without optimisation and with line-table debug info only: what it checks
# runs in the libraries, which keep the build type's flags, and a test binary's own code (gMock's
# matchers, the TEST bodies) is mostly code the optimiser works hard on for nothing. -O0 takes
# about 0.6 of the time of -O1 for a unit of test files (docs/performance.md, "Build time"). Not
# in Debug builds (the sanitizer preset), already -O0.
function(bitsh_set_test_flags target)
  if(NOT MSVC AND CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Release)$")
    target_compile_options(${target} PRIVATE -O0 -g1)
  endif()
endfunction()

# Code whose speed nobody measures - argument parsing, the conformance suite's test bodies, the
# certification kit's checks, the protocol's JSON on both ends, bitshd's dispatch - is compiled at
# -O1 in optimised builds: about 0.7 of -O2's compile time for the same unit, and a clean build's
# wall time is mostly code generation (docs/performance.md, "Build time"). What the benchmarks and
# the bundled scenarios' speed depend on (the fake, the server, the simulated machine, the
# scenario runner, content) keeps -O2. GCC's -O1 sees uninitialised std::optional members where
# there are none (-Wmaybe-uninitialized, a known false positive of GCC 12), so that warning is off
# for these targets; -O2 builds of the same code keep it.
function(bitsh_cold_code target)
  if(NOT MSVC AND CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Release)$")
    target_compile_options(${target} PRIVATE -O1)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
  endif()
endfunction()

function(bitsh_reuse_test_pch target)
  if(NOT BITSH_PRECOMPILED_HEADERS)
    return()
  endif()
  if(NOT TARGET bitsh_test_pch)
    add_executable(bitsh_test_pch ${PROJECT_SOURCE_DIR}/cmake/test_pch_main.cc)
    target_link_libraries(bitsh_test_pch PRIVATE GTest::gmock GTest::gtest)
    bitsh_set_warnings(bitsh_test_pch)
    bitsh_set_test_flags(bitsh_test_pch)
    target_precompile_headers(bitsh_test_pch PRIVATE ${BITSH_TEST_PCH_HEADERS})
  endif()
  target_precompile_headers(${target} REUSE_FROM bitsh_test_pch)
endfunction()

# bitsh_add_test(name SOURCES... LIBS libs...): one GoogleTest binary registered with ctest.
function(bitsh_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  bitsh_set_warnings(${name})
  bitsh_set_test_flags(${name})
  bitsh_reuse_test_pch(${name})
  # Listed when ctest runs, not after each link: the build does not wait on running every test
  # binary once (about 11 job seconds of a clean build; docs/performance.md, "Build time").
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 DISCOVERY_MODE PRE_TEST)
endfunction()
