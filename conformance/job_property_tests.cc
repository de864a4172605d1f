// Conformance: the BITS 5 job properties (IBackgroundCopyJob5) beyond the transfer policy -- when
// each may be set, and what DYNAMIC_CONTENT, HIGH_PERFORMANCE and MAX_DOWNLOAD_SIZE do (the
// BITS_JOB_PROPERTY_ID page; the codes are bitsmsg.h's).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int JobPropertyTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasState;
using bitsh::testing::HasValue;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;
using server::FaultKind;


TEST_P(BackendConformanceTest, JobPropertiesAreSettableOnlyWhenAndWithTheValuesTheDocsSay) {
  Serve("/p/rules.wma", 10'000);
  const JobId job = CreateJob("property rules");
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/p/rules.wma"), Local("rules.wma").string()), IsOk());
  EXPECT_THAT(user().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(false)),
              StatusIs(hr::kReadOnlyPropertyAfterAddFile));
  EXPECT_THAT(user().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(0)),
              StatusIs(hr::kMaxDownloadSizeInvalidValue));
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(1'000'000)), IsOk());
  EXPECT_EQ(user().GetJobProperty(job, JobPropertyId::kMaxDownloadSize)->uint64, 1'000'000u);
  EXPECT_THAT(user().SetJobProperty(job, JobPropertyId::kUseStoredCredentials, JobPropertyValue::FromTarget(AuthTarget::kServer)),
              StatusIs(hr::kUseStoredCredentialsNotSupported));
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kUseStoredCredentials, JobPropertyValue::FromTarget(AuthTarget::kProxy)), IsOk());
  EXPECT_EQ(user().GetJobProperty(job, JobPropertyId::kUseStoredCredentials)->target, AuthTarget::kProxy);
  ASSERT_THAT(user().Resume(job), IsOk());
  EXPECT_THAT(user().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(2'000'000)),
              StatusIs(hr::kReadOnlyPropertyAfterResume));

  Result<JobId> upload = user().CreateJob("upload property rules", JobType::kUpload);
  ASSERT_THAT(upload.status(), IsOk());
  EXPECT_THAT(user().SetJobProperty(*upload, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)),
              StatusIs(hr::kPropertySupportedForDownloadJobsOnly));
  ASSERT_THAT(user().Cancel(*upload), IsOk());
  ASSERT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, AHighPerformanceJobEndsWithTheServedBytesInTheLocalFile) {
  Serve("/p/fast.wma", 300'000);
  const JobId job = CreateJob("high performance");
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/p/fast.wma"), Local("fast.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("fast.wma", "/p/fast.wma", 300'000));
}

// "BITS will not clean up any partially downloaded content if a job is cancelled".
TEST_P(BackendConformanceTest, CancellingAHighPerformanceJobLeavesItsPartialContent) {
  AddFault({.path = "/p/partial.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kCloseAfterBytes,
            .after_bytes = 200'000});
  Serve("/p/partial.wma", 1'000'000);
  const JobId job = CreateJob("high performance, cancelled");
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/p/partial.wma"), Local("partial.wma").string()), IsOk());
  ASSERT_THAT(user().SetMinimumRetryDelay(job, 600), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransientError));
  ASSERT_GT(user().GetProgress(job)->bytes_transferred, 0u);
  ASSERT_THAT(user().Cancel(job), IsOk());
  EXPECT_TRUE(std::filesystem::exists(Local("partial.wma"))) << "the caller cleans up, not BITS";
}

// "HEAD requests, the Content-Length header, and the Content-Range header" are optional for a
// dynamic job; the docs advise FOREGROUND, as BITS cannot throttle such downloads.
TEST_P(BackendConformanceTest, ADynamicJobDownloadsABodyWithNoLengthFromAServerWithoutHead) {
  AddFault({.path = "/p/live.wma", .method = "HEAD", .kind = FaultKind::kStatus, .status = 405});
  AddFault({.path = "/p/live.wma", .kind = FaultKind::kOmitContentLength});
  Serve("/p/live.wma", 400'000);
  const JobId job = CreateJob("dynamic content");
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true)), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/p/live.wma"), Local("live.wma").string()), IsOk());
  ASSERT_THAT(user().SetPriority(job, JobPriority::kForeground), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_EQ(user().GetProgress(job)->bytes_total, 400'000u);
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("live.wma", "/p/live.wma", 400'000));
}

TEST_P(BackendConformanceTest, AJobStopsInErrorAtItsMaximumDownloadSize) {
  Serve("/p/capped.wma", 500'000);
  const JobId job = CreateJob("maximum download size");
  ASSERT_THAT(user().AddFile(job, Url("/p/capped.wma"), Local("capped.wma").string()), IsOk());
  ASSERT_THAT(user().SetJobProperty(job, JobPropertyId::kMaxDownloadSize, JobPropertyValue::FromUint64(100'000)), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_THAT(user().GetError(job), HasValue(::testing::Field(&JobError::code, hr::kMaxDownloadSizeLimitReached)));
  const std::uint64_t transferred = user().GetProgress(job)->bytes_transferred;
  EXPECT_GT(transferred, 0u) << "the bytes up to the cap are downloaded (docs/decisions.md, MAX_DOWNLOAD_SIZE)";
  EXPECT_LE(transferred, 100'000u);
}

}  // namespace
}  // namespace bitsh::conformance
