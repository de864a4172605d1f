#include "content/generated_content.h"

#include <cstdio>
#include <cstring>

namespace bitsh::content {
namespace {

// One 64-bit mix per 8-byte word: random access is O(1) and sequential reads run at memory speed.
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

void FillGenerated(std::uint64_t seed, std::uint64_t offset, char* out, std::size_t length) {
  std::size_t i = 0;
  // Head and tail byte by byte; whole words in between, little-endian as GeneratedByte defines.
  while (i < length && (offset + i) % 8 != 0) {
    out[i] = static_cast<char>(GeneratedByte(seed, offset + i));
    ++i;
  }
  for (; i + 8 <= length; i += 8) {
    const std::uint64_t word = MixWord(seed, (offset + i) / 8);
    for (int b = 0; b < 8; ++b) out[i + b] = static_cast<char>(word >> (8 * b));
  }
  for (; i < length; ++i) out[i] = static_cast<char>(GeneratedByte(seed, offset + i));
}

std::string GeneratedBytes(std::uint64_t seed, std::uint64_t offset, std::uint64_t length) {
  std::string bytes(length, '\0');
  FillGenerated(seed, offset, bytes.data(), bytes.size());
  return bytes;
}

}  // namespace bitsh::content
