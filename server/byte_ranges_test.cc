// Range parsing (RFC 9110 §14.1-§14.2) and the multipart/byteranges layout (§14.6).
#include "server/byte_ranges.h"

#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

using RangeKind = RangeRequest::Kind;

struct RangeCase {
  const char* value;
  RangeKind kind;
  std::vector<ByteRange> ranges = {};
};

// Against a 1000-byte representation.
const RangeCase kRangeCases[] = {
    {"bytes=0-99", RangeKind::kSatisfiable, {{0, 99}}},
    {"bytes=500-", RangeKind::kSatisfiable, {{500, 999}}},
    {"bytes=-10", RangeKind::kSatisfiable, {{990, 999}}},
    {"bytes=-5000", RangeKind::kSatisfiable, {{0, 999}}},          // longer than the file: all of it
    {"bytes=990-5000", RangeKind::kSatisfiable, {{990, 999}}},     // past the end: stops at the end
    {"bytes=0-99999999999999999999999", RangeKind::kSatisfiable, {{0, 999}}},  // past 64 bits too
    {"bytes=-99999999999999999999999", RangeKind::kSatisfiable, {{0, 999}}},
    {"bytes=999-999", RangeKind::kSatisfiable, {{999, 999}}},
    {"BYTES=1-2", RangeKind::kSatisfiable, {{1, 2}}},               // units are case-insensitive
    {"bytes=0-9,20-29", RangeKind::kSatisfiable, {{0, 9}, {20, 29}}},
    {"bytes=20-29, 0-9 ,-1", RangeKind::kSatisfiable, {{20, 29}, {0, 9}, {999, 999}}},  // request order kept
    {"bytes=0-9,,20-29,", RangeKind::kSatisfiable, {{0, 9}, {20, 29}}},  // empty list elements
    {"bytes=0-9,0-9", RangeKind::kSatisfiable, {{0, 9}, {0, 9}}},        // not merged
    {"bytes=0-9,1000-", RangeKind::kSatisfiable, {{0, 9}}},              // the unsatisfiable one dropped
    {"bytes=1000-", RangeKind::kUnsatisfiable},
    {"bytes=1000-1000,2000-", RangeKind::kUnsatisfiable},
    {"bytes=-0", RangeKind::kUnsatisfiable},
    {"bytes=99999999999999999999-", RangeKind::kUnsatisfiable},
    {"", RangeKind::kIgnore},
    {"items=0-9", RangeKind::kIgnore},
    {"bytes=", RangeKind::kIgnore},
    {"bytes=,", RangeKind::kIgnore},
    {"bytes=-", RangeKind::kIgnore},
    {"bytes=5-3", RangeKind::kIgnore},
    {"bytes=0-9,5-3", RangeKind::kIgnore},  // one invalid spec spoils the set
    {"bytes=a-9", RangeKind::kIgnore},
    {"bytes=+1-9", RangeKind::kIgnore},
    {"bytes=0-9-", RangeKind::kIgnore},
    {"bytes=0x10-", RangeKind::kIgnore},
    {"bytes=10", RangeKind::kIgnore},
    {"bytes = 0-9", RangeKind::kIgnore},
};

TEST(ByteRangesTest, ParsesRangeFieldsAsRfc9110Says) {
  for (const RangeCase& row : kRangeCases) {
    const RangeRequest request = ParseRangeHeader(row.value, 1000);
    EXPECT_EQ(request.kind, row.kind) << row.value;
    EXPECT_EQ(request.ranges, row.ranges) << row.value;
  }
}

TEST(ByteRangesTest, AnEmptyRepresentationHasNoRangeToServe) {
  EXPECT_EQ(ParseRangeHeader("bytes=0-", 0).kind, RangeKind::kUnsatisfiable);
  EXPECT_EQ(ParseRangeHeader("bytes=-5", 0).kind, RangeKind::kIgnore);  // satisfiable, but not as a 206
}

TEST(ByteRangesTest, MoreThanTheLimitOfRangesIsIgnored) {
  std::string value = "bytes=0-0";
  for (std::size_t i = 1; i < kMaxRanges; ++i) value += "," + std::to_string(i) + "-" + std::to_string(i);
  EXPECT_EQ(ParseRangeHeader(value, 1000).ranges.size(), kMaxRanges);
  EXPECT_EQ(ParseRangeHeader(value + ",999-", 1000).kind, RangeKind::kIgnore);
}

TEST(ByteRangesTest, AMultipartBodyIsPartsThenTheClosingBoundary) {
  const std::vector<BodyPiece> pieces =
      MultipartBody({{0, 9}, {20, 29}}, 1000, "application/octet-stream", "SEP");
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].framing,
            "--SEP\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/1000\r\n\r\n");
  EXPECT_EQ(pieces[0].first, 0u);
  EXPECT_EQ(pieces[0].length, 10u);
  EXPECT_EQ(pieces[1].framing,
            "\r\n--SEP\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 20-29/1000\r\n\r\n");
  EXPECT_EQ(pieces[1].first, 20u);
  EXPECT_EQ(pieces[1].length, 10u);
  EXPECT_EQ(pieces[2].framing, "\r\n--SEP--\r\n");
  EXPECT_EQ(pieces[2].length, 0u);
  EXPECT_EQ(BodyLength(pieces), 80u + 10u + 84u + 10u + 11u);  // framing and bytes, counted by hand
}

TEST(ByteRangesTest, ContentRangeNamesFirstLastAndSize) {
  EXPECT_EQ(ContentRange({1000, 1999}, 1'000'000), "bytes 1000-1999/1000000");
}

}  // namespace
}  // namespace bitsh::server
