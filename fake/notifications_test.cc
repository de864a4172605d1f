// Notifications on the fake: notify flags, the callback (JobCallback) and the command line, in
// virtual time (spec §6; docs/decisions.md, "Notifications").
#include <string>
#include <vector>

#include "backend/testing/recording_callback.h"
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using bitsh::testing::RecordingCallback;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class NotificationsTest : public FakeServiceTest {
 protected:
  // A job with `name` on the server (`size` bytes), the callback registered, not yet resumed.
  JobId JobWithCallback(const std::string& name, std::uint64_t size) {
    transport_.AddFile(Url(name), size, SeedOf(name));
    const JobId job = *alice().CreateJob(name, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, Url(name), Local(name)), IsOk());
    EXPECT_THAT(alice().SetNotifyInterface(job, callback_), IsOk());
    return job;
  }
  // Virtual times (since the start) of the job's "notify" log lines whose detail starts with `call`.
  std::vector<Duration> NotifyTimes(const JobId& job, const std::string& call) const {
    std::vector<Duration> times;
    for (const LogEvent& event : service_->log().events()) {
      if (event.job == job.ToString() && event.kind == "notify" && event.detail.starts_with(call)) {
        times.push_back(event.at);
      }
    }
    return times;
  }

  std::shared_ptr<RecordingCallback> callback_ = std::make_shared<RecordingCallback>();
};

TEST_F(NotificationsTest, ANewJobReportsTransferAndErrorAndHasNoCallbackNorCommandLine) {
  const JobId job = *alice().CreateJob("new", JobType::kDownload);
  EXPECT_EQ(*alice().GetNotifyFlags(job), notify_flags::kJobTransferred | notify_flags::kJobError);
  EXPECT_EQ(*alice().GetNotifyInterface(job), nullptr);
  EXPECT_EQ(*alice().GetNotifyCmdLine(job), (NotifyCommandLine{"", ""}));  // "" when never set
}

TEST_F(NotificationsTest, FlagsOutsideTheSixDocumentedBitsAreNotImplemented) {
  const JobId job = *alice().CreateJob("flags", JobType::kDownload);
  EXPECT_THAT(alice().SetNotifyFlags(job, 0x40), StatusIs(hr::kNotImpl));
  EXPECT_EQ(*alice().GetNotifyFlags(job), notify_flags::kDefault);
  EXPECT_THAT(alice().SetNotifyFlags(job, 0x3F), IsOk());
  EXPECT_EQ(*alice().GetNotifyFlags(job), 0x3Fu);
}

