// The BITS 5 job properties beyond the transfer policy (fake/job_properties.h): when each may be
// set and with what, and what HIGH_PERFORMANCE, MAX_DOWNLOAD_SIZE and NOTIFICATION_CLSID do to a
// download. USE_STORED_CREDENTIALS is in proxy_test.cc, over a real proxy; COST_FLAGS and
// MINIMUM_NOTIFICATION_INTERVAL_MS are in cost_policy_test.cc.
#include <limits>
#include <map>
#include <string>

#include "backend/testing/recording_callback.h"
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using bitsh::testing::RecordingCallback;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kServerClsid[] = "{6B29FC40-CA47-1067-B31D-00DD010662DA}";


class JobPropertiesTest : public FakeServiceTest {
 protected:
  JobPropertiesTest() {
    options_.bandwidth_bytes_per_s = kPiece;  // one piece per virtual second
    options_.chunk_bytes = kPiece;
  }
  // A suspended download job of `name` (`size` bytes on the server, one file).
  JobId SuspendedJob(const std::string& name, std::uint64_t size) {
    transport_.AddFile(Url(name), size, SeedOf(name));
    const JobId job = *alice().CreateJob(name, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, Url(name), Local(name)), IsOk());
    return job;
  }
  HResult ErrorCode(const JobId& job) {
    const Result<JobError> error = alice().GetError(job);
    return error.ok() ? error->code : error.status().code();
  }
  // Fetches of `url` that started at its first byte.
  int FetchesFromByteZero(const std::string& url) const {
    int count = 0;
    for (const ScriptedTransport::Request& request : transport_.requests()) {
      count += request.url == url && !request.is_probe && request.offset == 0 ? 1 : 0;
    }
    return count;
  }
  // The detail of every event of `kind` in the log.
  std::vector<std::string> Details(const std::string& kind) const {
    std::vector<std::string> details;
    for (const LogEvent& event : service_->log().events()) {
      if (event.kind == kind) details.push_back(event.detail);
    }
    return details;
  }
  static constexpr std::uint64_t kPiece = 100'000;
};

// --- When and with what each property may be set --------------------------------------------

TEST_F(JobPropertiesTest, ANewJobReadsTheDocumentedDefaults) {
  const JobId job = *alice().CreateJob("new", JobType::kDownload);
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kNotificationClsid)->clsid, "{00000000-0000-0000-0000-000000000000}");
  EXPECT_FALSE(alice().GetJobProperty(job, JobPropertyId::kDynamicContent)->enable);
  EXPECT_FALSE(alice().GetJobProperty(job, JobPropertyId::kHighPerformance)->enable);
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kMaxDownloadSize)->uint64, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(static_cast<std::uint32_t>(alice().GetJobProperty(job, JobPropertyId::kUseStoredCredentials)->target), 0u);
  EXPECT_FALSE(alice().GetJobProperty(job, JobPropertyId::kOnDemandMode)->enable);
}

TEST_F(JobPropertiesTest, DownloadOnlyPropertiesAreRefusedOnAnUploadJob) {
  const JobId upload = *alice().CreateJob("upload", JobType::kUpload);
  EXPECT_THAT(alice().SetJobProperty(upload, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)),
              StatusIs(hr::kPropertySupportedForDownloadJobsOnly));
  EXPECT_THAT(alice().SetJobProperty(upload, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(10)),
              StatusIs(hr::kPropertySupportedForDownloadJobsOnly));
  EXPECT_THAT(alice().SetJobProperty(upload, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(false)),
              StatusIs(hr::kPropertySupportedForDownloadJobsOnly));
  EXPECT_THAT(alice().SetJobProperty(upload, JobPropertyId::kOnDemandMode, JobPropertyValue::FromEnable(false)),
              StatusIs(hr::kPropertySupportedForDownloadJobsOnly));
  // The others are for any job.
  EXPECT_THAT(alice().SetJobProperty(upload, JobPropertyId::kUseStoredCredentials, JobPropertyValue::FromTarget(AuthTarget::kProxy)), IsOk());
  EXPECT_THAT(alice().SetJobProperty(upload, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid(kServerClsid)), IsOk());
}

