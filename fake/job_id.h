// MakeJobId: the fake's job ids. An id is a pure function of (seed, creation number), so runs with
// the same seed, and a service before and after a restart, agree on them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "backend/job_types.h"
#include "content/hashing.h"

namespace bitsh::fake {

// The id of the `number`-th job created under `seed`: 128 bits of SplitMix64 shaped as a
// version-4 GUID, as BITS's own ids are.
inline JobId MakeJobId(std::uint64_t seed, std::uint64_t number) {
  content::SplitMix64 generator(seed ^ (number * content::SplitMix64::kGamma));
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t half = 0; half < 2; ++half) {
    const std::uint64_t word = generator.Next();
    for (std::size_t i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<std::uint8_t>(word >> (8 * i));
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // the RFC 4122 variant
  return JobId(bytes);
}

}  // namespace bitsh::fake
