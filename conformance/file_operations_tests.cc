// Conformance: the file operations of BITS 1.5-3.0 that are not renames: AddFileSet (Microsoft's
// AddFileSet page: all files or none) and IBackgroundCopyFile3 (the GetTemporaryName,
// SetValidationState and IsDownloadedFromPeer pages).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int FileOperationsTestsAnchor() { return 0; }

namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

TEST_P(BackendConformanceTest, AddFileSetAddsEveryFileInItsOrderAndTheJobTransfersThem) {
  Serve("/s/1.wma", 20'000);
  Serve("/s/2.wma", 30'000);
  const JobId job = CreateJob("set");
  ASSERT_THAT(user().AddFileSet(job, {{Url("/s/1.wma"), Local("1.wma").string()}, {Url("/s/2.wma"), Local("2.wma").string()}}),
              IsOk());
  const Result<std::vector<FileStatus>> files = user().GetFiles(job);
  ASSERT_THAT(files.status(), IsOk());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(files->at(0).remote_url, Url("/s/1.wma"));
  EXPECT_EQ(files->at(1).remote_url, Url("/s/2.wma"));
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("1.wma", "/s/1.wma", 20'000));
  EXPECT_TRUE(HoldsServedBytes("2.wma", "/s/2.wma", 30'000));
}

TEST_P(BackendConformanceTest, AddFileSetWithOneBadFileAddsNone) {
  const JobId job = CreateJob("bad set");
  EXPECT_THAT(user().AddFileSet(job, {{Url("/s/ok.wma"), Local("ok.wma").string()}, {Url("/s/rel.wma"), "relative.wma"}}),
              StatusIs(hr::kInvalidArg));
  EXPECT_TRUE(user().GetFiles(job)->empty());
}

TEST_P(BackendConformanceTest, TheTemporaryFileIsBesideTheLocalNameAndHoldsTheTransferredBytes) {
  const JobId job = QueueDownload("/s/temp.wma", 40'000);
  const Result<std::string> temporary = user().GetTemporaryName(job, 0);
  ASSERT_THAT(temporary.status(), IsOk());
  EXPECT_EQ(std::filesystem::path(*temporary).parent_path(), Local("temp.wma").parent_path());
  EXPECT_NE(std::filesystem::path(*temporary).filename(), Local("temp.wma").filename());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_EQ(std::filesystem::file_size(*temporary), 40'000u);
  EXPECT_THAT(user().GetTemporaryName(job, 1), StatusIs(hr::kInvalidArg));
}

TEST_P(BackendConformanceTest, AFileIsValidatedOnlyOnceTransferredAndNotFromAPeer) {
  Serve("/s/later.wma", 10'000);
  const JobId job = CreateJob("pending");
  ASSERT_THAT(user().AddFile(job, Url("/s/later.wma"), Local("later.wma").string()), IsOk());
  EXPECT_THAT(user().SetValidationState(job, 0, true), StatusIs(hr::kPending));
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_FALSE(*user().GetValidationState(job, 0));
  ASSERT_THAT(user().SetValidationState(job, 0, true), IsOk());
  EXPECT_TRUE(*user().GetValidationState(job, 0));
  EXPECT_FALSE(*user().IsDownloadedFromPeer(job, 0));
  EXPECT_THAT(user().GetState(job), bitsh::testing::HasState(JobState::kTransferred));
}

TEST_P(BackendConformanceTest, AnInvalidFileFailsTheJobAndResumeDownloadsItAgain) {
  const JobId job = QueueDownload("/s/invalid.wma", 25'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().SetValidationState(job, 0, false), IsOk());
  EXPECT_THAT(user().GetState(job), bitsh::testing::HasState(JobState::kError));
  const Result<JobError> error = user().GetError(job);
  ASSERT_THAT(error.status(), IsOk());
  EXPECT_EQ(error->code, hr::kValidationFailed);
  EXPECT_EQ(user().GetFiles(job)->at(0).progress.bytes_transferred, 0u);
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("invalid.wma", "/s/invalid.wma", 25'000));
}

}  // namespace
}  // namespace bitsh::conformance
