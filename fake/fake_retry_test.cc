// Errors, retries and timeouts in virtual time (spec §2.1, §2.3 T3-T12, T16, §3.3).
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::seconds;
using ::testing::Optional;

TEST_F(FakeServiceTest, ATransientErrorIsRetriedAfterExactlyTheMinimumRetryDelay) {
  transport_.FailNext(Url("r.wma"), hr::FromHttpStatus(503));
  const JobId job = QueueDownload(alice(), "r.wma", 10'000);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(service().log(), TransitionedThrough(job, std::vector{JobState::kConnecting, JobState::kTransientError,
                                                                    JobState::kQueued, JobState::kTransferred}));
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  const Duration failed_at = *TimeEntered(job, JobState::kTransientError);
  ASSERT_TRUE(Entered(job, JobState::kQueued, 2));
  EXPECT_EQ(*TimeEntered(job, JobState::kQueued, 2) - failed_at, seconds(600));
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
}

TEST_F(FakeServiceTest, TheErrorOfATransientFailureIsReadableWithItsContext) {
  transport_.FailNext(Url("r.wma"), hr::FromHttpStatus(503));
  const JobId job = QueueDownload(alice(), "r.wma", 10'000);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  Result<JobError> error = alice().GetError(job);
  ASSERT_THAT(error, IsOk());
  EXPECT_EQ(error->code, 0x801901F7u);
  EXPECT_EQ(error->context, ErrorContext::kRemoteFile);
  EXPECT_THAT(error->file_index, Optional(0u));
  EXPECT_EQ(error->protocol, "http");
}

TEST_F(FakeServiceTest, AShorterRetryDelayIsHonoured) {
  transport_.FailNext(Url("r.wma"), hr::FromHttpStatus(500), 2);
  transport_.AddFile(Url("r.wma"), 1000, 1);
  const JobId job = *alice().CreateJob("r", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("r.wma"), Local("r.wma")), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 30), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kQueued, 3));
  ASSERT_TRUE(Entered(job, JobState::kTransientError, 2));
  EXPECT_EQ(*TimeEntered(job, JobState::kQueued, 3) - *TimeEntered(job, JobState::kTransientError, 2), seconds(30));
  EXPECT_EQ(*alice().GetErrorCount(job), 2u);  // each failed retry counts (BITS 2.0+)
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

// A code in no list (docs/decisions.md) is retried, and the state line says the class is the
// default, so a test that scripted the code can tell a documented retry from a guessed one.
TEST_F(FakeServiceTest, AnUnlistedCodeIsRetriedAndTheLogSaysTheClassIsTheDefault) {
  constexpr HResult kSharingViolation = 0x80070020;  // HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION)
  transport_.FailNext(Url("u.wma"), kSharingViolation);
  transport_.FailNext(Url("l.wma"), hr::FromHttpStatus(503));
  const JobId unlisted = QueueDownload(alice(), "u.wma", 1000);
  const JobId listed = QueueDownload(alice(), "l.wma", 1000);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(unlisted) == JobState::kTransientError; }));
  EXPECT_EQ(alice().GetError(unlisted)->code, kSharingViolation);
  ASSERT_TRUE(service().RunUntilIdle());
  const auto entering_transient_error = [&](const JobId& job) {
    for (const LogEvent& event : service().log().events()) {
      if (event.job == job.ToString() && event.state == JobState::kTransientError) return event.detail;
    }
    return std::string("(never)");
  };
  EXPECT_EQ(entering_transient_error(unlisted),
            "CONNECTING -> TRANSIENT_ERROR (retry in 600s; unlisted code, transient by default)");
  EXPECT_EQ(entering_transient_error(listed), "CONNECTING -> TRANSIENT_ERROR (retry in 600s)");
  EXPECT_THAT(alice().GetState(unlisted), HasState(JobState::kTransferred));
}

TEST_F(FakeServiceTest, NotFoundIsFatalInTheRemoteFileContext) {
  const JobId job = *alice().CreateJob("missing", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("missing.wma"), Local("missing.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_THAT(service().log(), NeverEntered(job, JobState::kTransientError));
  Result<JobError> error = alice().GetError(job);
  ASSERT_THAT(error, IsOk());
  EXPECT_EQ(error->code, 0x80190194u);
  EXPECT_EQ(error->context, ErrorContext::kRemoteFile);
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
}

TEST_F(FakeServiceTest, AJobThatKeepsFailingGoesToErrorAfterTheNoProgressTimeout) {
  transport_.FailNext(Url("down.wma"), hr::FromHttpStatus(503), 1'000'000);
  const JobId job = QueueDownload(alice(), "down.wma", 1000);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  const Duration first_error = *TimeEntered(job, JobState::kTransientError);
  ASSERT_TRUE(Entered(job, JobState::kError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError) - first_error, seconds(1'209'600));  // 14 days
  EXPECT_EQ(*alice().GetErrorCount(job), 14u * 24 * 6);  // one try every 600 s, the last at the deadline
  EXPECT_EQ(alice().GetError(job)->code, 0x801901F7u);  // the last error is kept
}

TEST_F(FakeServiceTest, ARetryDelayLongerThanTheTimeoutMeansNoRetry) {
  transport_.FailNext(Url("x.wma"), hr::FromHttpStatus(503), 100);
  transport_.AddFile(Url("x.wma"), 1000, 1);
  const JobId job = *alice().CreateJob("x", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("x.wma"), Local("x.wma")), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 900), IsOk());
  ASSERT_THAT(alice().SetNoProgressTimeout(job, 300), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kError));
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError) - *TimeEntered(job, JobState::kTransientError), seconds(300));
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
}