TEST_F(JobPropertiesTest, HighPerformanceIsFixedByTheFirstFileAndTheCapByTheFirstResume) {
  const JobId job = *alice().CreateJob("fixed", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  transport_.AddFile(Url("fixed.wma"), kPiece, 1);
  ASSERT_THAT(alice().AddFile(job, Url("fixed.wma"), Local("fixed.wma")), IsOk());
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(false)),
              StatusIs(hr::kReadOnlyPropertyAfterAddFile));
  EXPECT_TRUE(alice().GetJobProperty(job, JobPropertyId::kHighPerformance)->enable);

  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(5 * kPiece)), IsOk());
  ASSERT_THAT(alice().Suspend(job), IsOk());  // a Suspend fixes nothing
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(4 * kPiece)), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(9 * kPiece)),
              StatusIs(hr::kReadOnlyPropertyAfterResume));
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(false)),
              StatusIs(hr::kReadOnlyPropertyAfterResume));
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kMaxDownloadSize)->uint64, 4 * kPiece);
}

TEST_F(JobPropertiesTest, ValuesBitsDoesNotTakeAreRefusedWithTheirCodes) {
  const JobId job = SuspendedJob("values.wma", kPiece);
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(0)),
              StatusIs(hr::kMaxDownloadSizeInvalidValue));
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kUseStoredCredentials, JobPropertyValue::FromTarget(AuthTarget::kServer)),
              StatusIs(hr::kUseStoredCredentialsNotSupported));
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid("not-a-guid")),
              StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().SetJobProperty(job, static_cast<JobPropertyId>(6), JobPropertyValue::FromEnable(true)), StatusIs(hr::kUnknownPropertyId));
  EXPECT_THAT(alice().GetJobProperty(job, static_cast<JobPropertyId>(8)).status(), StatusIs(hr::kUnknownPropertyId));
  // A refused value changes nothing.
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kMaxDownloadSize)->uint64, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kNotificationClsid)->clsid, "{00000000-0000-0000-0000-000000000000}");
}

TEST_F(JobPropertiesTest, OnDemandModeTakesFalseAndRefusesTrueRatherThanIgnoreIt) {
  const JobId job = SuspendedJob("plain.wma", kPiece);
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kOnDemandMode, JobPropertyValue::FromEnable(false)), IsOk());
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kOnDemandMode, JobPropertyValue::FromEnable(true)), StatusIs(hr::kNotImpl));
  EXPECT_FALSE(alice().GetJobProperty(job, JobPropertyId::kOnDemandMode)->enable);
  // "The job must not be DYNAMIC": that rule comes first.
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kOnDemandMode, JobPropertyValue::FromEnable(true)), StatusIs(hr::kInvalidArg));
}

TEST_F(JobPropertiesTest, DynamicContentAndFileRangesExcludeEachOther) {
  // "It is not supported for downloads that use FILE_RANGES", whichever comes first.
  transport_.AddFile(Url("ranged.wma"), kPiece, 2);
  const JobId ranged = *alice().CreateJob("ranged", JobType::kDownload);
  ASSERT_THAT(alice().AddFileWithRanges(ranged, Url("ranged.wma"), Local("ranged.wma"), {{0, 10}}), IsOk());
  EXPECT_THAT(alice().SetJobProperty(ranged, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), StatusIs(hr::kInvalidArg));
  const JobId dynamic = *alice().CreateJob("dynamic", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(dynamic, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  EXPECT_THAT(alice().AddFileWithRanges(dynamic, Url("ranged.wma"), Local("dynamic.wma"), {{0, 10}}),
              StatusIs(hr::kInvalidArg));
}

// --- DYNAMIC_CONTENT (over real HTTP in http_transport_test.cc) ------------------------------

TEST_F(JobPropertiesTest, ADynamicJobProbesNothingAndLearnsEachFilesSizeWhereItsBodyEnds) {
  transport_.AddFile(Url("one.wma"), 2 * kPiece + 7, 11);
  transport_.AddFile(Url("two.wma"), kPiece / 2, 12);
  const JobId job = *alice().CreateJob("dynamic", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("one.wma"), Local("one.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("two.wma"), Local("two.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == kPiece; }));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, kSizeUnknown);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, 2 * kPiece + 7 + kPiece / 2);
  for (const ScriptedTransport::Request& request : transport_.requests()) EXPECT_FALSE(request.is_probe);
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("one.wma")), GeneratedBytes(11, 0, 2 * kPiece + 7));
  EXPECT_EQ(ReadFile(Local("two.wma")), GeneratedBytes(12, 0, kPiece / 2));
}

