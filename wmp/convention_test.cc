#include "wmp/convention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

namespace bitsh::wmp {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kValidJob =
    "::WMP_JOB:1:3735928559:ContosoMusic:The Artists:Greatest Hits:7:Seventh Song:215:75";

// A finding with this rule id, field and code-point offset.
auto IsFinding(const std::string& rule, const std::string& field, std::size_t offset) {
  return AllOf(Field(&Finding::rule_id, rule), Field(&Finding::field, field),
               Field(&Finding::offset, offset));
}

std::vector<std::string> RuleIds(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.rule_id);
  return ids;
}

TEST(ParseDescriptionTest, ReadsEveryFieldOfAValidJob) {
  ParseResult result = ParseDescription(kValidJob);
  EXPECT_THAT(result.findings, IsEmpty());
  ASSERT_TRUE(result.record.has_value());
  const ConventionRecord& record = *result.record;
  EXPECT_EQ(record.kind, RecordKind::kJob);
  EXPECT_EQ(record.service_id, 3735928559u);
  EXPECT_EQ(record.CollectionId(), static_cast<std::int32_t>(0xDEADBEEFu));  // negative long
  EXPECT_EQ(record.provider, "ContosoMusic");
  EXPECT_EQ(record.album_artist, "The Artists");
  EXPECT_EQ(record.album_title, "Greatest Hits");
  EXPECT_EQ(record.track_number, "7");
  EXPECT_EQ(record.title, "Seventh Song");
  EXPECT_EQ(record.duration, "215");
  EXPECT_EQ(record.rating, "75");
}

TEST(ParseDescriptionTest, ReadsAStatusRecord) {
  ParseResult result = ParseDescription("::WMP_STATUS:1:42:Contoso:A:B:1:T:60:0");
  ASSERT_TRUE(result.record.has_value());
  EXPECT_EQ(result.record->kind, RecordKind::kStatus);
  EXPECT_EQ(result.record->service_id, 42u);
}

TEST(ParseDescriptionTest, OptionalNumericFieldsMayBeEmpty) {
  ParseResult result = ParseDescription("::WMP_JOB:1:42:Contoso:A:B::T::");
  EXPECT_THAT(result.findings, IsEmpty());
  EXPECT_TRUE(result.record.has_value());
}

TEST(ParseDescriptionTest, NonConventionDescriptionIsAMarkerError) {
  ParseResult result = ParseDescription("Windows Update payload");
  EXPECT_FALSE(result.record.has_value());
  EXPECT_THAT(result.findings, ElementsAre(IsFinding("WMP-MARKER", "marker", 0)));
  EXPECT_FALSE(ClaimsConvention("Windows Update payload"));
}

TEST(ParseDescriptionTest, MarkerIsCaseSensitive) {
  ParseResult result = ParseDescription("::wmp_job:1:42:Contoso:A:B:1:T:60:0");
  EXPECT_FALSE(result.record.has_value());
  EXPECT_THAT(result.findings, ElementsAre(IsFinding("WMP-MARKER-CASE", "marker", 0)));
  EXPECT_TRUE(ClaimsConvention("::wmp_job:1:42"));
}

TEST(ParseDescriptionTest, VersionMustBeOne) {
  ParseResult result = ParseDescription("::WMP_JOB:2:42:Contoso:A:B:1:T:60:0");
  EXPECT_FALSE(result.record.has_value());
  EXPECT_THAT(result.findings, ElementsAre(IsFinding("WMP-VERSION", "version", 10)));
}

TEST(ParseDescriptionTest, TooFewFieldsPointsAtTheEnd) {
  const std::string text = "::WMP_JOB:1:42:Contoso:A:B";
  ParseResult result = ParseDescription(text);
  EXPECT_FALSE(result.record.has_value());
  EXPECT_THAT(result.findings, ElementsAre(IsFinding("WMP-FIELD-COUNT", "description", text.size())));
}

// Decision (docs/wmp-convention.md): no escaping exists, so a ':' inside a field makes a ninth field.
// The finding points at that ':' and names the field that holds it, not the Rating at the end.
TEST(ParseDescriptionTest, AClockStyleDurationIsReportedOnDurationAtItsColon) {
  const std::string text = "::WMP_JOB:1:42:Contoso:A:B:1:One:3:05:75";
  ParseResult result = ParseDescription(text);
  EXPECT_FALSE(result.record.has_value());
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_THAT(result.findings[0], IsFinding("WMP-FIELD-COUNT", "Duration", text.find("3:05") + 1));
  EXPECT_THAT(result.findings[0].message, HasSubstr("inside Duration ('3:05')"));
  EXPECT_THAT(result.findings[0].message, HasSubstr("write Duration in seconds: 185"));
  ASSERT_TRUE(result.fields.has_value());  // what the store meant stays readable
  EXPECT_EQ(result.fields->duration, "3:05");
  EXPECT_EQ(result.fields->title, "One");
  EXPECT_EQ(result.fields->rating, "75");
}

