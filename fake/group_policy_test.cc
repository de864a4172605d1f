// Group policies that act on jobs over time (spec §4 "Group Policies", T14, T18), and holds
// against the no-progress clock (G6): JobInactivityTimeout, MaxInternetBandwidth.
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class GroupPolicyTest : public FakeServiceTest {
 protected:
  static constexpr std::uint64_t kPiece = 256 * 1024;
};

TEST_F(GroupPolicyTest, AJobNobodyTouchesForNinetyDaysIsCancelledAndItsTemporaryFilesGo) {
  const JobId job = QueueDownload(alice(), "left.wma", 1000);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferred));  // the store never completes it
  ASSERT_EQ(TempFiles().size(), 1u);
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  const Duration transferred_at = *TimeEntered(job, JobState::kTransferred);
  service().AdvanceBy(hours(24 * 91));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kCancelled));
  ASSERT_TRUE(Entered(job, JobState::kCancelled));
  EXPECT_EQ(*TimeEntered(job, JobState::kCancelled) - transferred_at, hours(24 * 90));
  EXPECT_TRUE(TempFiles().empty());
}

TEST_F(GroupPolicyTest, TheInactivityTimerDoesNotKeepAnIdleRunGoing) {
  const JobId job = QueueDownload(alice(), "idle.wma", 1000);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_LT(service().Now() - options_.start_time, hours(1)) << "idle once the transfer is done, not 90 days later";
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(GroupPolicyTest, ProgressAndChangesRestartTheInactivityClock) {
  options_.job_inactivity_timeout = hours(1);
  options_.bandwidth_bytes_per_s = 1024;  // a 256 KiB piece every 256 s: 20 pieces, 85 minutes
  const JobId job = QueueDownload(alice(), "slow.wma", 20 * kPiece);
  service().AdvanceBy(minutes(70));
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferring)) << "progress is activity";
  ASSERT_THAT(alice().Suspend(job), IsOk());
  service().AdvanceBy(minutes(50));
  ASSERT_THAT(alice().SetDescription(job, "still wanted"), IsOk());  // a property change is activity too
  service().AdvanceBy(minutes(50));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kSuspended));
  service().AdvanceBy(minutes(11));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kCancelled));
}

TEST_F(GroupPolicyTest, AZeroInactivityTimeoutTurnsItOff) {
  options_.job_inactivity_timeout = Duration::zero();
  const JobId job = *alice().CreateJob("kept", JobType::kDownload);
  service().AdvanceBy(hours(24 * 365));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kSuspended));
}

TEST_F(GroupPolicyTest, MaxInternetBandwidthZeroHoldsBackgroundJobsOnly) {
  options_.max_internet_bandwidth = 0;
  const JobId background = QueueDownload(alice(), "bg.wma", 1000);
  const JobId foreground = QueueDownload(alice(), "fg.wma", 1000, JobPriority::kForeground);
  service().AdvanceBy(hours(1));
  EXPECT_THAT(alice().GetState(foreground), HasState(JobState::kTransferred));
  EXPECT_THAT(alice().GetState(background), HasState(JobState::kTransientError));
  EXPECT_EQ(alice().GetError(background)->code, hr::kBlockedByPolicy);
  EXPECT_EQ(*alice().GetErrorCount(background), 0u);
  service().SetMaxInternetBandwidth(std::nullopt);  // the policy's window ends
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(background), HasState(JobState::kTransferred));
}

TEST_F(GroupPolicyTest, MaxInternetBandwidthCapsABackgroundJob) {
  options_.bandwidth_bytes_per_s = 0;  // the network itself is unlimited
  options_.max_internet_bandwidth = 128 * 1024;
  const JobId job = QueueDownload(alice(), "capped.wma", 4 * kPiece);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  EXPECT_EQ(*TimeEntered(job, JobState::kTransferred), seconds(8));
}

TEST_F(GroupPolicyTest, TimeHeldDoesNotCountTowardsTheNoProgressTimeout) {
  transport_.FailNext(Url("held.wma"), hr::FromHttpStatus(503), 2);
  const JobId job = *alice().CreateJob("held", JobType::kDownload);
  transport_.AddFile(Url("held.wma"), 1000, SeedOf("held.wma"));
  ASSERT_THAT(alice().AddFile(job, Url("held.wma"), Local("held.wma")), IsOk());
  ASSERT_THAT(alice().SetNoProgressTimeout(job, 3600), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 600), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(minutes(5));  // first 503 at 0: TRANSIENT_ERROR, retry at 10 min
  service().SetNetworkCost(cost_states::kUsageBased);
  service().AdvanceBy(hours(3));  // the retry at 10 min is held: metered
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  ASSERT_EQ(alice().GetError(job)->code, hr::kBlockedByCostTransferPolicy);
  service().SetNetworkCost(cost_states::kUnrestricted);  // second 503: 15 minutes of the hour counted, not 3 h 5 min
  service().AdvanceBy(seconds(1));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(alice().GetError(job)->code, hr::FromHttpStatus(503));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(GroupPolicyTest, AServiceStartedFromASnapshotLooksAgainAtItsHeldJobs) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  service().SetNetworkCost(cost_states::kRoaming);
  const JobId job = QueueDownload(alice(), "crash.wma", 1000);
  service().AdvanceBy(seconds(1));
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  alice_.reset();
  service_.reset();  // the harness process ends; a new one starts from the snapshot, on a free network
  ASSERT_THAT(service().startup_status(), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

}  // namespace
}  // namespace bitsh::fake::testing
