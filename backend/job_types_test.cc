#include "backend/job_types.h"

#include <gtest/gtest.h>

namespace bitsh {
namespace {

TEST(JobTypesTest, EnumValuesMatchBitsH) {
  EXPECT_EQ(static_cast<int>(JobState::kQueued), 0);
  EXPECT_EQ(static_cast<int>(JobState::kSuspended), 3);
  EXPECT_EQ(static_cast<int>(JobState::kError), 4);
  EXPECT_EQ(static_cast<int>(JobState::kTransientError), 5);
  EXPECT_EQ(static_cast<int>(JobState::kCancelled), 8);
  EXPECT_EQ(static_cast<int>(JobPriority::kForeground), 0);
  EXPECT_EQ(static_cast<int>(JobPriority::kLow), 3);
  EXPECT_EQ(static_cast<int>(ErrorContext::kRemoteFile), 5);
  EXPECT_EQ(static_cast<int>(ErrorContext::kLocalFile), 4);
  EXPECT_EQ(static_cast<int>(EnumScope::kAllUsers), 1);
  EXPECT_EQ(kSizeUnknown, 0xFFFFFFFFFFFFFFFFull);
}

TEST(JobTypesTest, StateNamesRoundTrip) {
  for (JobState state : kAllJobStates) {
    EXPECT_EQ(ParseJobState(ToString(state)), state);
  }
  EXPECT_EQ(ToString(JobState::kTransientError), "TRANSIENT_ERROR");
  EXPECT_FALSE(ParseJobState("transferring").has_value());
  EXPECT_EQ(ParseJobPriority("FOREGROUND"), JobPriority::kForeground);
}

TEST(JobTypesTest, OnlyAcknowledgedAndCancelledAreFinal) {
  for (JobState state : kAllJobStates) {
    EXPECT_EQ(IsFinal(state), state == JobState::kAcknowledged || state == JobState::kCancelled)
        << ToString(state);
  }
}

TEST(JobIdTest, RendersInRegistryFormAndParsesBack) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 17);
  JobId id(bytes);
  EXPECT_EQ(id.ToString(), "{00112233-4455-6677-8899-AABBCCDDEEFF}");
  EXPECT_EQ(JobId::Parse(id.ToString()), id);
  EXPECT_EQ(JobId::Parse("{00112233-4455-6677-8899-aabbccddeeff}"), id);
}

TEST(JobIdTest, IdsOrderAsTheirBytesDo) {
  // Every pair of ids that differ in one byte, at each position, against the bytes' own order: the
  // fake enumerates jobs in this order, so it must not depend on how the comparison is computed.
  std::array<std::uint8_t, 16> low{}, high{};
  for (std::size_t at = 0; at < 16; ++at) {
    for (const auto& [a, b] : {std::pair<std::uint8_t, std::uint8_t>{0x01, 0x80}, {0x7F, 0x80}, {0x00, 0xFF}}) {
      low.fill(0x55);
      high.fill(0x55);
      low[at] = a;
      high[at] = b;
      if (at + 1 < 16) low[at + 1] = 0xFF;  // a larger later byte must not outweigh an earlier one
      EXPECT_LT(JobId(low), JobId(high)) << "byte " << at;
      EXPECT_GT(JobId(high), JobId(low)) << "byte " << at;
      EXPECT_NE(JobId(low), JobId(high)) << "byte " << at;
      EXPECT_EQ(JobId(low) <=> JobId(high), low <=> high) << "byte " << at;
    }
  }
  EXPECT_EQ(JobId(low), JobId(low));
  EXPECT_EQ(JobId(low) <=> JobId(low), std::strong_ordering::equal);
}

TEST(JobIdTest, RejectsMalformedText) {
  EXPECT_FALSE(JobId::Parse("").has_value());
  EXPECT_FALSE(JobId::Parse("00112233-4455-6677-8899-AABBCCDDEEFF").has_value());
  EXPECT_FALSE(JobId::Parse("{00112233-4455-6677-8899-AABBCCDDEEFG}").has_value());
  EXPECT_FALSE(JobId::Parse("{0011223344556677-8899-AABBCCDDEEFF00}").has_value());
}

TEST(Utf16LengthTest, CountsUtf16UnitsLikeBitsLimits) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xC3\xA9"), 1u);          // é: one BMP code point
  EXPECT_EQ(Utf16Length("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(Utf16Length("\xF0\x9F\x8E\xB5"), 2u);  // 🎵 needs a surrogate pair
  EXPECT_EQ(Utf16Length("\xFF\xC3"), 2u);          // invalid bytes count one each
}

}  // namespace
}  // namespace bitsh
