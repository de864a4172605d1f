// FUZZ_CHECK: an invariant of a fuzz target. A fuzzer reports only crashes, so a broken promise
// must crash: it prints what was expected and aborts, which libFuzzer and the replay driver both
// report together with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                   \
  do {                                                                                          \
    if (!(condition)) {                                                                         \
      std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)