TEST_F(JobPropertiesTest, AnInterruptedDynamicDownloadStartsAgainFromByteZero) {
  transport_.AddFile(Url("live.wma"), 4 * kPiece, 13);
  transport_.DropAt(Url("live.wma"), kPiece + kPiece / 2);
  const JobId job = *alice().CreateJob("live", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("live.wma"), Local("live.wma")), IsOk());
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  EXPECT_EQ(BytesTransferred(alice(), job), kPiece + kPiece / 2) << "what came before the drop still counts";
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == 2 * kPiece; }));
  ASSERT_THAT(alice().Suspend(job), IsOk());  // an interruption too
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(FetchesFromByteZero(Url("live.wma")), 3) << "first try, after the drop, after the Suspend";
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("live.wma")), GeneratedBytes(13, 0, 4 * kPiece));
}

TEST_F(JobPropertiesTest, ADynamicJobRestartsItsFileAfterAServiceRestart) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  transport_.AddFile(Url("live.wma"), 4 * kPiece, 14);
  const JobId job = *alice().CreateJob("live", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("live.wma"), Local("live.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == 2 * kPiece; }));
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_TRUE(alice().GetJobProperty(job, JobPropertyId::kDynamicContent)->enable);
  EXPECT_EQ(BytesTransferred(alice(), job), 0u);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("live.wma")), GeneratedBytes(14, 0, 4 * kPiece));
}

TEST_F(JobPropertiesTest, TheMaximumDownloadSizeCapsADynamicDownloadWhoseSizeNobodyKnew) {
  transport_.AddFile(Url("endless.wma"), 10 * kPiece, 15);
  const JobId job = *alice().CreateJob("endless", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(3 * kPiece)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("endless.wma"), Local("endless.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(ErrorCode(job), hr::kMaxDownloadSizeLimitReached);
  EXPECT_EQ(BytesTransferred(alice(), job), 3 * kPiece);
}

// --- HIGH_PERFORMANCE ------------------------------------------------------------------------

TEST_F(JobPropertiesTest, AHighPerformanceJobDownloadsStraightIntoTheLocalFileReplacingWhatWasThere) {
  std::ofstream(Local("fast.wma")) << "an older copy that is longer than nothing";
  transport_.AddFile(Url("fast.wma"), 3 * kPiece, 5);
  const JobId job = *alice().CreateJob("fast", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("fast.wma"), Local("fast.wma")), IsOk());
  EXPECT_EQ(*alice().GetTemporaryName(job, 0), Local("fast.wma"));
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == kPiece; }));
  EXPECT_TRUE(ReadFile(Local("fast.wma")).starts_with(GeneratedBytes(5, 0, kPiece))) << "the bytes so far, in place";
  EXPECT_THAT(TempFiles(), IsEmpty());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("fast.wma")), GeneratedBytes(5, 0, 3 * kPiece));
}