TEST_F(FakeServiceTest, ANoProgressTimeoutOfZeroMakesEveryErrorFatal) {
  transport_.FailNext(Url("z.wma"), hr::FromHttpStatus(503));
  transport_.AddFile(Url("z.wma"), 1000, 1);
  const JobId job = *alice().CreateJob("z", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("z.wma"), Local("z.wma")), IsOk());
  ASSERT_THAT(alice().SetNoProgressTimeout(job, 0), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_THAT(service().log(), NeverEntered(job, JobState::kTransientError));
}

TEST_F(FakeServiceTest, ResumeInTransientErrorRetriesAtOnce) {
  transport_.FailNext(Url("now.wma"), hr::FromHttpStatus(503));
  const JobId job = QueueDownload(alice(), "now.wma", 1000);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  const TimePoint failed = service().Now();
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransferred; }));
  EXPECT_LT(service().Now() - failed, seconds(1));  // only the transfer itself, not a 600 s wait
}

TEST_F(FakeServiceTest, ADroppedConnectionResumesFromTheExactByteHeld) {
  options_.chunk_bytes = 1'000'000;
  transport_.DropAt(Url("d.wma"), 123'457);
  const JobId job = QueueDownload(alice(), "d.wma", 500'000);
  ASSERT_TRUE(service().RunUntilIdle());
  std::vector<std::uint64_t> offsets;
  for (const auto& request : transport_.requests()) {
    if (!request.is_probe) offsets.push_back(request.offset);
  }
  EXPECT_THAT(offsets, ::testing::ElementsAre(0u, 123'457u));
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("d.wma")), GeneratedBytes(SeedOf("d.wma"), 0, 500'000));
}

TEST_F(FakeServiceTest, AFileChangedOnTheServerRestartsFromZero) {
  options_.chunk_bytes = 100'000;
  options_.bandwidth_bytes_per_s = 100'000;
  const JobId job = QueueDownload(alice(), "c.wma", 400'000);
  service().AdvanceBy(seconds(2));
  ASSERT_EQ(BytesTransferred(alice(), job), 200'000u);
  transport_.AddFile(Url("c.wma"), 300'000, 99);  // a new version of the file
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(*alice().GetProgress(job), (JobProgress{300'000, 300'000, 1, 1}));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("c.wma")), GeneratedBytes(99, 0, 300'000));
}

TEST_F(FakeServiceTest, LosingTheNetworkIsTransientUncountedAndItsReturnRequeues) {
  options_.bandwidth_bytes_per_s = 100'000;
  const JobId job = QueueDownload(alice(), "n.wma", 1'000'000);
  service().AdvanceBy(seconds(3));
  service().SetNetworkAvailable(false);
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kNetworkDisconnected);
  EXPECT_EQ(*alice().GetErrorCount(job), 0u);
  service().AdvanceBy(std::chrono::hours(48));  // no timed retry while down
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  service().SetNetworkAvailable(true);
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kQueued));
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("n.wma")), GeneratedBytes(SeedOf("n.wma"), 0, 1'000'000));
}

TEST_F(FakeServiceTest, AnOutageDoesNotCountTowardsTheNoProgressTimeout) {
  transport_.FailNext(Url("o.wma"), hr::FromHttpStatus(503), 3);
  transport_.AddFile(Url("o.wma"), 1000, 1);
  const JobId job = *alice().CreateJob("o", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("o.wma"), Local("o.wma")), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 600), IsOk());
  ASSERT_THAT(alice().SetNoProgressTimeout(job, 1000), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  service().SetNetworkAvailable(false);
  service().AdvanceBy(std::chrono::hours(5));
  service().SetNetworkAvailable(true);
  ASSERT_TRUE(service().RunUntilIdle());
  // 3 failures before the 1000 s of failing time run out: t=0, 0 (requeued on return), 600.
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(*alice().GetErrorCount(job), 3u);
}

}  // namespace
}  // namespace bitsh::fake::testing
