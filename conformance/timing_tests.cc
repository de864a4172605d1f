// Conformance: behaviour that needs control of time or of the service (spec §2.1, §4).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int TimingTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasState;
using bitsh::testing::HasValue;
using bitsh::testing::StatusIs;
using bitsh::testing::IsOk;
using server::FaultKind;

TEST_P(BackendConformanceTest, TheDefaultRetryDelayIsTenMinutes) {
  BITSH_REQUIRE_CAPABILITY(Capability::kVirtualTime);
  AddFault({.path = "/time/r.wma", .request_number = 1, .kind = FaultKind::kStatus, .status = 503});
  const JobId job = QueueDownload("/time/r.wma", 1000, /*retry_delay_s=*/600);
  ASSERT_TRUE(WaitForState(job, JobState::kTransientError));
  EXPECT_FALSE(WaitForState(job, JobState::kTransferred, std::chrono::seconds(599)));
  EXPECT_TRUE(WaitForState(job, JobState::kTransferred, std::chrono::seconds(2)));
}

TEST_P(BackendConformanceTest, FourteenDaysWithoutProgressEndInError) {
  BITSH_REQUIRE_CAPABILITY(Capability::kVirtualTime);
  AddFault({.path = "/time/down.wma", .kind = FaultKind::kStatus, .status = 503});
  const JobId job = QueueDownload("/time/down.wma", 1000, /*retry_delay_s=*/600);
  ASSERT_TRUE(WaitForState(job, JobState::kTransientError));
  EXPECT_FALSE(WaitForState(job, JobState::kError, std::chrono::hours(24 * 14) - std::chrono::minutes(1)));
  EXPECT_TRUE(WaitForState(job, JobState::kError, std::chrono::minutes(2)));
  EXPECT_THAT(user().GetError(job), HasValue(::testing::Field(&JobError::code, 0x801901F7u)));
}

TEST_P(BackendConformanceTest, TheMaximumDownloadTimeIsNinetyDaysUntilSetThenReadBackAsSet) {
  const JobId job = CreateJob("max download time");
  EXPECT_THAT(user().GetMaximumDownloadTime(job), HasValue(7'776'000u));
  ASSERT_THAT(user().SetMaximumDownloadTime(job, 3600), IsOk());
  EXPECT_THAT(user().GetMaximumDownloadTime(job), HasValue(3600u));
}

TEST_P(BackendConformanceTest, AJobOverItsMaximumDownloadTimeEndsInError) {
  BITSH_REQUIRE_CAPABILITY(Capability::kVirtualTime);  // a transfer that lasts longer than the limit, every time
  Serve("/time/long.wma", 64 * 1024 * 1024);
  const JobId job = CreateJob("too long");
  ASSERT_THAT(user().AddFile(job, Url("/time/long.wma"), Local("long.wma").string()), IsOk());
  ASSERT_THAT(user().SetMaximumDownloadTime(job, 1), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_THAT(user().GetError(job), HasValue(::testing::Field(&JobError::code, hr::kMaxDownloadTimeout)));
  EXPECT_LT(user().GetProgress(job)->bytes_transferred, 64u * 1024 * 1024);
}

// IBackgroundCopyJob5: the transfer policy reads back as set; its default is a decision where the
// docs are silent (docs/decisions.md, "The default transfer policy"), held here to every backend
// so that a run on Windows settles it.
TEST_P(BackendConformanceTest, TheTransferPolicyReadsBackAsSetAndUnknownPropertiesAreRefused) {
  const JobId job = CreateJob("transfer policy");
  const Result<JobPropertyValue> initial = user().GetJobProperty(job, JobPropertyId::kCostFlags);
  ASSERT_THAT(initial.status(), IsOk());
  EXPECT_EQ(initial->dword, cost_states::kDefaultPolicy);
  JobPropertyValue standard;
  standard.dword = cost_states::kPolicyStandard;
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kCostFlags, standard), IsOk());
  EXPECT_EQ(user().GetJobProperty(job, JobPropertyId::kCostFlags)->dword, cost_states::kPolicyStandard);
  EXPECT_THAT(user().SetJobProperty(job, static_cast<JobPropertyId>(6), standard), StatusIs(hr::kUnknownPropertyId));
}

TEST_P(BackendConformanceTest, TheQueueSurvivesAServiceRestart) {
  BITSH_REQUIRE_CAPABILITY(Capability::kServiceRestart);
  const JobId waiting = CreateJob("waiting");
  ASSERT_THAT(user().SetDescription(waiting, "kept across the restart"), IsOk());
  const JobId done = QueueDownload("/time/restart.wma", 100'000);
  bits().RestartService();
  EXPECT_THAT(user().GetState(waiting), HasState(JobState::kSuspended));
  EXPECT_THAT(user().GetDescription(waiting), HasValue("kept across the restart"));
  ASSERT_TRUE(WaitForState(done, JobState::kTransferred));
  ASSERT_THAT(user().Complete(done), IsOk());
  EXPECT_TRUE(HoldsServedBytes("restart.wma", "/time/restart.wma", 100'000));
  EXPECT_THAT(user().Cancel(waiting), IsOk());
}

}  // namespace
}  // namespace bitsh::conformance