TEST_F(JobPropertiesTest, CancellingAHighPerformanceJobLeavesItsPartialContentToTheCaller) {
  transport_.AddFile(Url("partial.wma"), 3 * kPiece, 6);
  const JobId job = *alice().CreateJob("partial", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("partial.wma"), Local("partial.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == 2 * kPiece; }));
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_EQ(ReadFile(Local("partial.wma")), GeneratedBytes(6, 0, 2 * kPiece));

  // An ordinary job's Cancel deletes its temporary file.
  const JobId ordinary = SuspendedJob("ordinary.wma", 3 * kPiece);
  ASSERT_THAT(alice().Resume(ordinary), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), ordinary) == kPiece; }));
  ASSERT_THAT(alice().Cancel(ordinary), IsOk());
  EXPECT_THAT(TempFiles(), IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(Local("ordinary.wma")));
}

TEST_F(JobPropertiesTest, AHighPerformanceJobKeepsNoProgressAcrossARestartAndStartsAgainFromByteZero) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  transport_.AddFile(Url("fast.wma"), 4 * kPiece, 7);
  const JobId fast = *alice().CreateJob("fast", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(fast, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(fast, Url("fast.wma"), Local("fast.wma")), IsOk());
  const JobId steady = SuspendedJob("steady.wma", 4 * kPiece);
  ASSERT_THAT(alice().SetPriority(fast, JobPriority::kForeground), IsOk());  // both run at once
  ASSERT_THAT(alice().SetPriority(steady, JobPriority::kForeground), IsOk());
  ASSERT_THAT(alice().Resume(fast), IsOk());
  ASSERT_THAT(alice().Resume(steady), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), fast) >= 2 * kPiece; }));
  ASSERT_GE(BytesTransferred(alice(), steady), kPiece);

  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(BytesTransferred(alice(), fast), 0u) << "HIGH_PERFORMANCE: progress is not persisted";
  EXPECT_GE(BytesTransferred(alice(), steady), kPiece) << "an ordinary job resumes where it was";
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(fast), IsOk());
  EXPECT_EQ(ReadFile(Local("fast.wma")), GeneratedBytes(7, 0, 4 * kPiece));
  EXPECT_EQ(FetchesFromByteZero(Url("fast.wma")), 2) << "the whole file was asked for again";
}

// --- MAX_DOWNLOAD_SIZE -----------------------------------------------------------------------

TEST_F(JobPropertiesTest, AJobStopsInErrorWhenItHasItsMaximumDownloadSizeAndWantsMore) {
  transport_.AddFile(Url("one.wma"), 2 * kPiece, 8);
  transport_.AddFile(Url("two.wma"), 2 * kPiece, 9);
  const JobId job = *alice().CreateJob("capped", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("one.wma"), Local("one.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("two.wma"), Local("two.wma")), IsOk());
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(3 * kPiece + 10)), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  const JobError error = *alice().GetError(job);
  EXPECT_EQ(error.code, hr::kMaxDownloadSizeLimitReached);
  EXPECT_EQ(error.context, ErrorContext::kRemoteFile);
  EXPECT_EQ(error.file_index, 1u);
  EXPECT_EQ(BytesTransferred(alice(), job), 3 * kPiece + 10) << "bytes up to the cap, not one more";

  // A cap the job fits under changes nothing.
  const JobId fits = SuspendedJob("fits.wma", 2 * kPiece);
  ASSERT_THAT(alice().SetJobProperty(fits, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(2 * kPiece)), IsOk());
  ASSERT_THAT(alice().Resume(fits), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(fits), HasState(JobState::kTransferred));
}

TEST_F(JobPropertiesTest, ADynamicBodyExactlyAsLongAsTheCapIsNotOverIt) {
  transport_.AddFile(Url("exact.wma"), 3 * kPiece, 16);
  const JobId job = *alice().CreateJob("exact", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(3 * kPiece)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("exact.wma"), Local("exact.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("exact.wma")), GeneratedBytes(16, 0, 3 * kPiece));
}

TEST_F(JobPropertiesTest, ADynamicResponseThatCannotGoOnStartsTheFileAgainRatherThanMixingBodies) {
  transport_.AddFile(Url("v1.wma"), 4 * kPiece, 17);
  transport_.AddFile(Url("mirror.wma"), 4 * kPiece, 17);
  const JobId job = *alice().CreateJob("moved", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("v1.wma"), Local("moved.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == kPiece; }));
  ASSERT_THAT(alice().SetRemoteName(job, 0, Url("mirror.wma")), IsOk());  // the response for v1 goes
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) == 2 * kPiece; }));
  transport_.AddFile(Url("mirror.wma"), 2 * kPiece, 18);  // re-rendered, shorter, under the job's feet
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(Details("changed"), ::testing::Contains(::testing::HasSubstr("response was lost")));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("moved.wma")), GeneratedBytes(18, 0, 2 * kPiece)) << "one body, whole, not pieces of three";
}

