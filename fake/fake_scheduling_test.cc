// Priorities, round-robin, foreground concurrency and bandwidth in virtual time (spec §2.7, §4).
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(FakeServiceTest, AThrottledTransferTakesSizeOverBandwidthToTheMillisecond) {
  options_.bandwidth_bytes_per_s = 64 * 1024;
  options_.request_latency = milliseconds(20);
  options_.chunk_bytes = 1024 * 1024;
  const JobId job = QueueDownload(alice(), "slow.wma", 3 * 1024 * 1024);  // 48 s at 64 KiB/s
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  ASSERT_TRUE(Entered(job, JobState::kConnecting));
  const Duration took = *TimeEntered(job, JobState::kTransferred) - *TimeEntered(job, JobState::kConnecting);
  // 48 s of bytes + one latency to connect + one per request (3 fetches).
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(took), milliseconds(48'000 + 20 + 3 * 20));
}

TEST_F(FakeServiceTest, HigherPriorityBackgroundJobsFinishFirst) {
  options_.bandwidth_bytes_per_s = 1'000'000;
  const JobId low = QueueDownload(alice(), "low.wma", 2'000'000, JobPriority::kLow);
  const JobId normal = QueueDownload(alice(), "normal.wma", 2'000'000, JobPriority::kNormal);
  const JobId high = QueueDownload(alice(), "high.wma", 2'000'000, JobPriority::kHigh);
  ASSERT_TRUE(service().RunUntilIdle());
  // Each starts only when the one above it is done (at that same instant).
  ASSERT_TRUE(Entered(high, JobState::kTransferred));
  ASSERT_TRUE(Entered(normal, JobState::kConnecting));
  EXPECT_LE(*TimeEntered(high, JobState::kTransferred), *TimeEntered(normal, JobState::kConnecting));
  ASSERT_TRUE(Entered(normal, JobState::kTransferred));
  ASSERT_TRUE(Entered(low, JobState::kConnecting));
  EXPECT_LE(*TimeEntered(normal, JobState::kTransferred), *TimeEntered(low, JobState::kConnecting));
}

TEST_F(FakeServiceTest, AHigherPriorityJobPreemptsARunningLowerOne) {
  options_.bandwidth_bytes_per_s = 1'000'000;
  const JobId low = QueueDownload(alice(), "low.wma", 10'000'000, JobPriority::kLow);
  service().AdvanceBy(seconds(2));
  const JobId high = QueueDownload(alice(), "high.wma", 1'000'000, JobPriority::kHigh);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(high) == JobState::kTransferred; }));
  EXPECT_THAT(service().log(), TransitionedThrough(low, std::vector{JobState::kTransferring, JobState::kQueued}));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(low), HasState(JobState::kTransferred));
}

TEST_F(FakeServiceTest, JobsOfEqualPriorityTakeTurnsBySlices) {
  options_.bandwidth_bytes_per_s = 100'000;
  options_.background_time_slice = seconds(10);
  const JobId first = QueueDownload(alice(), "a.wma", 3'000'000);   // 30 s of transfer each
  const JobId second = QueueDownload(alice(), "b.wma", 3'000'000);
  ASSERT_TRUE(service().RunUntilIdle());
  const auto running = std::vector{JobState::kTransferring, JobState::kQueued, JobState::kConnecting,
                                   JobState::kTransferring, JobState::kQueued};
  EXPECT_THAT(service().log(), TransitionedThrough(first, running));
  EXPECT_THAT(service().log(), TransitionedThrough(second, running));
  // The second job starts after one slice of the first, not after all of it.
  ASSERT_TRUE(Entered(second, JobState::kConnecting));
  EXPECT_EQ(std::chrono::duration_cast<seconds>(*TimeEntered(second, JobState::kConnecting)), seconds(10));
}

TEST_F(FakeServiceTest, ForegroundJobsTransferAlongsideABackgroundJob) {
  options_.bandwidth_bytes_per_s = 1'000'000;
  const JobId background = QueueDownload(alice(), "bg.wma", 4'000'000);
  const JobId foreground = QueueDownload(alice(), "fg.wma", 1'000'000, JobPriority::kForeground);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(foreground) == JobState::kTransferred; }));
  EXPECT_THAT(alice().GetState(background), HasState(JobState::kTransferring));
  EXPECT_GT(BytesTransferred(alice(), background), 0u);
}

TEST_F(FakeServiceTest, ActiveTransfersShareTheBandwidth) {
  options_.bandwidth_bytes_per_s = 1'000'000;
  options_.chunk_bytes = 100'000;
  QueueDownload(alice(), "bg.wma", 2'000'000);
  const JobId foreground = QueueDownload(alice(), "fg.wma", 2'000'000, JobPriority::kForeground);
  ASSERT_TRUE(service().RunUntilIdle());
  // Two transfers at once: each gets half, so 2 MB take 4 s instead of 2 s.
  ASSERT_TRUE(Entered(foreground, JobState::kTransferred));
  ASSERT_TRUE(Entered(foreground, JobState::kConnecting));
  const Duration took = *TimeEntered(foreground, JobState::kTransferred) - *TimeEntered(foreground, JobState::kConnecting);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(took), milliseconds(4000));
}

TEST_F(FakeServiceTest, ChangingTheBandwidthChangesTheTransferTime) {
  options_.bandwidth_bytes_per_s = 100'000;
  options_.chunk_bytes = 100'000;
  const JobId job = QueueDownload(alice(), "bw.wma", 1'000'000);
  service().AdvanceBy(milliseconds(4500));  // in the middle of the fifth 100 kB step
  service().SetBandwidth(500'000);           // from the next step on: the last 500 kB take 1 s
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(*TimeEntered(job, JobState::kTransferred)), milliseconds(6000));
}

TEST_F(FakeServiceTest, ABandwidthOfZeroIsLoggedAsUnlimited) {
  service().SetBandwidth(0);
  service().SetBandwidth(1000);
  std::vector<std::string> details;
  for (const LogEvent& event : service().log().events()) {
    if (event.kind == "network") details.push_back(event.detail);
  }
  EXPECT_THAT(details, ::testing::ElementsAre("bandwidth unlimited", "bandwidth 1000 B/s"));
}

}  // namespace
}  // namespace bitsh::fake::testing
