// The maximum download time (IBackgroundCopyJob4::SetMaximumDownloadTime, spec T19), in virtual
// time: only CONNECTING and TRANSFERRING count, Resume sets the count back to zero.
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::seconds;
using ::testing::Optional;

class MaxDownloadTimeTest : public FakeServiceTest {
 protected:
  MaxDownloadTimeTest() { options_.bandwidth_bytes_per_s = kPiece; }  // one 256 KiB piece per virtual second
  // A suspended job with one file of `pieces` seconds' worth of bytes and the given limit.
  JobId SlowJob(const std::string& name, std::uint64_t pieces, std::uint32_t limit_s) {
    transport_.AddFile(Url(name), pieces * kPiece, SeedOf(name));
    const JobId job = *alice().CreateJob(name, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, Url(name), Local(name)), IsOk());
    EXPECT_THAT(alice().SetMaximumDownloadTime(job, limit_s), IsOk());
    return job;
  }
  // A SlowJob whose first run is cut when it reaches byte `cut`, retried after `retry_delay_s`,
  // resumed.
  JobId CutJob(const std::string& name, std::uint64_t pieces, std::uint32_t limit_s, std::uint64_t cut,
               std::uint32_t retry_delay_s) {
    transport_.DropAt(Url(name), cut);
    const JobId job = SlowJob(name, pieces, limit_s);
    EXPECT_THAT(alice().SetMinimumRetryDelay(job, retry_delay_s), IsOk());
    EXPECT_THAT(alice().Resume(job), IsOk());
    return job;
  }
  // How long the job's first run lasted: CONNECTING to TRANSIENT_ERROR.
  Duration FirstRun(const JobId& job) const {
    return *TimeEntered(job, JobState::kTransientError) - *TimeEntered(job, JobState::kConnecting);
  }
  static constexpr std::uint64_t kPiece = 256 * 1024;
};

TEST_F(MaxDownloadTimeTest, ANewJobMayTransferForNinetyDays) {
  const JobId job = *alice().CreateJob("new", JobType::kDownload);
  EXPECT_EQ(*alice().GetMaximumDownloadTime(job), 7'776'000u);
}

TEST_F(MaxDownloadTimeTest, AJobStillTransferringWhenItsTimeRunsOutEndsInError) {
  const JobId job = SlowJob("slow.wma", 4, 2);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError));
  ASSERT_TRUE(Entered(job, JobState::kConnecting));
  ASSERT_TRUE(Entered(job, JobState::kError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError) - *TimeEntered(job, JobState::kConnecting), seconds(2));
  const Result<JobError> error = alice().GetError(job);
  ASSERT_THAT(error, IsOk());
  EXPECT_EQ(error->code, hr::kMaxDownloadTimeout);
  EXPECT_EQ(error->context, ErrorContext::kGeneralQueueManager);
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  const std::uint64_t kept = BytesTransferred(alice(), job);
  EXPECT_LT(kept, 4 * kPiece);
  EXPECT_EQ(std::filesystem::file_size(Local(TempFiles().at(0))), kept) << "no uncounted byte stays in the file";
}

TEST_F(MaxDownloadTimeTest, TimeWaitingOutARetryDoesNotCount) {
  transport_.FailNext(Url("retry.wma"), hr::FromHttpStatus(503));
  const JobId job = SlowJob("retry.wma", 2, 3);
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred)) << "60 s in TRANSIENT_ERROR are not transfer time";
}

TEST_F(MaxDownloadTimeTest, TimeRunsOutWhenTheRunsTogetherReachTheLimitNotBefore) {
  // A first run cut by a drop, a minute in TRANSIENT_ERROR, then a second run: the limit runs out
  // in the second run, after exactly what the first run left of it.
  const JobId job = CutJob("cut.wma", 8, 3, 2 * kPiece, 60);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError));
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  ASSERT_TRUE(Entered(job, JobState::kConnecting, 2));
  const Duration first_run = FirstRun(job);
  ASSERT_GT(first_run, Duration::zero());
  ASSERT_LT(first_run, seconds(3));
  EXPECT_EQ(*TimeEntered(job, JobState::kError), *TimeEntered(job, JobState::kConnecting, 2) + (seconds(3) - first_run));
  EXPECT_EQ(alice().GetError(job)->code, hr::kMaxDownloadTimeout);
}

TEST_F(MaxDownloadTimeTest, ATimerKeptFromAnEarlierRunWaitsForWhatIsLeftOfTheLimit) {
  // A first run cut at about 2 s, 5 s in TRANSIENT_ERROR, a second run: the timer kept from the
  // first run (due at 20 s) comes during the second run, before the limit is reached, and must
  // wait for the rest.
  const JobId job = CutJob("long.wma", 40, 20, 2 * kPiece, 5);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError));
  ASSERT_TRUE(Entered(job, JobState::kConnecting, 2));
  const Duration first_run = FirstRun(job);
  const Duration second_start = *TimeEntered(job, JobState::kConnecting, 2);
  ASSERT_LT(second_start, seconds(20)) << "the second run starts before the kept timer is due";
  EXPECT_EQ(*TimeEntered(job, JobState::kError), second_start + (seconds(20) - first_run));
  EXPECT_EQ(alice().GetError(job)->code, hr::kMaxDownloadTimeout);
}