TEST(ParseDescriptionTest, AColonInATitleIsReportedOnTitle) {
  const std::string text = "::WMP_JOB:1:42:Contoso:A:B:1:Live: In Concert:60:0";
  ParseResult result = ParseDescription(text);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_THAT(result.findings[0], IsFinding("WMP-FIELD-COUNT", "Title", text.find("Live:") + 4));
  EXPECT_THAT(result.findings[0].message, HasSubstr("no escaping"));
  EXPECT_EQ(result.fields->title, "Live: In Concert");
}

// "Live: In Concert" could be AlbumArtist "A:Live" and AlbumTitle " In Concert" too; a ':' followed
// by a space is prose punctuation, so it is taken as inside AlbumTitle.
TEST(ParseDescriptionTest, AColonFollowedByASpaceIsTakenAsPunctuationInsideAField) {
  const std::string text = "::WMP_JOB:1:42:Contoso:A:Live: In Concert:1:T:60:0";
  ParseResult result = ParseDescription(text);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_THAT(result.findings[0], IsFinding("WMP-FIELD-COUNT", "AlbumTitle", text.find("Live:") + 4));
  EXPECT_EQ(result.fields->album_title, "Live: In Concert");
}

// "AC:DC" reads equally well as three different splits: all are named, none is guessed.
TEST(ParseDescriptionTest, AColonThatFitsSeveralFieldsNamesThemAll) {
  const std::string text = "::WMP_JOB:1:42:Contoso:AC:DC:Album:1:T:60:0";
  ParseResult result = ParseDescription(text);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].field, "description");
  EXPECT_THAT(result.findings[0].message, HasSubstr("inside Provider, AlbumArtist or AlbumTitle"));
  EXPECT_FALSE(result.fields.has_value());
}

TEST(PointAtTest, PutsACaretUnderTheCharacterAtTheOffset) {
  EXPECT_EQ(PointAt("::WMP_JOB:1:42", 10), "::WMP_JOB:1:42\n          ^");
  EXPECT_EQ(PointAt("a\tb", 2), "a?b\n  ^");
}

struct FieldRuleCase {
  std::string description;
  std::string rule;
  std::string field;
  std::size_t offset;
};

void PrintTo(const FieldRuleCase& c, std::ostream* out) { *out << '"' << c.description << '"'; }

class FieldRuleTest : public ::testing::TestWithParam<FieldRuleCase> {};

TEST_P(FieldRuleTest, ReportsRuleFieldAndOffset) {
  ParseResult result = ParseDescription(GetParam().description);
  EXPECT_THAT(result.findings,
              ::testing::Contains(IsFinding(GetParam().rule, GetParam().field, GetParam().offset)))
      << ::testing::PrintToString(RuleIds(result.findings));
}

