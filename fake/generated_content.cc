#include "fake/generated_content.h"

namespace bitsh::fake {
namespace {

// One 64-bit mix per 8-byte word, so random access costs O(1) and reading is fast.
std::uint64_t MixWord(std::uint64_t seed, std::uint64_t word_index) {
  std::uint64_t z = seed ^ (word_index * 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::uint8_t GeneratedByte(std::uint64_t seed, std::uint64_t offset) {
  return static_cast<std::uint8_t>(MixWord(seed, offset / 8) >> ((offset % 8) * 8));
}

std::string GeneratedBytes(std::uint64_t seed, std::uint64_t offset, std::uint64_t length) {
  std::string bytes(length, '\0');
  for (std::uint64_t i = 0; i < length; ++i) {
    bytes[i] = static_cast<char>(GeneratedByte(seed, offset + i));
  }
  return bytes;
}

}  // namespace bitsh::fake
