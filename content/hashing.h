// SplitMix64 and Fnv1a: the project's one 64-bit mixer and one stable hash of text. Generated
// content, the fake's job ids and the seeding of its Random draw on SplitMix64; default content
// seeds (scenarios, the conformance suite) come from Fnv1a. Both give the same numbers on every
// platform and compiler, which std::hash does not promise. Cryptographic digests (SHA-256 of bytes,
// of a file, of generated content) are in content/sha256.h.
#pragma once

#include <cstdint>
#include <string_view>

namespace bitsh::content {

// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a
// 64-bit state advanced by a fixed odd gamma, each output a bijective mix of the new state.
class SplitMix64 {
 public:
  // The golden-ratio gamma the state advances by.
  static constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;

  // The finalizer on its own: a bijection of 64-bit values in which every input bit affects every
  // output bit.
  static constexpr std::uint64_t Mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  explicit constexpr SplitMix64(std::uint64_t state) : state_(state) {}

  constexpr std::uint64_t Next() {
    state_ += kGamma;
    return Mix(state_);
  }

 private:
  std::uint64_t state_;
};

// 64-bit FNV-1a of the bytes of `text`.
constexpr std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return hash;
}

}  // namespace bitsh::content
