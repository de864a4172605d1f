// The network timeline in virtual time.
#include "fake/network_plan.h"

#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_F(FakeServiceTest, BandwidthChangesApplyAtTheirTimes) {
  options_.chunk_bytes = 100'000;
  NetworkPlan plan;
  plan.bandwidth_bytes_per_s = 100'000;
  plan.bandwidth_changes = {{seconds(5), 500'000}};
  ApplyNetworkPlan(service(), plan);
  const JobId job = QueueDownload(alice(), "bw.wma", 1'000'000);
  ASSERT_TRUE(service().RunUntilIdle());
  // 500 kB in the first 5 s, the other 500 kB in 1 s at the new rate.
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(*TimeEntered(job, JobState::kTransferred)), milliseconds(6000));
}

TEST_F(FakeServiceTest, AnOutageWindowHoldsJobsAndReleasesThemWhenItEnds) {
  options_.bandwidth_bytes_per_s = 100'000;
  NetworkPlan plan;
  plan.outages = {{seconds(3), minutes(30)}};
  ApplyNetworkPlan(service(), plan);
  const JobId job = QueueDownload(alice(), "o.wma", 1'000'000);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  EXPECT_EQ(*TimeEntered(job, JobState::kTransientError), seconds(3));
  ASSERT_TRUE(Entered(job, JobState::kQueued, 2));
  EXPECT_EQ(*TimeEntered(job, JobState::kQueued, 2), seconds(3) + minutes(30));
  EXPECT_EQ(*alice().GetErrorCount(job), 0u);
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("o.wma")), GeneratedBytes(SeedOf("o.wma"), 0, 1'000'000));
}

TEST_F(FakeServiceTest, ADropAtAMomentFailsTheTransferAndTheRetryResumes) {
  options_.bandwidth_bytes_per_s = 100'000;
  options_.chunk_bytes = 100'000;
  NetworkPlan plan;
  plan.drops = {milliseconds(2500)};
  ApplyNetworkPlan(service(), plan);
  const JobId job = *alice().CreateJob("d", JobType::kDownload);
  transport_.AddFile(Url("d.wma"), 500'000, 3);
  ASSERT_THAT(alice().AddFile(job, Url("d.wma"), Local("d.wma")), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 10), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  EXPECT_EQ(*TimeEntered(job, JobState::kTransientError), milliseconds(2500));
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  std::vector<std::uint64_t> offsets;
  for (const auto& request : transport_.requests()) {
    if (!request.is_probe) offsets.push_back(request.offset);
  }
  // Two pieces were counted before the drop; the cut third is fetched again from 200000.
  EXPECT_THAT(offsets, ::testing::ElementsAre(0u, 100'000u, 200'000u, 200'000u, 300'000u, 400'000u));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("d.wma")), GeneratedBytes(3, 0, 500'000));
}

TEST_F(FakeServiceTest, LatencyIsPaidPerRequest) {
  NetworkPlan plan;
  plan.bandwidth_bytes_per_s = 0;  // unlimited: only latency costs time
  plan.request_latency = milliseconds(250);
  ApplyNetworkPlan(service(), plan);
  const JobId job = QueueDownload(alice(), "l.wma", 1000);
  ASSERT_TRUE(service().RunUntilIdle());
  // Connect, then one piece: two requests.
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(*TimeEntered(job, JobState::kTransferred)), milliseconds(500));
}

}  // namespace
}  // namespace bitsh::fake::testing
