#include "backend/units.h"

#include <gtest/gtest.h>

namespace bitsh::scenarios {
namespace {

using namespace std::chrono;

TEST(UnitsTest, ReadsDurationsInEveryUnit) {
  EXPECT_EQ(ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(ParseDuration("10s"), seconds(10));
  EXPECT_EQ(ParseDuration("1.5s"), milliseconds(1500));
  EXPECT_EQ(ParseDuration("10min"), minutes(10));
  EXPECT_EQ(ParseDuration("2h"), hours(2));
  EXPECT_EQ(ParseDuration("14d"), hours(24 * 14));
  EXPECT_EQ(ParseDuration("0s"), seconds(0));
}

TEST(UnitsTest, RefusesDurationsItCannotRead) {
  for (const char* bad : {"", "10", "ten s", "10 minutes", "-5s", "1.2.3s", "s", "5m", "1e3s"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(UnitsTest, ReadsSizesInDecimalAndBinaryUnits) {
  EXPECT_EQ(ParseSize("1000"), 1000u);
  EXPECT_EQ(ParseSize("12B"), 12u);
  EXPECT_EQ(ParseSize("5MiB"), 5u * 1024 * 1024);
  EXPECT_EQ(ParseSize("2.5MB"), 2'500'000u);
  EXPECT_EQ(ParseSize("1GiB"), 1ull << 30);
  EXPECT_EQ(ParseSize("64KiB"), 65536u);
}

TEST(UnitsTest, RefusesSizesThatAreNotWholeBytes) {
  for (const char* bad : {"", "1.5", "0.5B", "0.0001KB", "5 mib", "5MIB", "-1", "x"}) {
    EXPECT_FALSE(ParseSize(bad).has_value()) << bad;
  }
}

TEST(UnitsTest, BandwidthIsASizePerSecond) {
  EXPECT_EQ(ParseBandwidth("64KiB/s"), 65536u);
  EXPECT_FALSE(ParseBandwidth("64KiB").has_value());
}

TEST(UnitsTest, TellsTextWithTooManyDecimalsFromUnreadableText) {
  EXPECT_TRUE(IsSizeWithTooManyDecimals("1.1MiB"));
  EXPECT_TRUE(IsSizeWithTooManyDecimals("0.5B"));
  EXPECT_FALSE(IsSizeWithTooManyDecimals("1.5MiB"));
  EXPECT_FALSE(IsSizeWithTooManyDecimals("5 megs"));
  EXPECT_TRUE(IsBandwidthWithTooManyDecimals("1.5 kbit/s"));
  EXPECT_FALSE(IsBandwidthWithTooManyDecimals("1.5 Mbit/s"));
}

TEST(UnitsTest, FormatsDurationsShortestExactForm) {
  EXPECT_EQ(FormatDuration(minutes(10)), "10min");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(hours(48)), "2d");
  EXPECT_EQ(FormatDuration(seconds(0)), "0s");
}

TEST(UnitsTest, HumanDurationsReadLikeAClock) {
  EXPECT_EQ(HumanDuration(milliseconds(55'150'502)), "15h 19min 10.502s");
  EXPECT_EQ(HumanDuration(hours(48) + seconds(1)), "2d 1s");
  EXPECT_EQ(HumanDuration(minutes(10)), "10min");
  EXPECT_EQ(HumanDuration(milliseconds(0)), "0s");
  EXPECT_EQ(HumanDuration(milliseconds(250)), "0.250s");
}

}  // namespace
}  // namespace bitsh::scenarios
