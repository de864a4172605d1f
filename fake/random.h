// Random: a seeded xoshiro256** generator, for workloads drawn from one seed (the determinism
// tests' randomized runs). The fake itself uses no generator: its seeded choices - the job ids
// (fake/job_id.h) and, when FakeOptions::packet_loss is set, which segments are lost - are pure
// functions of FakeOptions::seed and what they are about, and every other fault is data given to
// it.
//
// Implemented here (not std::uniform_int_distribution) because the standard distributions differ
// between library implementations, and the same seed must give the same run everywhere.
#pragma once

#include <cstdint>

#include "content/hashing.h"

namespace bitsh::fake {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    // splitmix64 spreads the seed over the 256-bit state, as the xoshiro authors recommend.
    content::SplitMix64 spread(seed);
    for (std::uint64_t& word : state_) word = spread.Next();
  }

  std::uint64_t Next() {
    const std::uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound). REQUIRES: bound > 0. (Modulo bias is below 2^-40 for our bounds.)
  std::uint64_t Uniform(std::uint64_t bound) { return Next() % bound; }

  // True with probability 1/denominator. REQUIRES: denominator > 0.
  bool OneIn(std::uint64_t denominator) { return Uniform(denominator) == 0; }

 private:
  static std::uint64_t RotateLeft(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace bitsh::fake
