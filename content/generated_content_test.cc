#include "content/generated_content.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace bitsh::content {
namespace {

TEST(GeneratedContentTest, AnyRangeEqualsTheSameBytesReadOneByOne) {
  for (std::uint64_t offset : {0ull, 1ull, 7ull, 8ull, 13ull, 4096ull, (1ull << 32) + 5}) {
    for (std::uint64_t length : {0ull, 1ull, 7ull, 8ull, 9ull, 100ull}) {
      const std::string bytes = GeneratedBytes(42, offset, length);
      ASSERT_EQ(bytes.size(), length);
      for (std::uint64_t i = 0; i < length; ++i) {
        ASSERT_EQ(static_cast<std::uint8_t>(bytes[i]), GeneratedByte(42, offset + i))
            << "offset " << offset << " + " << i;
      }
    }
  }
}

TEST(GeneratedContentTest, DifferentSeedsGiveDifferentContent) {
  EXPECT_NE(GeneratedBytes(1, 0, 64), GeneratedBytes(2, 0, 64));
  EXPECT_EQ(GeneratedBytes(1, 0, 64), GeneratedBytes(1, 0, 64));
}

std::string Hex(const std::string& bytes) {
  std::string hex;
  for (char c : bytes) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", static_cast<unsigned char>(c));
    hex += pair;
  }
  return hex;
}

// A size and a seed name a file in scenarios and reports, so the bytes are a file format: these
// golden values must never change (a change would silently alter every shared scenario's files).
TEST(GeneratedContentTest, TheBytesAreAStableFormat) {
  EXPECT_EQ(Hex(GeneratedBytes(7, 0, 8)), "14df177b2330ae12");
  EXPECT_EQ(Hex(GeneratedBytes(20261125, 1000003, 8)), "0894f83a1dad170e");
}

}  // namespace
}  // namespace bitsh::content

#include "content/sha256.h"

namespace bitsh::content {
namespace {

TEST(Sha256Test, MatchesTheStandardTestVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, GeneratedDigestEqualsTheDigestOfTheBytes) {
  EXPECT_EQ(GeneratedSha256Hex(5, 3'000'001), Sha256Hex(GeneratedBytes(5, 0, 3'000'001)));
  EXPECT_FALSE(FileSha256Hex("/nonexistent/file").has_value());
}

}  // namespace
}  // namespace bitsh::content
