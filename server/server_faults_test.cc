// ServerFault::Selects and FiresOn: which requests a fault counts and fires on, seeded faults included.
#include "server/server_faults.h"

#include <gtest/gtest.h>

#include <vector>

namespace bitsh::server {
namespace {

// The counts (1..requests) of the GETs of /a.wma that `fault` fires on.
std::vector<int> FiringCounts(const ServerFault& fault, int requests) {
  std::vector<int> fired;
  for (int count = 1; count <= requests; ++count) {
    if (fault.FiresOn(count)) fired.push_back(count);
  }
  return fired;
}

TEST(ServerFaultTest, EveryNthFiresOnMultiplesOfN) {
  const ServerFault fault{.path = "/a.wma", .kind = FaultKind::kStatus, .status = 503, .every = 3};
  EXPECT_EQ(FiringCounts(fault, 10), (std::vector<int>{3, 6, 9}));
}

TEST(ServerFaultTest, AProbabilityFiresOnTheSameRequestsForTheSameSeed) {
  const ServerFault fault{.path = "/a.wma", .kind = FaultKind::kStatus, .status = 503, .probability = 0.25, .draw_seed = 7};
  const std::vector<int> first = FiringCounts(fault, 4000);
  EXPECT_EQ(FiringCounts(fault, 4000), first);
  // About a quarter fire (binomial: 1,000 expected, standard deviation 27; 6 of them either side).
  EXPECT_GT(first.size(), 840u);
  EXPECT_LT(first.size(), 1160u);

  ServerFault other_seed = fault;
  other_seed.draw_seed = 8;
  EXPECT_NE(FiringCounts(other_seed, 4000), first);
}

TEST(ServerFaultTest, EveryAndProbabilityBothHold) {
  const ServerFault every_third{.path = "/a.wma", .kind = FaultKind::kStatus, .status = 503, .every = 3};
  ServerFault seeded = every_third;
  seeded.probability = 0.5;
  seeded.draw_seed = 11;
  const std::vector<int> fired = FiringCounts(seeded, 600);
  for (int count : fired) EXPECT_EQ(count % 3, 0) << count;
  EXPECT_GT(fired.size(), 60u);   // about 100 of the 200 multiples of three
  EXPECT_LT(fired.size(), 140u);
}

TEST(ServerFaultTest, ARequestNumberStillPinsTheFault) {
  const ServerFault fault{.path = "/a.wma", .request_number = 2, .kind = FaultKind::kStatus, .status = 503};
  EXPECT_EQ(FiringCounts(fault, 5), (std::vector<int>{2}));
  EXPECT_TRUE(fault.Selects("/a.wma", "HEAD"));  // no method named: both count
  EXPECT_FALSE(fault.Selects("/b.wma", "GET"));
}

}  // namespace
}  // namespace bitsh::server
