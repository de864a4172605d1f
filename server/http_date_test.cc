// HTTP-date formatting and parsing (RFC 9110 §5.6.7), checked against known instants.
#include "server/http_date.h"

#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

constexpr std::int64_t kRfcExample = 784'111'777;      // Sun, 06 Nov 1994 08:49:37 GMT
constexpr std::int64_t kMidJune2026 = 1'781'524'800;   // Mon, 15 Jun 2026 12:00:00 GMT

TEST(HttpDateTest, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(kRfcExample), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(951'782'400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(1'767'225'601), "Thu, 01 Jan 2026 00:00:01 GMT");
  EXPECT_EQ(FormatHttpDate(253'402'300'799), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(HttpDateTest, ParsesTheThreeFormatsARecipientMustAccept) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", kMidJune2026), kRfcExample);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", kMidJune2026), kRfcExample);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994", kMidJune2026), kRfcExample);
  EXPECT_EQ(ParseHttpDate("Sun Nov 06 08:49:37 1994", kMidJune2026), kRfcExample);
}

TEST(HttpDateTest, FormattedDatesParseBack) {
  for (std::int64_t t : {std::int64_t{0}, kRfcExample, std::int64_t{951'782'400}, kMidJune2026}) {
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(t), kMidJune2026), t) << FormatHttpDate(t);
  }
}

TEST(HttpDateTest, ATwoDigitYearIsAtMostFiftyYearsAhead) {
  // Exactly 50 years ahead is not "more than 50": 2076. A day later is: 1976.
  EXPECT_EQ(ParseHttpDate("Monday, 15-Jun-76 12:00:00 GMT", kMidJune2026), 3'359'448'000);
  EXPECT_EQ(ParseHttpDate("Tuesday, 16-Jun-76 00:00:00 GMT", kMidJune2026), 203'731'200);
  EXPECT_EQ(ParseHttpDate("Thursday, 01-Jan-26 00:00:00 GMT", kMidJune2026), 1'767'225'600);
}

TEST(HttpDateTest, ALeapSecondReadsAsTheNextMinute) {
  EXPECT_EQ(ParseHttpDate("Wed, 31 Dec 2025 23:59:60 GMT", kMidJune2026), 1'767'225'600);
}

TEST(HttpDateTest, AnythingElseIsNotADate) {
  for (const char* text : {"", "784111777", "Sun, 06 Nov 1994 08:49:37 UTC", "sun, 06 Nov 1994 08:49:37 GMT",
                           "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
                           "Sun, 31 Nov 1994 08:49:37 GMT", "Thu, 29 Feb 2001 00:00:00 GMT",
                           "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
                           "Sun, 06 Nov 1994 08:49:37 GMT ", " Sun, 06 Nov 1994 08:49:37 GMT",
                           "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
                           "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov  6 08:49:37 94", "Sun, 06 Nov 1994"}) {
    EXPECT_EQ(ParseHttpDate(text, kMidJune2026), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace bitsh::server
