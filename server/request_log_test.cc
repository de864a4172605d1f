// RequestLog stays bounded however many distinct paths are asked for.
#include <gtest/gtest.h>

#include "server/request_log.h"

namespace bitsh::server {
namespace {

TEST(RequestLogTest, KeepsTheNewestRecordsWithinItsBudget) {
  RequestLog log(8 * 1024);
  for (int i = 0; i < 1000; ++i) log.Add({.method = "GET", .path = "/p/" + std::to_string(i), .status = 404});
  const std::vector<RequestRecord> records = log.Records();
  EXPECT_LT(records.size(), 100u);
  EXPECT_EQ(records.size() + log.Dropped(), 1000u);
  EXPECT_EQ(records.back().path, "/p/999");
  EXPECT_EQ(records.front().path, "/p/" + std::to_string(log.Dropped()));
}

TEST(RequestLogTest, BytesSentReachTheRightRecordAndDroppedOnesAreIgnored) {
  RequestLog log(4 * 1024);
  const std::size_t first = log.Add({.method = "GET", .path = "/first"});
  log.AddBytesSent(first, 10);
  EXPECT_EQ(log.Records().at(0).bytes_sent, 10u);
  std::size_t last = first;
  for (int i = 0; i < 100; ++i) last = log.Add({.method = "GET", .path = "/more"});
  ASSERT_GT(log.Dropped(), 0u);
  log.AddBytesSent(first, 5);  // dropped: nothing to count into, nothing breaks
  log.AddBytesSent(last, 7);
  log.TakeBackBytesSent(last, 2);
  EXPECT_EQ(log.Records().back().bytes_sent, 5u);
}

TEST(RequestLogTest, LongFieldsAreCut) {
  RequestLog log;
  log.Add({.method = "GET", .path = "/" + std::string(10'000, 'x')});
  const std::string path = log.Records().at(0).path;
  EXPECT_EQ(path.size(), RequestLog::kMaxFieldBytes);
  EXPECT_TRUE(path.ends_with("..."));
}

}  // namespace
}  // namespace bitsh::server