INSTANTIATE_TEST_SUITE_P(
    EveryFieldRule, FieldRuleTest,
    ::testing::Values(
        FieldRuleCase{"::WMP_JOB:1:0:Contoso:A:B:1:T:60:0", "WMP-SERVICEID-NONZERO", "serviceId", 12},
        FieldRuleCase{"::WMP_JOB:1:-5:Contoso:A:B:1:T:60:0", "WMP-SERVICEID-FORMAT", "serviceId", 12},
        FieldRuleCase{"::WMP_JOB:1:0x2A:Contoso:A:B:1:T:60:0", "WMP-SERVICEID-FORMAT", "serviceId", 12},
        FieldRuleCase{"::WMP_JOB:1::Contoso:A:B:1:T:60:0", "WMP-SERVICEID-FORMAT", "serviceId", 12},
        FieldRuleCase{"::WMP_JOB:1:4294967296:Contoso:A:B:1:T:60:0", "WMP-SERVICEID-RANGE",
                      "serviceId", 12},
        FieldRuleCase{"::WMP_JOB:1:42::A:B:1:T:60:0", "WMP-PROVIDER-EMPTY", "Provider", 15},
        FieldRuleCase{"::WMP_JOB:1:42:C:A:B:one:T:60:0", "WMP-TRACKNUMBER-NUMERIC", "TrackNumber", 21},
        FieldRuleCase{"::WMP_JOB:1:42:C:A:B:1:T:3m35s:0", "WMP-DURATION-NUMERIC", "Duration", 25},
        FieldRuleCase{"::WMP_JOB:1:42:C:A:B:1:T:60:*****", "WMP-RATING-NUMERIC", "Rating", 28},
        FieldRuleCase{"::WMP_JOB:1:42:C:A:B:1:T:60:100", "WMP-RATING-RANGE", "Rating", 28},
        FieldRuleCase{"::WMP_JOB:1:42:C::B:1:T:60:0", "WMP-METADATA-EMPTY", "AlbumArtist", 17},
        FieldRuleCase{"::WMP_JOB:1:42:C:A::1:T:60:0", "WMP-METADATA-EMPTY", "AlbumTitle", 19},
        FieldRuleCase{"::WMP_JOB:1:42:C:A:B:1::60:0", "WMP-METADATA-EMPTY", "Title", 23},
        FieldRuleCase{"::WMP_JOB:1:42:C:A:B\xFF:1:T:60:0", "WMP-ENCODING", "description", 20}),
    [](const ::testing::TestParamInfo<FieldRuleCase>& param_info) {
      std::string name = param_info.param.rule + "_" + std::to_string(param_info.index);
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

// Ill-formed UTF-8 as the Unicode Standard's Table 3-7 defines it, placed in AlbumTitle.
struct EncodingCase {
  std::string name;
  std::string bytes;          // put after "::WMP_JOB:1:42:C:" + artist + ":B"
  std::string artist;         // "A", or text with multi-byte characters to move the offsets apart
  std::size_t offset;         // code points before the bad byte
  std::string message;
};

class EncodingRuleTest : public ::testing::TestWithParam<EncodingCase> {};

TEST_P(EncodingRuleTest, ReportsTheKindAndByteOfTheFirstIllFormedSequence) {
  const EncodingCase& c = GetParam();
  const std::string description = "::WMP_JOB:1:42:C:" + c.artist + ":B" + c.bytes + ":1:T:60:0";
  ParseResult result = ParseDescription(description);
  ASSERT_EQ(result.findings.size(), 1u) << ::testing::PrintToString(RuleIds(result.findings));
  EXPECT_THAT(result.findings[0], IsFinding("WMP-ENCODING", "description", c.offset));
  EXPECT_EQ(result.findings[0].message, c.message);
  EXPECT_FALSE(result.record.has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Table3_7, EncodingRuleTest,
    ::testing::Values(
        EncodingCase{"InvalidByteFF", "\xFF", "A", 20, "byte 20 is not valid UTF-8: invalid byte"},
        EncodingCase{"StrayContinuation", "\x80", "A", 20, "byte 20 is not valid UTF-8: invalid byte"},
        EncodingCase{"OverlongSlashC0", "\xC0\xAF", "A", 20, "byte 20 is not valid UTF-8: overlong form"},
        EncodingCase{"OverlongColonE0", "\xE0\x80\xBA", "A", 20, "byte 20 is not valid UTF-8: overlong form"},
        EncodingCase{"OverlongF0", "\xF0\x8F\xBF\xBF", "A", 20, "byte 20 is not valid UTF-8: overlong form"},
        EncodingCase{"SurrogateED", "\xED\xA0\x80", "A", 20, "byte 20 is not valid UTF-8: UTF-16 surrogate"},
        EncodingCase{"BeyondMaxF4", "\xF4\x90\x80\x80", "A", 20, "byte 20 is not valid UTF-8: beyond U+10FFFF"},
        EncodingCase{"BeyondMaxF5", "\xF5\x80\x80\x80", "A", 20, "byte 20 is not valid UTF-8: beyond U+10FFFF"},
        EncodingCase{"TruncatedBeforeColon", "\xE2\x82", "A", 20,
                     "byte 20 is not valid UTF-8: truncated sequence"},
        // "Björk": the message gives the byte (25), the finding the code point (24).
        EncodingCase{"OffsetsAfterMultiByteText", "\xED\xBF\xBF", "Bj\xC3\xB6rk", 24,
                     "byte 25 is not valid UTF-8: UTF-16 surrogate"}),
    [](const ::testing::TestParamInfo<EncodingCase>& param_info) { return param_info.param.name; });

TEST(ParseDescriptionTest, IllFormedUtf8AtTheVeryEndIsTruncated) {
  // The cut-off emoji also makes the Rating field non-numeric, reported first at its start.
  ParseResult result = ParseDescription("::WMP_JOB:1:42:C:A:B:1:T:60:0\xF0\x9F\x8E");
  ASSERT_THAT(RuleIds(result.findings), ElementsAre("WMP-RATING-NUMERIC", "WMP-ENCODING"));
  EXPECT_THAT(result.findings[1], IsFinding("WMP-ENCODING", "description", 29));
  EXPECT_EQ(result.findings[1].message, "byte 29 is not valid UTF-8: truncated sequence");
}

TEST(ParseDescriptionTest, FieldsAreReadableEvenWhenAValueIsWrong) {
  ParseResult result = ParseDescription("::WMP_JOB:1:0:Contoso Music:Album:Artist:1:T:60:0");
  EXPECT_FALSE(result.record.has_value());
  ASSERT_TRUE(result.fields.has_value());
  EXPECT_EQ(result.fields->service_id, 0u);
  EXPECT_EQ(result.fields->provider, "Contoso Music");
  EXPECT_EQ(result.fields->album_artist, "Album");
  EXPECT_FALSE(ParseDescription("::WMP_JOB:1:42:too:few").fields.has_value());
}

// Decision (docs/wmp-convention.md): Microsoft's page gives no format for these three fields, so
// the strict reading is a warning and the Player still takes the job.
TEST(ParseDescriptionTest, NonNumericTrackNumberDurationAndRatingAreWarnings) {
  ParseResult result = ParseDescription("::WMP_JOB:1:42:C:A:B:one:T:3m35s:*****");
  EXPECT_THAT(RuleIds(result.findings),
              ElementsAre("WMP-TRACKNUMBER-NUMERIC", "WMP-DURATION-NUMERIC", "WMP-RATING-NUMERIC"));
  for (const Finding& finding : result.findings) EXPECT_EQ(finding.severity, Severity::kWarning) << ToString(finding);
  EXPECT_FALSE(HasErrors(result.findings));
  ASSERT_TRUE(result.record.has_value());
  EXPECT_EQ(result.record->duration, "3m35s");
}

TEST(ParseDescriptionTest, WarningsAloneStillYieldARecord) {
  ParseResult result = ParseDescription("::WMP_JOB:1:42:C::B:1:T:60:100");
  EXPECT_THAT(RuleIds(result.findings), ElementsAre("WMP-METADATA-EMPTY", "WMP-RATING-RANGE"));
  EXPECT_FALSE(HasErrors(result.findings));
  EXPECT_TRUE(result.record.has_value());
}

TEST(ParseDescriptionTest, ReportsEveryProblemInOnePassInOffsetOrder) {
  ParseResult result = ParseDescription("::WMP_JOB:1:0::A:B:x:T:y:z");
  EXPECT_THAT(RuleIds(result.findings),
              ElementsAre("WMP-SERVICEID-NONZERO", "WMP-PROVIDER-EMPTY", "WMP-TRACKNUMBER-NUMERIC",
                          "WMP-DURATION-NUMERIC", "WMP-RATING-NUMERIC"));
}

TEST(ParseDescriptionTest, OffsetsCountCharactersNotBytes) {
  // "Björk" has one two-byte character before the rating field.
  ParseResult result = ParseDescription("::WMP_JOB:1:42:C:Bj\xC3\xB6rk:B:1:T:60:x");
  EXPECT_THAT(result.findings, ElementsAre(IsFinding("WMP-RATING-NUMERIC", "Rating", 32)));
}

TEST(ParseDescriptionTest, LengthCountsUtf16UnitsAgainstTheBitsLimit) {
  std::string title(1024 - std::string("::WMP_JOB:1:42:C:A:B:1::60:0").size(), 't');
  const std::string at_limit = "::WMP_JOB:1:42:C:A:B:1:" + title + ":60:0";
  EXPECT_THAT(ParseDescription(at_limit).findings, IsEmpty());
  const std::string over = "::WMP_JOB:1:42:C:A:B:1:" + title + "t:60:0";
  EXPECT_THAT(RuleIds(ParseDescription(over).findings), ElementsAre("WMP-LENGTH"));
}

TEST(ValidateJobTest, AcceptsOneMediaFileAndAKnownStore) {
  ValidationOptions options{{"ContosoMusic"}};
  EXPECT_THAT(ValidateJob(kValidJob, {"C:\\Users\\u\\Music\\07.WMA"}, options), IsEmpty());
  EXPECT_THAT(ValidateJob(kValidJob, {"/music/07.mp3"}, options), IsEmpty());
}

TEST(ValidateJobTest, UnknownProviderIsReportedAtTheProviderField) {
  ValidationOptions options{{"Fabrikam"}};
  EXPECT_THAT(ValidateJob(kValidJob, {"/m/a.wma"}, options),
              ElementsAre(IsFinding("WMP-PROVIDER-UNKNOWN", "Provider", 23)));
}

TEST(ValidateJobTest, ExactlyOneFilePerJob) {
  EXPECT_THAT(RuleIds(ValidateJob(kValidJob, {})), ElementsAre("WMP-FILE-COUNT"));
  EXPECT_THAT(RuleIds(ValidateJob(kValidJob, {"/m/a.wma", "/m/b.wma"})), ElementsAre("WMP-FILE-COUNT"));
}

TEST(ValidateJobTest, LocalExtensionMustBeAMediaTypeInAnyCase) {
  EXPECT_THAT(ValidateJob(kValidJob, {"/m/a.Wmv"}), IsEmpty());
  EXPECT_THAT(ValidateJob(kValidJob, {"/m/a.asf"}), IsEmpty());
  EXPECT_THAT(ValidateJob(kValidJob, {"/m/a.flac"}), ElementsAre(IsFinding("WMP-FILE-EXTENSION", "file", 0)));
  EXPECT_THAT(ValidateJob(kValidJob, {"/m.wma/noext"}),
              ElementsAre(IsFinding("WMP-FILE-EXTENSION", "file", 0)));
}

TEST(ValidateJobTest, EveryListedMediaExtensionPassesInAnyCase) {
  for (std::string_view extension : kMediaExtensions) {
    EXPECT_TRUE(IsMediaExtension(extension)) << extension;
    std::string upper(extension);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(IsMediaExtension(upper)) << upper;
    EXPECT_THAT(ValidateJob(kValidJob, {"/m/a" + upper}), IsEmpty()) << upper;
  }
  EXPECT_FALSE(IsMediaExtension(".flac"));
  EXPECT_FALSE(IsMediaExtension("wma"));
  EXPECT_FALSE(IsMediaExtension(""));
}

TEST(ValidateJobTest, FileRulesCanBeSkippedWhenTheFilesAreUnknown) {
  ValidationOptions options{{"Fabrikam"}, /*check_files=*/false};
  EXPECT_THAT(RuleIds(ValidateJob(kValidJob, {}, options)), ElementsAre("WMP-PROVIDER-UNKNOWN"));
}

TEST(ValidateJobTest, EveryRuleIdIsDocumentedAndUnique) {
  std::set<std::string_view> unique(kRuleIds.begin(), kRuleIds.end());
  EXPECT_EQ(unique.size(), kRuleIds.size());
  for (std::string_view id : kRuleIds) EXPECT_TRUE(id.starts_with("WMP-")) << id;
}

TEST(FindingTest, PrintsSeverityRuleFieldAndOffset) {
  Finding finding{"WMP-SERVICEID-NONZERO", Severity::kError, "serviceId", 12, "serviceId must be non-zero"};
  EXPECT_EQ(ToString(finding), "error WMP-SERVICEID-NONZERO serviceId@12: serviceId must be non-zero");
}

TEST(FormatDescriptionTest, RefusesAColonInsideAFieldNamingTheField) {
  ConventionRecord record;
  record.service_id = 42;
  record.provider = "Contoso";
  record.album_title = "Live: In Concert";
  Result<std::string> text = FormatDescription(record);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), hr::kInvalidArg);
  EXPECT_THAT(text.status().message(), ::testing::HasSubstr("AlbumTitle"));
}

TEST(FormatDescriptionTest, RefusesZeroServiceIdAndOverlongText) {
  ConventionRecord record;
  EXPECT_EQ(FormatDescription(record).status().code(), hr::kInvalidArg);
  record.service_id = 1;
  record.title.assign(1100, 'x');
  EXPECT_EQ(FormatDescription(record).status().code(), hr::kStringTooLong);
}

TEST(DescriptionTextTest, WritesEvenWhatTheConventionForbidsAsItIs) {
  ConventionRecord record;
  record.kind = RecordKind::kStatus;
  record.provider = "Contoso";
  record.album_title = "Live: In Concert";
  EXPECT_EQ(DescriptionText(record), "::WMP_STATUS:1:0:Contoso::Live: In Concert::::");
}

TEST(DescriptionTextTest, IsTheTextFormatDescriptionGivesAValidRecord) {
  ConventionRecord record{RecordKind::kJob, 7, "Contoso", "Artist", "Album", "3", "Title", "215", "75"};
  EXPECT_EQ(DescriptionText(record), "::WMP_JOB:1:7:Contoso:Artist:Album:3:Title:215:75");
  EXPECT_EQ(*FormatDescription(record), DescriptionText(record));
}

}  // namespace
}  // namespace bitsh::wmp
