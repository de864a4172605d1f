// Conformance: notifications - the notify flags, the callback (JobCallback, IBackgroundCopyCallback
// over COM) and the notify command line. Sources: Microsoft's SetNotifyFlags, SetNotifyInterface,
// SetNotifyCmdLine and GetNotifyCmdLine pages, the IBackgroundCopyCallback pages (JobTransferred,
// JobError, JobModification) and IBackgroundCopyCallback2::FileTransferred; Wine's qmgr tests
// (which run on Windows) for a new job's flags (0x3) and interface (NULL).
#include "backend/testing/recording_callback.h"
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int NotificationTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasState;
using bitsh::testing::IsOk;
using bitsh::testing::RecordingCallback;
using bitsh::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_P(BackendConformanceTest, NotifyFlagsAreTransferredAndErrorUntilSetThenReadBackAsSet) {
  const JobId job = CreateJob("flags");
  EXPECT_EQ(*user().GetNotifyFlags(job), notify_flags::kJobTransferred | notify_flags::kJobError);
  ASSERT_THAT(user().SetNotifyFlags(job, notify_flags::kJobModification | notify_flags::kFileTransferred), IsOk());
  EXPECT_EQ(*user().GetNotifyFlags(job), 0x18u);
}

TEST_P(BackendConformanceTest, SetNotifyFlagsRefusesABitNoVersionOfBitsDefines) {
  const JobId job = CreateJob("bad flags");
  EXPECT_THAT(user().SetNotifyFlags(job, 0x80), StatusIs(hr::kNotImpl));
  EXPECT_EQ(*user().GetNotifyFlags(job), notify_flags::kDefault);
}

TEST_P(BackendConformanceTest, ANewJobHasNoNotifyInterfaceAndAnEmptyCommandLine) {
  const JobId job = CreateJob("no callback");
  const Result<std::shared_ptr<JobCallback>> callback = user().GetNotifyInterface(job);
  ASSERT_THAT(callback.status(), IsOk());
  EXPECT_EQ(*callback, nullptr);
  const Result<NotifyCommandLine> line = user().GetNotifyCmdLine(job);
  ASSERT_THAT(line.status(), IsOk());
  EXPECT_EQ(*line, (NotifyCommandLine{"", ""}));
}

TEST_P(BackendConformanceTest, TheNotifyCommandLineReadsBackAsSetWithinTheDocumentedLimits) {
  const JobId job = CreateJob("command line");
  const NotifyCommandLine line{"C:\\store\\done.exe", "C:\\store\\done.exe /album 42"};
  ASSERT_THAT(user().SetNotifyCmdLine(job, line), IsOk());
  EXPECT_EQ(*user().GetNotifyCmdLine(job), line);
  EXPECT_THAT(user().SetNotifyCmdLine(job, {std::string(limits::kMaxNotifyProgramChars + 1, 'p'), std::nullopt}),
              StatusIs(hr::kStringTooLong));
  EXPECT_THAT(user().SetNotifyCmdLine(job, {"C:\\a.exe", std::string(limits::kMaxNotifyParametersChars + 1, 'q')}),
              StatusIs(hr::kStringTooLong));
  EXPECT_EQ(*user().GetNotifyCmdLine(job), line) << "a refused call changes nothing";
  ASSERT_THAT(user().SetNotifyCmdLine(job, {std::nullopt, std::nullopt}), IsOk());
  EXPECT_EQ(*user().GetNotifyCmdLine(job), (NotifyCommandLine{"", ""}));
}

TEST_P(BackendConformanceTest, NotifySettersOnAFinalJobAreInvalidState) {
  const FinalJobs ended = EndTwoJobs();
  for (const JobId& job : {ended.cancelled, ended.acknowledged}) {
    EXPECT_THAT(user().SetNotifyFlags(job, notify_flags::kDefault), StatusIs(hr::kInvalidState));
    EXPECT_THAT(user().SetNotifyInterface(job, std::make_shared<RecordingCallback>()), StatusIs(hr::kInvalidState));
    EXPECT_THAT(user().SetNotifyCmdLine(job, {"C:\\a.exe", std::nullopt}), StatusIs(hr::kInvalidState));
  }
}

