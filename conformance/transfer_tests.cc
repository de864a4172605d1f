// Conformance: HTTP outcomes against the local file server (spec §3.3-§3.6).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int TransferTestsAnchor() { return 0; }

namespace {

using bitsh::testing::HasState;
using bitsh::testing::HasValue;
using bitsh::testing::IsOk;
using server::FaultKind;

TEST_P(BackendConformanceTest, ACleanTransferArrivesWhole) {
  const JobId job = QueueDownload("/t/clean.wma", 1'000'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("clean.wma", "/t/clean.wma", 1'000'000));
}

TEST_P(BackendConformanceTest, ATransferredJobReportsItsSizeAndFiles) {
  const JobId job = QueueDownload("/t/sized.wma", 1'000'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_THAT(user().GetProgress(job), HasValue((JobProgress{1'000'000, 1'000'000, 1, 1})));
  ASSERT_THAT(user().Complete(job), IsOk());
}

TEST_P(BackendConformanceTest, ADroppedConnectionIsRetriedAndTheFileEndsWhole) {
  AddFault({.path = "/t/drop.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kCloseAfterBytes,
            .after_bytes = 300'000});
  const JobId job = QueueDownload("/t/drop.wma", 1'000'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_THAT(user().GetErrorCount(job), HasValue(::testing::Ge(1u)));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("drop.wma", "/t/drop.wma", 1'000'000));
}

TEST_P(BackendConformanceTest, NotFoundIsAFatalRemoteFileError) {
  const JobId job = CreateJob("404");
  ASSERT_THAT(user().AddFile(job, Url("/t/missing.wma"), Local("missing.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  Result<JobError> error = user().GetError(job);
  ASSERT_THAT(error, IsOk());
  EXPECT_EQ(error->code, 0x80190194u);
  EXPECT_EQ(error->context, ErrorContext::kRemoteFile);
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, ForbiddenIsAFatalRemoteFileError) {
  AddFault({.path = "/t/forbidden.wma", .method = "GET", .kind = FaultKind::kStatus, .status = 403});
  const JobId job = QueueDownload("/t/forbidden.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_THAT(user().GetError(job), HasValue(::testing::Field(&JobError::code, 0x80190193u)));
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, ServiceUnavailableIsTransientAndTheRetrySucceeds) {
  AddFault({.path = "/t/busy.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kStatus, .status = 503});
  const JobId job = QueueDownload("/t/busy.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred, std::chrono::minutes(3)));
  EXPECT_THAT(user().GetErrorCount(job), HasValue(::testing::Ge(1u)));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("busy.wma", "/t/busy.wma", 100'000));
}

TEST_P(BackendConformanceTest, AServerErrorIsTransientAndTheRetrySucceeds) {
  AddFault({.path = "/t/oops.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kStatus, .status = 500});
  const JobId job = QueueDownload("/t/oops.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred, std::chrono::minutes(3)));
  EXPECT_THAT(user().GetErrorCount(job), HasValue(::testing::Ge(1u)));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("oops.wma", "/t/oops.wma", 100'000));
}

TEST_P(BackendConformanceTest, AServerWithoutRangeSupportFailsABackgroundJob) {
  AddFault({.path = "/t/norange.wma", .kind = FaultKind::kIgnoreRange});
  const JobId job = QueueDownload("/t/norange.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_THAT(user().GetError(job), HasValue(::testing::Field(&JobError::code, hr::kInsufficientRangeSupport)));
  EXPECT_THAT(user().Cancel(job), IsOk());
}

TEST_P(BackendConformanceTest, RedirectsAreFollowed) {
  Serve("/t/new.wma", 100'000);
  AddFault({.path = "/t/old.wma", .kind = FaultKind::kRedirect, .redirect_to = "/t/new.wma", .redirect_status = 302});
  const JobId job = CreateJob("redirect");
  ASSERT_THAT(user().AddFile(job, Url("/t/old.wma"), Local("moved.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("moved.wma", "/t/new.wma", 100'000));
}

TEST_P(BackendConformanceTest, AFileChangedOnTheServerIsDownloadedAgainWhole) {
  // The first GET drops after 10,000 bytes; before the second GET (the resume) the file changes.
  AddFault({.path = "/t/changed.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kCloseAfterBytes,
            .after_bytes = 10'000});
  AddFault({.path = "/t/changed.wma", .request_number = 2, .method = "GET", .kind = FaultKind::kChangeFile,
            .new_size = 70'000, .new_seed = 5});
  const JobId job = QueueDownload("/t/changed.wma", 100'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_THAT(user().GetProgress(job), HasValue(::testing::Field(&JobProgress::bytes_total, 70'000u)));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_EQ(std::filesystem::file_size(Local("changed.wma")), 70'000u);
}

}  // namespace
}  // namespace bitsh::conformance
