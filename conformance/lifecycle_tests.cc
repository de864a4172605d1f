// Conformance: job lifecycle, property defaults and limits, and the codes of illegal calls
// (spec §2.1, §2.4, §12).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int LifecycleTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasState;
using bitsh::testing::HasValue;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

TEST_P(BackendConformanceTest, ANewJobIsSuspendedEmptyAndWithoutError) {
  Result<JobId> job = user().CreateJob("defaults", JobType::kDownload);
  ASSERT_THAT(job, IsOk());
  EXPECT_THAT(user().GetState(*job), HasState(JobState::kSuspended));
  EXPECT_THAT(user().GetProgress(*job), HasValue((JobProgress{0, 0, 0, 0})));
  EXPECT_THAT(user().GetType(*job), HasValue(JobType::kDownload));
  EXPECT_THAT(user().GetDisplayName(*job), HasValue("defaults"));
  EXPECT_THAT(user().GetError(*job), StatusIs(hr::kErrorInformationUnavailable));
  EXPECT_THAT(user().Cancel(*job), IsOk());
}

TEST_P(BackendConformanceTest, ANewJobHasTheDocumentedDefaultSettings) {
  const JobId job = CreateJob("defaults");
  EXPECT_THAT(user().GetPriority(job), HasValue(JobPriority::kNormal));
  EXPECT_THAT(user().GetMinimumRetryDelay(job), HasValue(600u));
  EXPECT_THAT(user().GetNoProgressTimeout(job), HasValue(1'209'600u));
  EXPECT_THAT(user().GetErrorCount(job), HasValue(0u));
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, ResumeWithoutFilesIsEmptyAndTheJobStaysSuspended) {
  const JobId job = CreateJob("empty");
  EXPECT_THAT(user().Resume(job), StatusIs(hr::kEmpty));
  EXPECT_THAT(user().GetState(job), HasState(JobState::kSuspended));
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, CancelIsFinalAndASecondCancelIsInvalidState) {
  const JobId job = CreateJob("cancel");
  EXPECT_THAT(user().Cancel(job), IsOk());
  EXPECT_THAT(user().GetState(job), HasState(JobState::kCancelled));
  EXPECT_THAT(user().Cancel(job), StatusIs(hr::kInvalidState));
  EXPECT_THAT(user().Resume(job), StatusIs(hr::kInvalidState));
}

TEST_P(BackendConformanceTest, CompleteAfterTransferAcknowledgesAndASecondCompleteIsInvalidState) {
  const JobId job = QueueDownload("/life/complete.wma", 50'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_THAT(user().GetError(job), StatusIs(hr::kErrorInformationUnavailable));
  EXPECT_THAT(user().Complete(job), StatusIs(hr::kOk));
  EXPECT_THAT(user().GetState(job), HasState(JobState::kAcknowledged));
  EXPECT_THAT(user().Complete(job), StatusIs(hr::kInvalidState));
}

TEST_P(BackendConformanceTest, StringLimitsAreTheDocumentedOnes) {
  EXPECT_THAT(user().CreateJob(std::string(257, 'n'), JobType::kDownload), StatusIs(hr::kInvalidArg));
  const JobId job = CreateJob(std::string(256, 'n'));
  EXPECT_THAT(user().SetDescription(job, std::string(1024, 'd')), IsOk());
  EXPECT_THAT(user().SetDescription(job, std::string(1025, 'd')), StatusIs(hr::kStringTooLong));
  EXPECT_THAT(user().GetDescription(job), HasValue(::testing::SizeIs(1024u)));
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, TheMinimumRetryDelayIsRaisedToFiveSeconds) {
  const JobId job = CreateJob("retry");
  EXPECT_THAT(user().SetMinimumRetryDelay(job, 1), IsOk());
  EXPECT_THAT(user().GetMinimumRetryDelay(job), HasValue(5u));
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, SuspendHoldsTheJobAndResumeFinishesIt) {
  const JobId job = QueueDownload("/life/suspend.wma", 200'000);
  ASSERT_THAT(user().Suspend(job), IsOk());
  EXPECT_THAT(user().GetState(job), HasState(JobState::kSuspended));
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("suspend.wma", "/life/suspend.wma", 200'000));
}

}  // namespace
}  // namespace bitsh::conformance