// The "done when": a store's code that never polls, only reacts to callbacks.
TEST_P(BackendConformanceTest, AClientThatOnlyReactsToCallbacksCompletesAnAlbum) {
  const auto callback = std::make_shared<RecordingCallback>();
  callback->on_transferred = [&](const JobId& job) { EXPECT_THAT(user().Complete(job), IsOk()); };
  const JobId job = CreateJob("album by callback");
  for (const char* track : {"01", "02", "03"}) {
    Serve(std::string("/cb/") + track + ".wma", 40'000);
    ASSERT_THAT(user().AddFile(job, Url(std::string("/cb/") + track + ".wma"), Local(std::string(track) + ".wma").string()),
                IsOk());
  }
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(bits().WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::minutes(2)))
      << "no JobTransferred; the job is " << ToString(*user().GetState(job));
  EXPECT_THAT(callback->Methods(), ElementsAre("JobTransferred"));
  EXPECT_THAT(user().GetState(job), HasState(JobState::kAcknowledged));
  for (const char* track : {"01", "02", "03"}) {
    EXPECT_TRUE(HoldsServedBytes(std::string(track) + ".wma", std::string("/cb/") + track + ".wma", 40'000));
  }
}

TEST_P(BackendConformanceTest, JobErrorCarriesTheFatalErrorOfAMissingFile) {
  const auto callback = std::make_shared<RecordingCallback>();
  const JobId job = CreateJob("missing by callback");
  ASSERT_THAT(user().AddFile(job, Url("/cb/missing.wma"), Local("missing.wma").string()), IsOk());
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(bits().WaitUntil([&] { return callback->Count("JobError") > 0; }, std::chrono::minutes(2)))
      << "no JobError in 2 minutes; the job is " << ToString(*user().GetState(job)) << ", calls: "
      << ::testing::PrintToString(callback->Methods());
  ASSERT_THAT(callback->Methods(), ElementsAre("JobError"));
  EXPECT_EQ(callback->calls()[0].job, job);
  EXPECT_EQ(callback->calls()[0].error.code, hr::FromHttpStatus(404));
  EXPECT_THAT(user().GetState(job), HasState(JobState::kError));
}

TEST_P(BackendConformanceTest, FileTransferredComesForEachFileInOrderBeforeJobTransferred) {
  const auto callback = std::make_shared<RecordingCallback>();
  const JobId job = CreateJob("files by callback");
  for (const char* track : {"a", "b"}) {
    Serve(std::string("/cb/") + track + ".wma", 25'000);
    ASSERT_THAT(user().AddFile(job, Url(std::string("/cb/") + track + ".wma"), Local(std::string(track) + ".wma").string()),
                IsOk());
  }
  ASSERT_THAT(user().SetNotifyFlags(job, notify_flags::kJobTransferred | notify_flags::kFileTransferred), IsOk());
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(bits().WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::minutes(2)))
      << "no JobTransferred in 2 minutes; the job is " << ToString(*user().GetState(job)) << ", calls: "
      << ::testing::PrintToString(callback->Methods());
  ASSERT_THAT(callback->Methods(), ElementsAre("FileTransferred", "FileTransferred", "JobTransferred"));
  EXPECT_EQ(callback->calls()[0].file.local_name, Local("a.wma").string());
  EXPECT_EQ(callback->calls()[1].file.local_name, Local("b.wma").string());
}

TEST_P(BackendConformanceTest, ACallbackRegisteredAfterTheTransferStillHearsOfIt) {
  const JobId job = QueueDownload("/cb/late.wma", 20'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  const auto callback = std::make_shared<RecordingCallback>();
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  EXPECT_TRUE(bits().WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::seconds(30)))
      << "BITS promises at-least-once delivery, also to a late registration; calls: "
      << ::testing::PrintToString(callback->Methods());
}

TEST_P(BackendConformanceTest, GetNotifyInterfaceHandsBackTheRegisteredCallback) {
  const auto callback = std::make_shared<RecordingCallback>();
  const JobId job = CreateJob("registered callback");
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  const Result<std::shared_ptr<JobCallback>> registered = user().GetNotifyInterface(job);
  ASSERT_THAT(registered.status(), IsOk());
  EXPECT_EQ(*registered, callback);
}

TEST_P(BackendConformanceTest, ARemovedCallbackHearsNothing) {
  const auto callback = std::make_shared<RecordingCallback>();
  Serve("/cb/removed.wma", 20'000);
  const JobId job = CreateJob("removed callback");
  ASSERT_THAT(user().AddFile(job, Url("/cb/removed.wma"), Local("removed.wma").string()), IsOk());
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  ASSERT_THAT(user().SetNotifyInterface(job, nullptr), IsOk());
  EXPECT_EQ(*user().GetNotifyInterface(job), nullptr);
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  static_cast<void>(bits().WaitUntil([] { return false; }, std::chrono::seconds(1)));  // time for a stray call
  EXPECT_THAT(callback->calls(), IsEmpty());
}

TEST_P(BackendConformanceTest, AFailedJobTransferredIsCalledAgainLater) {
  BITSH_REQUIRE_CAPABILITY(Capability::kVirtualTime);  // BITS's interval is "arbitrary"; the fake's is the retry delay
  const auto callback = std::make_shared<RecordingCallback>();
  callback->FailNext("JobTransferred", 1);
  Serve("/cb/again.wma", 20'000);
  const JobId job = CreateJob("failing callback");
  ASSERT_THAT(user().AddFile(job, Url("/cb/again.wma"), Local("again.wma").string()), IsOk());
  ASSERT_THAT(user().SetNotifyInterface(job, callback), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(bits().WaitUntil([&] { return callback->Count("JobTransferred") >= 2; }, std::chrono::hours(1)));
  EXPECT_THAT(callback->Methods(), ElementsAre("JobTransferred", "JobTransferred"));
}

}  // namespace
}  // namespace bitsh::conformance
