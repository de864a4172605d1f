// Property tests: format-then-parse is the identity on valid records, and no byte string can crash
// the parser or produce an error without naming a field and an in-range offset.
#include <gtest/gtest.h>

#include <random>

#include "wmp/convention.h"

namespace bitsh::wmp {
namespace {

constexpr std::uint32_t kSeed = 20261125;

// Field text drawn from letters, digits, spaces, punctuation other than ':' and some UTF-8.
std::string RandomText(std::mt19937& rng, std::size_t max_length) {
  static const std::vector<std::string> kPieces = {"a", "Z", "0", "9", " ", "-", "_", ".", "'", "&",
                                                   "\xC3\xA9", "\xE2\x99\xAB", "\xF0\x9F\x8E\xB5"};
  std::string text;
  const std::size_t length = rng() % (max_length + 1);
  for (std::size_t i = 0; i < length; ++i) text += kPieces[rng() % kPieces.size()];
  return text;
}

std::string RandomNumberOrEmpty(std::mt19937& rng, std::uint32_t max) {
  return rng() % 5 == 0 ? std::string() : std::to_string(rng() % (max + 1));
}

ConventionRecord RandomRecord(std::mt19937& rng) {
  ConventionRecord record;
  record.kind = rng() % 2 ? RecordKind::kJob : RecordKind::kStatus;
  record.service_id = static_cast<std::uint32_t>(rng()) | 1u;  // non-zero
  record.provider = "Store" + std::to_string(rng() % 100);
  record.album_artist = RandomText(rng, 20);
  record.album_title = RandomText(rng, 20);
  record.track_number = RandomNumberOrEmpty(rng, 99);
  record.title = RandomText(rng, 30);
  record.duration = RandomNumberOrEmpty(rng, 7200);
  record.rating = RandomNumberOrEmpty(rng, 99);
  return record;
}

TEST(ConventionRoundTripTest, FormatThenParseGivesTheSameRecord) {
  std::mt19937 rng(kSeed);
  for (int i = 0; i < 5000; ++i) {
    const ConventionRecord record = RandomRecord(rng);
    Result<std::string> text = FormatDescription(record);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    ParseResult parsed = ParseDescription(*text);
    ASSERT_TRUE(parsed.record.has_value()) << *text;
    EXPECT_EQ(*parsed.record, record) << *text;
    EXPECT_FALSE(HasErrors(parsed.findings)) << *text;
  }
}

// Mutations of valid descriptions: bytes replaced, inserted (':' among them) or cut off.
TEST(ConventionRobustnessTest, MalformedInputAlwaysYieldsALocatedFinding) {
  std::mt19937 rng(kSeed);
  int malformed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = *FormatDescription(RandomRecord(rng));
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[at] = static_cast<char>(rng() % 256); break;
        case 1: text.insert(at, 1, ':'); break;
        case 2: text.erase(at, 1); break;
        default: text.resize(at); break;
      }
    }
    ParseResult parsed = ParseDescription(text);
    if (!parsed.record.has_value()) {
      ++malformed;
      ASSERT_TRUE(HasErrors(parsed.findings)) << text;
    }
    for (const Finding& finding : parsed.findings) {
      EXPECT_FALSE(finding.rule_id.empty());
      EXPECT_FALSE(finding.field.empty()) << finding.rule_id;
      EXPECT_LE(finding.offset, text.size()) << finding.rule_id;
    }
  }
  EXPECT_GT(malformed, 10000);  // the mutations really do produce malformed input
}

}  // namespace
}  // namespace bitsh::wmp
