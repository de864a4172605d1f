// The network's cost and a job's transfer policy (BITS_JOB_PROPERTY_ID_COST_FLAGS, spec T15), and
// MINIMUM_NOTIFICATION_INTERVAL_MS. The other BITS 5 properties are in job_properties_test.cc.
#include "backend/testing/recording_callback.h"
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::seconds;

class CostPolicyTest : public FakeServiceTest {
 protected:
  CostPolicyTest() { options_.bandwidth_bytes_per_s = kPiece; }  // one 256 KiB piece per virtual second
  JobId SuspendedJob(const std::string& name, std::uint64_t pieces) {
    transport_.AddFile(Url(name), pieces * kPiece, SeedOf(name));
    const JobId job = *alice().CreateJob(name, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, Url(name), Local(name)), IsOk());
    return job;
  }
  Status SetPolicy(const JobId& job, std::uint32_t policy) {
    JobPropertyValue value;
    value.dword = policy;
    return alice().SetJobProperty(job, JobPropertyId::kCostFlags, value);
  }
  HResult ErrorCode(const JobId& job) {
    const Result<JobError> error = alice().GetError(job);
    return error.ok() ? error->code : error.status().code();
  }
  static constexpr std::uint64_t kPiece = 256 * 1024;
};

TEST_F(CostPolicyTest, ANewJobMayTransferOnlyWithoutCostAndSpacesModificationsByHalfASecond) {
  const JobId job = *alice().CreateJob("new", JobType::kDownload);
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kCostFlags)->dword, cost_states::kPolicyUnrestricted);
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kMinimumNotificationIntervalMs)->dword, 500u);
}

TEST_F(CostPolicyTest, OnAMeteredNetworkADefaultJobWaitsUntilTheNetworkIsFreeAgain) {
  service().SetNetworkCost(cost_states::kUsageBased);
  const JobId job = SuspendedJob("metered.wma", 2);
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(std::chrono::hours(1));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(ErrorCode(job), hr::kBlockedByCostTransferPolicy);
  EXPECT_EQ(*alice().GetErrorCount(job), 0u) << "a hold is not an error";
  EXPECT_EQ(BytesTransferred(alice(), job), 0u);
  service().SetNetworkCost(cost_states::kUnrestricted);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(service().log(), TransitionedThrough(job, std::vector{JobState::kQueued, JobState::kTransientError,
                                                                    JobState::kQueued, JobState::kTransferred}));
}

TEST_F(CostPolicyTest, AJobWhosePolicyAllowsTheCostTransfersOnAMeteredNetwork) {
  service().SetNetworkCost(cost_states::kUsageBased);
  const JobId job = SuspendedJob("standard.wma", 2);
  ASSERT_THAT(SetPolicy(job, cost_states::kPolicyStandard), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(service().log(), NeverEntered(job, JobState::kTransientError));
}

TEST_F(CostPolicyTest, RoamingMidTransferHoldsAJobThatMayNotRoamAndKeepsItsBytes) {
  const JobId job = SuspendedJob("roam.wma", 6);
  ASSERT_THAT(SetPolicy(job, cost_states::kPolicyNotRoaming), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(2) + std::chrono::milliseconds(500));
  service().SetNetworkCost(cost_states::kRoaming | cost_states::kUsageBased);
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError)) << "at once, not at the next piece";
  const std::uint64_t kept = BytesTransferred(alice(), job);
  EXPECT_EQ(kept, 2 * kPiece) << "the counted pieces stay; the piece in flight is cut";
  service().AdvanceBy(seconds(30));
  EXPECT_EQ(BytesTransferred(alice(), job), kept);
  service().SetNetworkCost(cost_states::kUsageBased);  // home again: metered, which NOT_ROAMING allows
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(*alice().GetErrorCount(job), 0u);
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("roam.wma")), GeneratedBytes(SeedOf("roam.wma"), 0, 6 * kPiece));
}

TEST_F(CostPolicyTest, AChangedPolicyTakesEffectAtOnce) {
  service().SetNetworkCost(cost_states::kUsageBased);
  const JobId job = SuspendedJob("changed.wma", 4);
  ASSERT_THAT(SetPolicy(job, cost_states::kPolicyAlways), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(1) + std::chrono::milliseconds(500));
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferring));
  ASSERT_THAT(SetPolicy(job, cost_states::kPolicyUnrestricted), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(ErrorCode(job), hr::kBlockedByCostTransferPolicy);
  ASSERT_THAT(SetPolicy(job, cost_states::kPolicyStandard), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kQueued));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(CostPolicyTest, CongestionHoldsOnlyAJobThatDoesNotIgnoreIt) {
  service().SetNetworkCost(cost_states::kUnrestricted, /*congested=*/true);
  const JobId careful = SuspendedJob("careful.wma", 1);
  const JobId documented = SuspendedJob("documented.wma", 1);
  ASSERT_THAT(SetPolicy(careful, cost_states::kUnrestricted), IsOk());  // no BITS_COST_OPTION_IGNORE_CONGESTION
  ASSERT_THAT(alice().Resume(careful), IsOk());
  ASSERT_THAT(alice().Resume(documented), IsOk());  // every documented policy ignores congestion
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(careful), HasState(JobState::kTransientError));
  EXPECT_THAT(alice().GetState(documented), HasState(JobState::kTransferred));
}

TEST_F(CostPolicyTest, TheNotificationIntervalPropertySpacesModifications) {
  const JobId job = SuspendedJob("spaced.wma", 6);
  JobPropertyValue interval;
  interval.dword = 2000;
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kMinimumNotificationIntervalMs, interval), IsOk());
  ASSERT_THAT(alice().SetNotifyFlags(job, notify_flags::kJobModification), IsOk());
  ASSERT_THAT(alice().SetNotifyInterface(job, std::make_shared<bitsh::testing::RecordingCallback>()), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  std::vector<Duration> times;
  for (const LogEvent& event : service().log().events()) {
    if (event.kind == "notify" && event.detail == "JobModification") times.push_back(event.at);
  }
  ASSERT_GE(times.size(), 3u);
  for (std::size_t i = 1; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 1], seconds(2)) << "notice " << i;
}

TEST_F(CostPolicyTest, ThePolicyAndTheHoldSurviveARestart) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  service().SetNetworkCost(cost_states::kRoaming);
  const JobId job = SuspendedJob("kept.wma", 1);
  ASSERT_THAT(SetPolicy(job, cost_states::kPolicyNotRoaming), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(1));
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kCostFlags)->dword, cost_states::kPolicyNotRoaming);
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError)) << "still roaming";
  service().SetNetworkCost(cost_states::kUnrestricted);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

}  // namespace
}  // namespace bitsh::fake::testing
