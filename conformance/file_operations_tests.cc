// Conformance: the file operations of BITS 1.5-3.0 that are not renames: AddFileSet (Microsoft's
// AddFileSet page: all files or none), AddFileWithRanges and GetFileRanges (their pages), and
// IBackgroundCopyFile3 (the GetTemporaryName, SetValidationState and IsDownloadedFromPeer pages).
#include <fstream>
#include <sstream>

#include "conformance/backend_conformance.h"
#include "content/generated_content.h"

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
  // Each read checked before it is used: a backend without IBackgroundCopyFile3 fails here, cleanly.
  const auto read = [&](Result<bool> flag) {
    EXPECT_THAT(flag.status(), IsOk());
    return flag.ok() && *flag;
  };
  EXPECT_FALSE(read(user().GetValidationState(job, 0)));
  ASSERT_THAT(user().SetValidationState(job, 0, true), IsOk());
  EXPECT_TRUE(read(user().GetValidationState(job, 0)));
  EXPECT_FALSE(read(user().IsDownloadedFromPeer(job, 0)));
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

TEST_P(BackendConformanceTest, AFileWithRangesHoldsThemOneAfterAnotherInTheOrderGiven) {
  Serve("/s/ranged.wma", 10'000);
  const JobId job = CreateJob("ranges");
  const std::vector<FileRange> ranges = {{6'000, 1'000}, {0, 500}};
  ASSERT_THAT(user().AddFileWithRanges(job, Url("/s/ranged.wma"), Local("ranged.wma").string(), ranges), IsOk());
  const Result<std::vector<FileRange>> given = user().GetFileRanges(job, 0);
  ASSERT_THAT(given.status(), IsOk());
  EXPECT_EQ(*given, ranges);
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  std::ifstream in(Local("ranged.wma"), std::ios::binary);
  std::ostringstream held;
  held << in.rdbuf();
  const std::uint64_t seed = SeedOf("/s/ranged.wma");
  EXPECT_TRUE(held.str() == content::GeneratedBytes(seed, 6'000, 1'000) + content::GeneratedBytes(seed, 0, 500))
      << "the local file holds " << held.str().size() << " bytes, not the 1,500 of the two ranges in order";
}

TEST_P(BackendConformanceTest, AddFileWithRangesRefusesOverlappingRangesAndAddsNothing) {
  const JobId job = CreateJob("overlapping");
  EXPECT_THAT(user().AddFileWithRanges(job, Url("/s/o.wma"), Local("o.wma").string(), {{0, 100}, {50, 100}}),
              StatusIs(hr::kOverlappingRanges));
  EXPECT_THAT(user().AddFileWithRanges(job, Url("/s/o.wma"), Local("o.wma").string(), {}), StatusIs(hr::kInvalidArg));
  EXPECT_TRUE(user().GetFiles(job)->empty());
}

TEST_P(BackendConformanceTest, ARangePastTheEndOfTheFileEndsTheJobInErrorWithInvalidRange) {
  Serve("/s/short.wma", 1'000);
  const JobId job = CreateJob("past the end");
  ASSERT_THAT(user().AddFileWithRanges(job, Url("/s/short.wma"), Local("short.wma").string(), {{900, 200}}), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_EQ(user().GetError(job)->code, hr::kInvalidRange);
}

}  // namespace
}  // namespace bitsh::conformance
