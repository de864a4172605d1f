#include "content/generated_content.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "backend/testing/scratch_folder.h"

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

TEST(MismatchWithGeneratedTest, AFileWithTheGeneratedBytesMatches) {
  testing::ScratchFolder folder;
  std::ofstream(folder / "a.wma", std::ios::binary) << GeneratedBytes(7, 0, 200'000);
  EXPECT_EQ(MismatchWithGenerated(folder / "a.wma", 7, 200'000), "");
}

TEST(MismatchWithGeneratedTest, NamesTheFirstDifferingByte) {
  testing::ScratchFolder folder;
  std::string bytes = GeneratedBytes(7, 0, 200'000);
  bytes[70'001] = static_cast<char>(~bytes[70'001]);
  std::ofstream(folder / "a.wma", std::ios::binary) << bytes;
  EXPECT_THAT(MismatchWithGenerated(folder / "a.wma", 7, 200'000), ::testing::StartsWith("byte 70001 is 0x"));
}

TEST(MismatchWithGeneratedTest, NamesAShortOrLongFileAndAMissingOne) {
  testing::ScratchFolder folder;
  std::ofstream(folder / "short.wma", std::ios::binary) << GeneratedBytes(7, 0, 70'000);
  std::ofstream(folder / "long.wma", std::ios::binary) << GeneratedBytes(7, 0, 70'001);
  EXPECT_EQ(MismatchWithGenerated(folder / "short.wma", 7, 100'000),
            "has 70000 bytes, expected 100000 (the first 70000 match)");
  EXPECT_EQ(MismatchWithGenerated(folder / "long.wma", 7, 70'000),
            "has 70001 bytes, expected 70000 (the first 70000 match)");
  EXPECT_EQ(MismatchWithGenerated(folder / "absent.wma", 7, 1), "cannot be opened");
}

}  // namespace
}  // namespace bitsh::content
