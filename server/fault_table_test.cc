// FaultTable: each fault counts its path's requests from when it was added, the first matching
// fault applies, and faults can be listed, removed and cleared by id.
#include "server/fault_table.h"

#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

ServerFault Status503(const std::string& path, int request_number = 0, const std::string& method = "") {
  return {.path = path, .request_number = request_number, .method = method, .kind = FaultKind::kStatus, .status = 503};
}

TEST(FaultTableTest, AFaultCountsRequestsFromWhenItWasAdded) {
  FaultTable table;
  EXPECT_FALSE(table.Take("/a.wma", "GET"));  // no fault yet: counted nowhere
  EXPECT_FALSE(table.Take("/a.wma", "GET"));
  table.Add(Status503("/a.wma", 2));
  EXPECT_FALSE(table.Take("/a.wma", "GET"));  // the first request since it came
  EXPECT_TRUE(table.Take("/a.wma", "GET"));   // the second
  EXPECT_FALSE(table.Take("/a.wma", "GET"));
  EXPECT_EQ(table.entries().at(0).requests, 3);
  EXPECT_EQ(table.entries().at(0).fired, 1);
}

TEST(FaultTableTest, AFaultForOneMethodCountsThatMethodOnly) {
  FaultTable table;
  table.Add(Status503("/a.wma", 1, "GET"));
  EXPECT_FALSE(table.Take("/a.wma", "HEAD"));
  EXPECT_TRUE(table.Take("/a.wma", "GET"));  // the first GET, after a HEAD
  EXPECT_EQ(table.entries().at(0).requests, 1);
}

TEST(FaultTableTest, EveryFaultOnThePathCountsTheRequestButOnlyTheFirstMatchApplies) {
  FaultTable table;
  table.Add(Status503("/a.wma", 1));
  table.Add({.path = "/a.wma", .request_number = 2, .kind = FaultKind::kCloseAfterBytes, .after_bytes = 10});
  table.Add(Status503("/b.wma"));
  ASSERT_EQ(table.Take("/a.wma", "GET")->kind, FaultKind::kStatus);
  ASSERT_EQ(table.Take("/a.wma", "GET")->kind, FaultKind::kCloseAfterBytes);  // its own second request
  EXPECT_EQ(table.entries().at(2).requests, 0);  // /b.wma's fault saw none of them
  const int first = table.Add(Status503("/a.wma"), /*first=*/true).value();
  EXPECT_EQ(table.entries().front().id, first);
}

TEST(FaultTableTest, FaultsAreRemovedByIdAndIdsAreNeverReused) {
  FaultTable table;
  const int one = *table.Add(Status503("/a.wma"));
  const int two = *table.Add(Status503("/b.wma"));
  EXPECT_TRUE(table.Remove(one));
  EXPECT_FALSE(table.Remove(one));
  EXPECT_FALSE(table.Take("/a.wma", "GET"));
  EXPECT_TRUE(table.Take("/b.wma", "GET"));
  table.Clear();
  EXPECT_FALSE(table.Take("/b.wma", "GET"));
  EXPECT_GT(*table.Add(Status503("/c.wma")), two);
}

TEST(FaultTableTest, ATableHoldsAtMostItsLimit) {
  FaultTable table;
  for (std::size_t i = 0; i < FaultTable::kMaxFaults; ++i) ASSERT_TRUE(table.Add(Status503("/a.wma")));
  EXPECT_FALSE(table.Add(Status503("/a.wma")));
}

}  // namespace
}  // namespace bitsh::server
