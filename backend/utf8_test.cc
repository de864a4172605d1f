#include "backend/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "backend/job_types.h"

namespace bitsh {
namespace {

TEST(Utf8Test, WellFormedTextHasNoProblem) {
  EXPECT_EQ(FirstIllFormedUtf8(""), std::nullopt);
  EXPECT_EQ(FirstIllFormedUtf8("plain ASCII"), std::nullopt);
  // The lowest and highest code point of each row of Table 3-7, lead by lead.
  EXPECT_EQ(FirstIllFormedUtf8("\xC2\x80\xDF\xBF"), std::nullopt);                  // U+0080, U+07FF
  EXPECT_EQ(FirstIllFormedUtf8("\xE0\xA0\x80\xE0\xBF\xBF"), std::nullopt);          // U+0800, U+0FFF
  EXPECT_EQ(FirstIllFormedUtf8("\xE1\x80\x80\xEC\xBF\xBF"), std::nullopt);          // U+1000, U+CFFF
  EXPECT_EQ(FirstIllFormedUtf8("\xED\x80\x80\xED\x9F\xBF"), std::nullopt);          // U+D000, U+D7FF
  EXPECT_EQ(FirstIllFormedUtf8("\xEE\x80\x80\xEF\xBF\xBF"), std::nullopt);          // U+E000, U+FFFF
  EXPECT_EQ(FirstIllFormedUtf8("\xF0\x90\x80\x80\xF0\xBF\xBF\xBF"), std::nullopt);  // U+10000, U+3FFFF
  EXPECT_EQ(FirstIllFormedUtf8("\xF1\x80\x80\x80\xF3\xBF\xBF\xBF"), std::nullopt);  // U+40000, U+FFFFF
  EXPECT_EQ(FirstIllFormedUtf8("\xF4\x80\x80\x80\xF4\x8F\xBF\xBF"), std::nullopt);  // U+100000, U+10FFFF
}

struct IllFormedCase {
  std::string name;
  std::string text;
  Utf8Problem problem;
};

class IllFormedUtf8Test : public ::testing::TestWithParam<IllFormedCase> {};

TEST_P(IllFormedUtf8Test, NamesTheFirstBadByteAndWhy) {
  EXPECT_EQ(FirstIllFormedUtf8(GetParam().text), GetParam().problem);
}

// One row per ill-formed kind and edge of Table 3-7; "a" before the sequence shows the offset counts.
INSTANTIATE_TEST_SUITE_P(
    Table3_7, IllFormedUtf8Test,
    ::testing::Values(
        IllFormedCase{"StrayContinuation", "a\x80", {1, Utf8Error::kInvalidByte}},
        IllFormedCase{"ByteF8", "a\xF8\x88\x80\x80\x80", {1, Utf8Error::kInvalidByte}},
        IllFormedCase{"ByteFF", "a\xFF", {1, Utf8Error::kInvalidByte}},
        IllFormedCase{"OverlongSlashC0", "a\xC0\xAF", {1, Utf8Error::kOverlong}},
        IllFormedCase{"OverlongC1", "a\xC1\xBF", {1, Utf8Error::kOverlong}},
        IllFormedCase{"OverlongColonE0", "a\xE0\x80\xBA", {1, Utf8Error::kOverlong}},
        IllFormedCase{"OverlongE0Top", "a\xE0\x9F\xBF", {1, Utf8Error::kOverlong}},
        IllFormedCase{"OverlongF0", "a\xF0\x8F\xBF\xBF", {1, Utf8Error::kOverlong}},
        IllFormedCase{"SurrogateLowest", "a\xED\xA0\x80", {1, Utf8Error::kSurrogate}},
        IllFormedCase{"SurrogateHighest", "a\xED\xBF\xBF", {1, Utf8Error::kSurrogate}},
        IllFormedCase{"BeyondMaxF4", "a\xF4\x90\x80\x80", {1, Utf8Error::kBeyondMax}},
        IllFormedCase{"BeyondMaxF5", "a\xF5\x80\x80\x80", {1, Utf8Error::kBeyondMax}},
        IllFormedCase{"BeyondMaxF7", "a\xF7\xBF\xBF\xBF", {1, Utf8Error::kBeyondMax}},
        IllFormedCase{"TruncatedTwoAtEnd", "a\xC3", {1, Utf8Error::kTruncated}},
        IllFormedCase{"TruncatedThreeAtEnd", "a\xE2\x82", {1, Utf8Error::kTruncated}},
        IllFormedCase{"TruncatedFourAtEnd", "a\xF0\x9F\x8E", {1, Utf8Error::kTruncated}},
        IllFormedCase{"TruncatedByAscii", "a\xE2\x82z", {1, Utf8Error::kTruncated}},
        IllFormedCase{"TruncatedByLead", "a\xC3\xC3\xA9", {1, Utf8Error::kTruncated}},
        IllFormedCase{"AfterWellFormed", "\xC3\xA9\xE2\x82\xAC\xED\xA0\x80", {5, Utf8Error::kSurrogate}}),
    [](const ::testing::TestParamInfo<IllFormedCase>& param_info) { return param_info.param.name; });

TEST(Utf8Test, NamesEachKindForMessages) {
  EXPECT_EQ(ToString(Utf8Error::kInvalidByte), "invalid byte");
  EXPECT_EQ(ToString(Utf8Error::kTruncated), "truncated sequence");
  EXPECT_EQ(ToString(Utf8Error::kOverlong), "overlong form");
  EXPECT_EQ(ToString(Utf8Error::kSurrogate), "UTF-16 surrogate");
  EXPECT_EQ(ToString(Utf8Error::kBeyondMax), "beyond U+10FFFF");
}

// Utf16Length walks with the same reader: every byte of an ill-formed sequence is one unit,
// and a sequence cut off at the end of the text reads nothing past it.
TEST(Utf8Test, Utf16LengthCountsIllFormedBytesOneEach) {
  EXPECT_EQ(Utf16Length("\xE0\x80\xBA"), 3u);      // overlong ':' is three bytes, not one character
  EXPECT_EQ(Utf16Length("\xED\xA0\x80"), 3u);      // surrogate
  EXPECT_EQ(Utf16Length("\xF4\x90\x80\x80"), 4u);  // beyond U+10FFFF: not a surrogate pair
  EXPECT_EQ(Utf16Length("\xF0\x9F\x8E"), 3u);      // truncated at the end
  EXPECT_EQ(Utf16Length(std::string_view("\xF0\x9F\x8E\xB5", 2)), 2u);  // the view ends mid-sequence
}

}  // namespace
}  // namespace bitsh

namespace bitsh {
namespace {

TEST(AsciiLowerTest, LowersAsciiLettersOnlyAndKeepsUtf8Bytes) {
  EXPECT_EQ(AsciiLower("HTTP://Host.Example/A"), "http://host.example/a");
  EXPECT_EQ(AsciiLower("<LOCAL>"), "<local>");
  EXPECT_EQ(AsciiLower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // "ÉTÉ": É stays, T is lowered
  EXPECT_EQ(AsciiLower(""), "");
}

}  // namespace
}  // namespace bitsh