TEST_F(MaxDownloadTimeTest, ALimitLoweredWhileTheJobWaitsToRetryTakesEffectAtTheNextRun) {
  const JobId job = CutJob("lowered.wma", 40, 100, 2 * kPiece, 5);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }, seconds(60)));
  ASSERT_THAT(alice().SetMaximumDownloadTime(job, 4), IsOk());  // the kept timer is due at 100 s
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kConnecting, 2));
  const Duration first_run = FirstRun(job);
  ASSERT_LT(first_run, seconds(4));
  ASSERT_TRUE(Entered(job, JobState::kError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError), *TimeEntered(job, JobState::kConnecting, 2) + (seconds(4) - first_run));
}

TEST_F(MaxDownloadTimeTest, ALimitSetAgainToTheSameEndTakesItsPlaceAfterStepsAlreadyUnderWay) {
  // 4 pieces, one a second, a 4 s limit: the last piece and the limit both come at 4 s. Set again
  // at 3.5 s, the limit's end is the same instant, but setting it schedules the end anew, after
  // the last step (under way since 3 s): the piece comes first and the job is TRANSFERRED, as
  // when every change of the limit scheduled a new timer.
  const JobId job = SlowJob("again.wma", 4, 4);
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(std::chrono::milliseconds(3500));
  ASSERT_THAT(alice().SetMaximumDownloadTime(job, 4), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(MaxDownloadTimeTest, ALimitRaisedWhileTransferringTakesEffectAtOnce) {
  const JobId job = SlowJob("raised.wma", 8, 3);
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(2));
  ASSERT_THAT(alice().SetMaximumDownloadTime(job, 5), IsOk());  // the pending timer is due at 3 s
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError), seconds(5));
}

TEST_F(MaxDownloadTimeTest, TheLimitRunningOutAsTheLastPieceWouldArriveEndsTheJobInError) {
  // One piece per 8 s. The first run moves one piece and is cut (0-8 s); the second starts at
  // 13 s, and its piece would arrive at 21 s, the very instant its 16 s run out. The timer kept
  // from the first run comes at 16 s and waits for the rest; it still runs before the piece, as a
  // timer scheduled when the second run started always did: ERROR, one piece kept.
  options_.bandwidth_bytes_per_s = kPiece / 8;
  const JobId job = CutJob("tie.wma", 2, 16, kPiece, 5);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kConnecting, 2));
  ASSERT_EQ(*TimeEntered(job, JobState::kConnecting, 2), seconds(13));
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError), seconds(21));
  EXPECT_EQ(alice().GetError(job)->code, hr::kMaxDownloadTimeout);
  EXPECT_EQ(BytesTransferred(alice(), job), kPiece);
}

TEST_F(MaxDownloadTimeTest, ARetryingJobKeepsOneTimerNotOnePerAttempt) {
  // Every attempt starts and stops the clock; the timer stays pending in between instead of being
  // cancelled and scheduled again, so the event queue holds a few events, not a pile of cancelled
  // ones (it compacted them only once they were more than 64 and half of it).
  transport_.FailNext(Url("down.wma"), hr::FromHttpStatus(503), 1'000'000);
  const JobId job = SlowJob("down.wma", 1, 7'776'000);
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  for (int hour = 0; hour < 24; ++hour) {
    service().AdvanceBy(std::chrono::hours(1));
    EXPECT_LE(service().events().stored(), 6u) << "after " << hour + 1 << " hours, 60 attempts each";
  }
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_GE(*alice().GetErrorCount(job), 24u * 60u);
}

TEST_F(MaxDownloadTimeTest, ResumeSetsTheCountBackToZero) {
  const JobId job = SlowJob("resumed.wma", 5, 4);
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(2));
  ASSERT_THAT(alice().Suspend(job), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());  // 3 s of bytes left, a fresh 4 s
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(MaxDownloadTimeTest, ALimitLoweredWhileTransferringTakesEffectAtOnce) {
  const JobId job = SlowJob("lowered.wma", 8, 100);
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(3));
  ASSERT_THAT(alice().SetMaximumDownloadTime(job, 2), IsOk());  // 3 s already spent
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kError));
  EXPECT_EQ(*TimeEntered(job, JobState::kError), seconds(3));
  EXPECT_EQ(alice().GetError(job)->code, hr::kMaxDownloadTimeout);
}

TEST_F(MaxDownloadTimeTest, TheLimitAndTheTimeSpentSurviveARestart) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  const JobId job = SlowJob("kept.wma", 6, 4);
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(seconds(3));
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(*alice().GetMaximumDownloadTime(job), 4u);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError)) << "3 s spent before the restart still count";
  EXPECT_EQ(alice().GetError(job)->code, hr::kMaxDownloadTimeout);
}

}  // namespace
}  // namespace bitsh::fake::testing
