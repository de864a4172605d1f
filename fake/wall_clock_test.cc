// The machine's wall clock set forward or back (FakeBitsService::JumpWallClock): job times
// (GetTimes) follow it, BITS's timers do not. "Changing the wall clock moves neither" (the
// SetMinimumRetryDelay and SetNoProgressTimeout pages): retry delays, the no-progress timeout and
// the inactivity timeout all count elapsed time.
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_F(FakeServiceTest, JobTimesStampedAfterAJumpFollowTheWallClockAndEarlierOnesStay) {
  const JobId job = *alice().CreateJob("times", JobType::kDownload);
  const TimePoint created = alice().GetTimes(job)->creation;
  service().AdvanceBy(minutes(1));
  service().JumpWallClock(-hours(48));
  ASSERT_THAT(alice().SetDescription(job, "changed after the clock went back"), IsOk());
  EXPECT_EQ(alice().GetTimes(job)->creation, created);
  EXPECT_EQ(alice().GetTimes(job)->modification, created + minutes(1) - hours(48));  // before its creation, as Windows would say
  service().JumpWallClock(hours(72));
  EXPECT_EQ(service().WallNow(), service().Now() + hours(24));
  EXPECT_THAT(service().log().ToText(), ::testing::HasSubstr("wall clock set back 2d"));
}

TEST_F(FakeServiceTest, ARetryDelayCountsElapsedTimeWhateverTheWallClockDoes) {
  transport_.FailNext(Url("r.wma"), hr::FromHttpStatus(503));
  const JobId job = QueueDownload(alice(), "r.wma", 10'000);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  service().JumpWallClock(hours(24));  // forward a day: the 600 s delay is not over
  service().AdvanceBy(seconds(599));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  service().JumpWallClock(-hours(48));  // back two days: it is not put off either
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  ASSERT_TRUE(Entered(job, JobState::kQueued, 2));
  EXPECT_EQ(*TimeEntered(job, JobState::kQueued, 2) - *TimeEntered(job, JobState::kTransientError), seconds(600));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(FakeServiceTest, TheInactivityTimeoutCountsElapsedTimeWhateverTheWallClockDoes) {
  options_.job_inactivity_timeout = hours(1);
  const JobId job = *alice().CreateJob("idle", JobType::kDownload);
  service().AdvanceBy(minutes(30));
  service().JumpWallClock(hours(24 * 100));  // a hundred days "later" by the clock
  service().AdvanceBy(minutes(29));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kSuspended));
  service().JumpWallClock(-hours(24 * 200));
  service().AdvanceBy(minutes(2));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kCancelled));  // an hour of elapsed time, no more
}

TEST_F(FakeServiceTest, TheWallClockKeepsItsSettingAcrossARestart) {
  options_.snapshot_path = dir_ / "queue.json";
  const JobId job = *alice().CreateJob("kept", JobType::kDownload);
  service().JumpWallClock(hours(5));
  ASSERT_THAT(alice().SetDescription(job, "after the jump"), IsOk());
  const TimePoint modified = alice().GetTimes(job)->modification;
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(alice().GetTimes(job)->modification, modified);
  EXPECT_EQ(service().WallNow(), service().Now() + hours(5));
}

}  // namespace
}  // namespace bitsh::fake::testing