TEST_F(NotificationsTest, JobTransferredArrivesAtTheInstantOfTransferAndMayCompleteTheJob) {
  const JobId job = JobWithCallback("a.wma", 600'000);
  callback_->on_transferred = [&](const JobId& id) { EXPECT_THAT(alice().Complete(id), IsOk()); };
  ASSERT_THAT(alice().Resume(job), IsOk());
  EXPECT_THAT(callback_->calls(), IsEmpty()) << "a callback never runs inside a Backend call";
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(callback_->Methods(), ElementsAre("JobTransferred"));
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  EXPECT_THAT(NotifyTimes(job, "JobTransferred"), ElementsAre(*TimeEntered(job, JobState::kTransferred)));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kAcknowledged));
  EXPECT_EQ(ReadFile(Local("a.wma")), GeneratedBytes(SeedOf("a.wma"), 0, 600'000));
}

TEST_F(NotificationsTest, JobErrorCarriesTheErrorWhileTransientErrorsAreSilent) {
  transport_.FailNext(Url("flaky.wma"), hr::FromHttpStatus(503));
  const JobId flaky = JobWithCallback("flaky.wma", 1000);
  const JobId missing = *alice().CreateJob("missing", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(missing, Url("missing.wma"), Local("missing.wma")), IsOk());
  ASSERT_THAT(alice().SetNotifyInterface(missing, callback_), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(flaky, 5), IsOk());
  ASSERT_THAT(alice().Resume(flaky), IsOk());
  ASSERT_THAT(alice().Resume(missing), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(flaky, JobState::kTransientError));
  ASSERT_EQ(callback_->Methods(), (std::vector<std::string>{"JobError", "JobTransferred"}));
  EXPECT_EQ(callback_->calls()[0].job, missing);
  EXPECT_EQ(callback_->calls()[0].error.code, hr::FromHttpStatus(404));
  EXPECT_EQ(callback_->calls()[0].error.context, ErrorContext::kRemoteFile);
  EXPECT_EQ(callback_->calls()[1].job, flaky);
}

TEST_F(NotificationsTest, FileTransferredComesOncePerFileInOrderAndBeforeJobTransferred) {
  const JobId job = JobWithCallback("one.wma", 300'000);
  transport_.AddFile(Url("two.wma"), 200'000, SeedOf("two.wma"));
  ASSERT_THAT(alice().AddFile(job, Url("two.wma"), Local("two.wma")), IsOk());
  ASSERT_THAT(alice().SetNotifyFlags(job, notify_flags::kJobTransferred | notify_flags::kFileTransferred), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(callback_->Methods(), ElementsAre("FileTransferred", "FileTransferred", "JobTransferred"));
  EXPECT_EQ(callback_->calls()[0].file.local_name, Local("one.wma"));
  EXPECT_EQ(callback_->calls()[0].file.progress.bytes_transferred, 300'000u);
  EXPECT_EQ(callback_->calls()[1].file.local_name, Local("two.wma"));
  const std::vector<Duration> files = NotifyTimes(job, "FileTransferred");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_LT(files[0], files[1]) << "the first file is reported when it is done, not with the job";
}

TEST_F(NotificationsTest, AFailedJobTransferredIsCalledAgainAfterEachRetryDelay) {
  const JobId job = JobWithCallback("again.wma", 1000);
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 30), IsOk());
  callback_->FailNext("JobTransferred", 2);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(callback_->Count("JobTransferred"), 3);
  const std::vector<Duration> times = NotifyTimes(job, "JobTransferred");
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[1] - times[0], seconds(30));
  EXPECT_EQ(times[2] - times[1], seconds(30));
}

TEST_F(NotificationsTest, ACallbackRegisteredAfterTheTransferStillHearsOfIt) {
  const JobId job = QueueDownload(alice(), "late.wma", 1000);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  ASSERT_THAT(alice().SetNotifyInterface(job, callback_), IsOk());
  EXPECT_THAT(callback_->calls(), IsEmpty());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(callback_->Methods(), ElementsAre("JobTransferred"));
}

TEST_F(NotificationsTest, DisableSilencesEveryOtherFlag) {
  const JobId job = JobWithCallback("quiet.wma", 600'000);
  ASSERT_THAT(alice().SetNotifyFlags(job, 0x1F), IsOk());  // every event of a download job, and DISABLE
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(callback_->calls(), IsEmpty());
}

TEST_F(NotificationsTest, ModificationsComeAtMostOncePerMinimumIntervalAndNotForTheTransfer) {
  options_.bandwidth_bytes_per_s = 256 * 1024;  // a 256 KiB piece per virtual second
  const JobId job = JobWithCallback("slow.wma", 4 * 256 * 1024);
  ASSERT_THAT(alice().SetNotifyFlags(job, notify_flags::kJobModification), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  const std::vector<Duration> times = NotifyTimes(job, "JobModification");
  ASSERT_GE(times.size(), 4u) << "state changes and each piece's bytes are modifications";
  for (std::size_t i = 1; i < times.size(); ++i) {
    EXPECT_GE(times[i] - times[i - 1], options_.minimum_notification_interval) << "notice " << i;
  }
  EXPECT_THAT(callback_->Methods(), IsEmpty()) << "JobTransferred was not asked for";
}

TEST_F(NotificationsTest, TheCommandLineRunsWhenNoCallbackIsRegistered) {
  std::vector<NotifyCommandLine> launched;
  options_.notify_launcher = [&](const JobId&, const NotifyCommandLine& line) {
    launched.push_back(line);
    return 0;
  };
  const JobId job = QueueDownload(alice(), "cmd.wma", 1000);
  const NotifyCommandLine line{"C:\\store\\done.exe", "C:\\store\\done.exe /job 7"};
  ASSERT_THAT(alice().SetNotifyCmdLine(job, line), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(launched, ElementsAre(line));
  EXPECT_EQ(*alice().GetNotifyCmdLine(job), line);
}

TEST_F(NotificationsTest, ACommandLineThatExitsNonZeroRunsAgainUntilTheJobIsCompleted) {
  int runs = 0;
  options_.notify_launcher = [&](const JobId& id, const NotifyCommandLine&) {
    if (++runs == 1) return 1;
    EXPECT_THAT(alice().Complete(id), IsOk());
    return 0;
  };
  const JobId job = QueueDownload(alice(), "retry.wma", 1000);
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
  ASSERT_THAT(alice().SetNotifyCmdLine(job, {"C:\\a.exe", std::nullopt}), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(runs, 2);
  const std::vector<Duration> times = NotifyTimes(job, "command line");
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[1] - times[0], seconds(60));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kAcknowledged));
}

TEST_F(NotificationsTest, AFailingCallbackHandsTheNewsToTheCommandLineAndIsNotCalledAgain) {
  int runs = 0;
  options_.notify_launcher = [&](const JobId&, const NotifyCommandLine&) { return ++runs, 0; };
  const JobId job = JobWithCallback("handover.wma", 1000);
  callback_->FailNext("JobTransferred", 100);
  ASSERT_THAT(alice().SetNotifyCmdLine(job, {"C:\\a.exe", "C:\\a.exe x"}), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(callback_->Count("JobTransferred"), 1);
  EXPECT_EQ(runs, 1);
}

TEST_F(NotificationsTest, TheCommandLineHasTheDocumentedLimits) {
  const JobId job = *alice().CreateJob("limits", JobType::kDownload);
  EXPECT_THAT(alice().SetNotifyCmdLine(job, {std::string(260, 'p'), std::string(4000, 'q')}), IsOk());
  EXPECT_THAT(alice().SetNotifyCmdLine(job, {std::string(261, 'p'), std::nullopt}), StatusIs(hr::kStringTooLong));
  EXPECT_THAT(alice().SetNotifyCmdLine(job, {"C:\\a.exe", std::string(4001, 'q')}), StatusIs(hr::kStringTooLong));
  EXPECT_THAT(alice().SetNotifyCmdLine(job, {std::nullopt, "a.exe"}), StatusIs(hr::kInvalidArg));
  EXPECT_EQ(alice().GetNotifyCmdLine(job)->program, std::string(260, 'p')) << "a refused call changes nothing";
  EXPECT_THAT(alice().SetNotifyCmdLine(job, {std::nullopt, std::nullopt}), IsOk());
  EXPECT_EQ(*alice().GetNotifyCmdLine(job), (NotifyCommandLine{"", ""}));
}

TEST_F(NotificationsTest, AnEndedJobRefusesTheSettersAndLetsGoOfItsCallback) {
  const JobId job = JobWithCallback("ended.wma", 1000);
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_EQ(callback_.use_count(), 1) << "the job let go of its callback";
  EXPECT_EQ(*alice().GetNotifyInterface(job), nullptr);
  EXPECT_THAT(alice().SetNotifyFlags(job, 0x3), StatusIs(hr::kInvalidState));
  EXPECT_THAT(alice().SetNotifyInterface(job, callback_), StatusIs(hr::kInvalidState));
  EXPECT_THAT(alice().SetNotifyCmdLine(job, {"C:\\a.exe", std::nullopt}), StatusIs(hr::kInvalidState));
}

TEST_F(NotificationsTest, FlagsAndCommandLineSurviveARestartButTheCallbackDoesNot) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  const JobId job = JobWithCallback("kept.wma", 1000);
  ASSERT_THAT(alice().SetNotifyFlags(job, 0x0B), IsOk());
  ASSERT_THAT(alice().SetNotifyCmdLine(job, {"C:\\a.exe", "C:\\a.exe 1"}), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(*alice().GetNotifyFlags(job), 0x0Bu);
  EXPECT_EQ(*alice().GetNotifyCmdLine(job), (NotifyCommandLine{"C:\\a.exe", "C:\\a.exe 1"}));
  EXPECT_EQ(*alice().GetNotifyInterface(job), nullptr);
}

TEST_F(NotificationsTest, AFileDoneBeforeTheCallbackWasRegisteredIsNotReportedLater) {
  options_.bandwidth_bytes_per_s = 256 * 1024;
  transport_.AddFile(Url("first.wma"), 256 * 1024, SeedOf("first.wma"));
  transport_.AddFile(Url("second.wma"), 512 * 1024, SeedOf("second.wma"));
  const JobId job = *alice().CreateJob("late files", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("first.wma"), Local("first.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("second.wma"), Local("second.wma")), IsOk());
  ASSERT_THAT(alice().SetNotifyFlags(job, notify_flags::kJobTransferred | notify_flags::kFileTransferred), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return alice().GetProgress(job)->files_transferred == 1; }));
  ASSERT_THAT(alice().SetNotifyInterface(job, callback_), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(callback_->Methods(), ElementsAre("FileTransferred", "JobTransferred"));
  EXPECT_EQ(callback_->calls()[0].file.local_name, Local("second.wma"));
}

TEST_F(NotificationsTest, AFailedFileTransferredWaitsOutTheRetryDelayEvenWhenTheNextFileIsDone) {
  const JobId job = JobWithCallback("one.wma", 1000);
  transport_.AddFile(Url("two.wma"), 1000, SeedOf("two.wma"));
  ASSERT_THAT(alice().AddFile(job, Url("two.wma"), Local("two.wma")), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
  ASSERT_THAT(alice().SetNotifyFlags(job, notify_flags::kJobTransferred | notify_flags::kFileTransferred), IsOk());
  callback_->FailNext("FileTransferred", 1);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(callback_->Methods(), ElementsAre("FileTransferred", "FileTransferred", "FileTransferred", "JobTransferred"));
  const std::vector<Duration> files = NotifyTimes(job, "FileTransferred");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[1] - files[0], seconds(60)) << "the failed first file is called again after the retry delay";
  EXPECT_EQ(files[2], files[1]) << "then the second, at once";
}

TEST_F(NotificationsTest, OnlySOkTakesTheNotice) {
  const JobId job = JobWithCallback("sfalse.wma", 1000);
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 10), IsOk());
  callback_->FailNext("JobTransferred", 1, hr::kFalse);  // a success code, but not S_OK
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(callback_->Count("JobTransferred"), 2);
}

TEST_F(NotificationsTest, FilesReportedBeforeARestartAreNotReportedAgain) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  options_.bandwidth_bytes_per_s = 256 * 1024;
  const JobId job = JobWithCallback("a.wma", 256 * 1024);
  transport_.AddFile(Url("b.wma"), 1024 * 1024, SeedOf("b.wma"));
  ASSERT_THAT(alice().AddFile(job, Url("b.wma"), Local("b.wma")), IsOk());
  ASSERT_THAT(alice().SetNotifyFlags(job, notify_flags::kJobTransferred | notify_flags::kFileTransferred), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return callback_->Count("FileTransferred") == 1; }));
  ASSERT_THAT(service().Restart(), IsOk());
  ASSERT_THAT(alice().SetNotifyInterface(job, callback_), IsOk());  // the program registers again
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(callback_->Methods(), ElementsAre("FileTransferred", "FileTransferred", "JobTransferred"));
  EXPECT_EQ(callback_->calls()[1].file.local_name, Local("b.wma"));
}

}  // namespace
}  // namespace bitsh::fake::testing
