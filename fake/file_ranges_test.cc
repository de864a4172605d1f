// The range rules of fake/file_ranges.h, from the AddFileWithRanges page.
#include "fake/file_ranges.h"

#include <gtest/gtest.h>

namespace bitsh::fake {
namespace {

TEST(CheckFileRangesTest, TakesDisjointRangesInAnyOrder) {
  EXPECT_TRUE(CheckFileRanges({{100, 100}, {900, 100}, {400, 100}}, 500).ok());
  EXPECT_TRUE(CheckFileRanges({{0, 10}, {10, 10}, {20, kLengthToEof}}, 500).ok());  // touching is not overlapping
  EXPECT_TRUE(CheckFileRanges({{5, 0}}, 500).ok());                                 // an empty range, alone
}

TEST(CheckFileRangesTest, RefusesWhatThePageRefuses) {
  EXPECT_EQ(CheckFileRanges({}, 500).code(), hr::kInvalidArg);
  EXPECT_EQ(CheckFileRanges({{kLengthToEof, 10}}, 500).code(), hr::kInvalidRange);
  EXPECT_EQ(CheckFileRanges({{0, 100}, {50, 10}}, 500).code(), hr::kOverlappingRanges);
  EXPECT_EQ(CheckFileRanges({{100, 10}, {100, 10}}, 500).code(), hr::kOverlappingRanges);  // a duplicate
  EXPECT_EQ(CheckFileRanges({{0, kLengthToEof}, {900, 10}}, 500).code(), hr::kOverlappingRanges);
  // The page and bitsadmin's disagree on which order of 100:5 and 100:0 fails; the fake refuses
  // both (docs/decisions.md, "File ranges").
  EXPECT_EQ(CheckFileRanges({{100, 5}, {100, 0}}, 500).code(), hr::kOverlappingRanges);
  EXPECT_EQ(CheckFileRanges({{100, 0}, {100, 5}}, 500).code(), hr::kOverlappingRanges);
  EXPECT_EQ(CheckFileRanges({{0, 1}, {2, 1}, {4, 1}}, 2).code(), hr::kTooManyRangesInFile);
  // An end past 2^64 does not wrap around to look like a small one.
  EXPECT_EQ(CheckFileRanges({{10, kLengthToEof - 5}, {12, 1}}, 500).code(), hr::kOverlappingRanges);
}

TEST(RangedSizeTest, AddsTheLengthsReadingToTheEndAsTheRestOfTheFile) {
  EXPECT_EQ(*RangedSize({{100, 100}, {900, 100}, {400, 100}}, 1000), 300u);
  EXPECT_EQ(*RangedSize({{0, 10}, {990, kLengthToEof}}, 1000), 20u);
  EXPECT_EQ(*RangedSize({{1000, 0}}, 1000), 0u);
}

TEST(RangedSizeTest, ARangePastTheEndIsInvalidRangeNamingIt) {
  const Result<std::uint64_t> past = RangedSize({{0, 10}, {995, 10}}, 1000);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), hr::kInvalidRange);
  EXPECT_NE(past.status().message().find("995:10"), std::string::npos) << past.status().message();
  EXPECT_EQ(RangedSize({{1001, kLengthToEof}}, 1000).status().code(), hr::kInvalidRange);
}

TEST(PositionOfTest, LocalBytesComeFromTheRangesInTheOrderGiven) {
  // The page's example: remote 100-199, 900-999 and 400-499 make local 0-299.
  const std::vector<FileRange> ranges = {{100, 100}, {900, 100}, {400, 100}};
  EXPECT_EQ(PositionOf(ranges, 1000, 0).remote_offset, 100u);
  EXPECT_EQ(PositionOf(ranges, 1000, 0).left_in_range, 100u);
  EXPECT_EQ(PositionOf(ranges, 1000, 99).remote_offset, 199u);
  EXPECT_EQ(PositionOf(ranges, 1000, 100).remote_offset, 900u);
  EXPECT_EQ(PositionOf(ranges, 1000, 250).remote_offset, 450u);
  EXPECT_EQ(PositionOf(ranges, 1000, 250).left_in_range, 50u);
  EXPECT_EQ(PositionOf({{990, kLengthToEof}}, 1000, 4).left_in_range, 6u);
}

}  // namespace
}  // namespace bitsh::fake