TEST_F(JobPropertiesTest, TwoLongDynamicJobsDoNotTakeTurnsForEver) {
  options_.background_time_slice = seconds(2);  // each file needs 5 virtual seconds alone
  const auto dynamic_job = [&](const std::string& name, std::uint64_t seed) {
    transport_.AddFile(Url(name), 5 * kPiece, seed);
    const JobId job = *alice().CreateJob(name, JobType::kDownload);
    EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
    EXPECT_THAT(alice().AddFile(job, Url(name), Local(name)), IsOk());
    EXPECT_THAT(alice().Resume(job), IsOk());
    return job;
  };
  const JobId first = dynamic_job("first.wma", 19);
  const JobId second = dynamic_job("second.wma", 20);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(first), HasState(JobState::kTransferred));
  EXPECT_THAT(alice().GetState(second), HasState(JobState::kTransferred));
  EXPECT_EQ(FetchesFromByteZero(Url("first.wma")) + FetchesFromByteZero(Url("second.wma")), 2)
      << "a dynamic file under way keeps its turn: no restart";
}

TEST_F(JobPropertiesTest, TwoHighPerformanceFilesCannotWriteToTheSameLocalName) {
  transport_.AddFile(Url("same.wma"), kPiece, 21);
  const JobId one = *alice().CreateJob("one", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(one, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(one, Url("same.wma"), Local("same.wma")), IsOk());
  const JobId two = *alice().CreateJob("two", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(two, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  EXPECT_THAT(alice().AddFile(two, Url("same.wma"), Local("same.wma")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFileSet(two, {{Url("same.wma"), Local("x.wma")}, {Url("same.wma"), Local("x.wma")}}),
              StatusIs(hr::kInvalidArg));
  std::filesystem::create_directory(Local("folder.wma"));
  EXPECT_THAT(alice().AddFile(two, Url("same.wma"), Local("folder.wma")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFile(two, Url("same.wma"), Local("other.wma")), IsOk());
}

TEST_F(JobPropertiesTest, AValidatedFileOfAHighPerformanceJobStillRestartsCleanly) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  transport_.AddFile(Url("a.wma"), kPiece, 22);
  transport_.AddFile(Url("b.wma"), 4 * kPiece, 23);
  const JobId job = *alice().CreateJob("validated", JobType::kDownload);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("a.wma"), Local("a.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("b.wma"), Local("b.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) >= 2 * kPiece; }));
  ASSERT_THAT(alice().SetValidationState(job, 0, true), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_FALSE(*alice().GetValidationState(job, 0)) << "the file starts again, so it is not validated yet";
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

// --- NOTIFICATION_CLSID ----------------------------------------------------------------------

class NotificationClsidTest : public JobPropertiesTest {
 protected:
  NotificationClsidTest() {
    options_.notification_servers = [this](const std::string& clsid) -> std::shared_ptr<JobCallback> {
      activations_.push_back(clsid);
      auto found = servers_.find(clsid);
      return found == servers_.end() ? nullptr : found->second;
    };
  }
  std::map<std::string, std::shared_ptr<RecordingCallback>> servers_;
  std::vector<std::string> activations_;
};

TEST_F(NotificationClsidTest, AJobWithoutACallbackReportsToAnObjectOfItsClass) {
  const auto server = servers_[kServerClsid] = std::make_shared<RecordingCallback>();
  server->on_transferred = [&](const JobId& id) { EXPECT_THAT(alice().Complete(id), IsOk()); };
  const JobId job = SuspendedJob("clsid.wma", kPiece);
  // Any spelling of the GUID; it reads back in the registry form.
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid("{6b29fc40-ca47-1067-b31d-00dd010662da}")), IsOk());
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kNotificationClsid)->clsid, kServerClsid);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(server->Methods(), ElementsAre("JobTransferred"));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kAcknowledged));
}

