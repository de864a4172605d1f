#include "content/hashing.h"

#include <gtest/gtest.h>

namespace bitsh::content {
namespace {

// The published reference outputs, so generated content, job ids and default seeds stay the same
// numbers on every platform and in every release.
TEST(SplitMix64Test, GivesTheReferenceSequenceFromZero) {
  SplitMix64 generator(0);
  EXPECT_EQ(generator.Next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(generator.Next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(generator.Next(), 0x06C45D188009454Full);
}

TEST(SplitMix64Test, NextIsTheMixOfTheStateAdvancedByTheGamma) {
  SplitMix64 generator(12345);
  EXPECT_EQ(generator.Next(), SplitMix64::Mix(12345 + SplitMix64::kGamma));
  EXPECT_EQ(SplitMix64::Mix(0), 0u);
}

TEST(Fnv1aTest, GivesTheReferenceHashes) {
  EXPECT_EQ(Fnv1a(""), 0xCBF29CE484222325ull);
  EXPECT_EQ(Fnv1a("a"), 0xAF63DC4C8601EC8Cull);
  EXPECT_EQ(Fnv1a("foobar"), 0x85944171F73967E8ull);
  static_assert(Fnv1a("a") == 0xAF63DC4C8601EC8Cull, "usable at compile time");
}

}  // namespace
}  // namespace bitsh::content