TEST_F(NotificationClsidTest, ACallbackInterfaceComesFirstAndGuidNullClearsTheClsid) {
  const auto server = servers_[kServerClsid] = std::make_shared<RecordingCallback>();
  const auto callback = std::make_shared<RecordingCallback>();
  const JobId job = SuspendedJob("both.wma", kPiece);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid(kServerClsid)), IsOk());
  ASSERT_THAT(alice().SetNotifyInterface(job, callback), IsOk());
  const JobId cleared = SuspendedJob("cleared.wma", kPiece);
  ASSERT_THAT(alice().SetJobProperty(cleared, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid(kServerClsid)), IsOk());
  ASSERT_THAT(alice().SetJobProperty(cleared, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid("{00000000-0000-0000-0000-000000000000}")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_THAT(alice().Resume(cleared), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(callback->Methods(), ElementsAre("JobTransferred"));
  EXPECT_THAT(server->calls(), IsEmpty());
  EXPECT_THAT(activations_, IsEmpty()) << "nothing is activated while an interface is registered";
}

TEST_F(NotificationClsidTest, NamingAClsidWhileAnInterfaceIsRegisteredTellsNobodyAgain) {
  const auto server = servers_[kServerClsid] = std::make_shared<RecordingCallback>();
  const auto callback = std::make_shared<RecordingCallback>();
  const JobId job = SuspendedJob("told.wma", kPiece);
  ASSERT_THAT(alice().SetNotifyInterface(job, callback), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(callback->Methods(), ElementsAre("JobTransferred"));
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid(kServerClsid)), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(callback->Methods(), ElementsAre("JobTransferred"));
  EXPECT_THAT(server->calls(), IsEmpty());
}

TEST_F(NotificationClsidTest, AnUnregisteredClassIsAFailedNoticeTriedAgainAfterTheRetryDelay) {
  const JobId job = SuspendedJob("late.wma", kPiece);
  ASSERT_THAT(alice().SetMinimumRetryDelay(job, 120), IsOk());
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid(kServerClsid)), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return activations_.size() == 1; }));
  const TimePoint first = service().Now();
  const auto server = servers_[kServerClsid] = std::make_shared<RecordingCallback>();  // installed now
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(server->Methods(), ElementsAre("JobTransferred"));
  EXPECT_EQ(service().Now() - first, seconds(120));
  EXPECT_THAT(Details("notify-failed"), ElementsAre(::testing::HasSubstr("REGDB_E_CLASSNOTREG")));
}

TEST_F(NotificationClsidTest, TheClsidOutlivesARestartAndItsObjectHearsTheJobsStateAgain) {
  options_.snapshot_path = dir_ / "queue.json";
  options_.flush_snapshot = false;
  const auto server = servers_[kServerClsid] = std::make_shared<RecordingCallback>();
  const JobId job = SuspendedJob("restart.wma", kPiece);
  ASSERT_THAT(alice().SetJobProperty(job, JobPropertyId::kNotificationClsid, JobPropertyValue::FromClsid(kServerClsid)), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(server->Methods(), ElementsAre("JobTransferred"));
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(alice().GetJobProperty(job, JobPropertyId::kNotificationClsid)->clsid, kServerClsid);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(server->Methods(), ElementsAre("JobTransferred", "JobTransferred")) << "at least once";
}

}  // namespace
}  // namespace bitsh::fake::testing
