// The machine's disk faults (fake/local_disk.h): a disk that fills up at an exact byte, new files
// refused, a local file another program holds open. Each ends the transfer or the Complete with the
// Windows code BITS records, and each is lifted by its owner's own remedy: free the space or the
// folder and Resume, close the file and Complete again.
#include "fake/local_disk.h"

#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class LocalDiskTest : public FakeServiceTest {
 protected:
  LocalDisk& disk() { return service().disk(); }
  JobError ErrorOf(const JobId& job) {
    Result<JobError> error = alice().GetError(job);
    EXPECT_TRUE(error.ok()) << error.status().ToString();
    return error.ok() ? *error : JobError{};
  }
  // The offset of each fetch of `name`, in order.
  std::vector<std::uint64_t> FetchOffsets(const std::string& name) const {
    std::vector<std::uint64_t> offsets;
    for (const auto& request : transport_.requests()) {
      if (!request.is_probe && request.url == Url(name)) offsets.push_back(request.offset);
    }
    return offsets;
  }
};

TEST_F(LocalDiskTest, AFullDiskStopsTheTransferAtTheExactByteWithErrorDiskFull) {
  disk().SetFreeSpace(100'000);
  const JobId job = QueueDownload(alice(), "song.wma", 300'000);
  ASSERT_TRUE(service().RunUntilIdle());

  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));  // fatal: waiting frees no space
  const JobError error = ErrorOf(job);
  EXPECT_EQ(error.code, hr::kDiskFull);
  EXPECT_EQ(error.context, ErrorContext::kLocalFile);
  EXPECT_EQ(error.file_index, 0u);
  EXPECT_EQ(BytesTransferred(alice(), job), 100'000u);
  ASSERT_THAT(TempFiles(), ElementsAre("BIT0001.tmp"));
  EXPECT_EQ(std::filesystem::file_size(dir_ / "BIT0001.tmp"), 100'000u);
  EXPECT_EQ(disk().free_space(), 0u);
}

// Bytes the engine cuts from the file itself (a step interrupted by Suspend, a drop, a restart)
// and writes again are paid once: the disk still fills at the same byte.
TEST_F(LocalDiskTest, BytesWrittenAgainAfterAnInterruptionAreNotPaidTwice) {
  options_.bandwidth_bytes_per_s = 10'000;  // a step of 100,000 bytes lasts 10 s
  disk().SetFreeSpace(100'000);
  const JobId job = QueueDownload(alice(), "song.wma", 300'000);
  service().AdvanceBy(std::chrono::seconds(5));  // the first step's bytes are written, not yet counted
  ASSERT_THAT(alice().Suspend(job), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());

  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(ErrorOf(job).code, hr::kDiskFull);
  EXPECT_EQ(BytesTransferred(alice(), job), 100'000u);
}

TEST_F(LocalDiskTest, FreeingTheSpaceAndResumingGoesOnFromTheLastByteWritten) {
  disk().SetFreeSpace(100'000);
  const JobId job = QueueDownload(alice(), "song.wma", 300'000);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError));

  disk().SetFreeSpace(std::nullopt);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(FetchOffsets("song.wma").back(), 100'000u);  // not from 0: the bytes on disk stay
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("song.wma")), GeneratedBytes(SeedOf("song.wma"), 0, 300'000));
}

TEST_F(LocalDiskTest, ADeniedFolderFailsTheJobWithAccessDeniedBeforeAnyByte) {
  disk().DenyNewFiles(true);
  const JobId job = QueueDownload(alice(), "song.wma", 50'000);
  ASSERT_TRUE(service().RunUntilIdle());

  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  const JobError error = ErrorOf(job);
  EXPECT_EQ(error.code, hr::kAccessDenied);
  EXPECT_EQ(error.context, ErrorContext::kLocalFile);
  EXPECT_EQ(BytesTransferred(alice(), job), 0u);
  EXPECT_THAT(TempFiles(), IsEmpty());

  disk().DenyNewFiles(false);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(LocalDiskTest, AFileAlreadyCreatedIsStillWrittenWhileNewFilesAreRefused) {
  disk().SetFreeSpace(10'000);
  const JobId job = QueueDownload(alice(), "song.wma", 50'000);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_EQ(BytesTransferred(alice(), job), 10'000u);

  disk().DenyNewFiles(true);
  disk().SetFreeSpace(std::nullopt);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(LocalDiskTest, ALockedLocalFileFailsCompleteAndTheJobStaysTransferred) {
  const JobId job = QueueDownload(alice(), "song.wma", 20'000);
  ASSERT_TRUE(service().RunUntilIdle());
  disk().Lock(Local("song.wma"));

  const Status refused = alice().Complete(job);
  EXPECT_THAT(refused, StatusIs(hr::kAccessDenied));
  EXPECT_THAT(refused.message(), HasSubstr("held open by another program"));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));  // spec §2.4
  EXPECT_THAT(TempFiles(), ElementsAre("BIT0001.tmp"));

  disk().Unlock(Local("song.wma"));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kAcknowledged));
  EXPECT_EQ(ReadFile(Local("song.wma")), GeneratedBytes(SeedOf("song.wma"), 0, 20'000));
}

TEST_F(LocalDiskTest, FilesRenamedBeforeALockedOneStayRenamed) {
  transport_.AddFile(Url("1.wma"), 5'000, 1);
  transport_.AddFile(Url("2.wma"), 5'000, 2);
  const JobId job = *alice().CreateJob("album", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("1.wma"), Local("1.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("2.wma"), Local("2.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  disk().Lock(Local("2.wma"));

  EXPECT_THAT(alice().Complete(job), StatusIs(hr::kAccessDenied));
  EXPECT_TRUE(std::filesystem::exists(Local("1.wma")));
  EXPECT_FALSE(std::filesystem::exists(Local("2.wma")));

  disk().Unlock(Local("2.wma"));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("2.wma")), GeneratedBytes(2, 0, 5'000));
}

TEST(LocalDiskRenameTest, AFolderThatIsGoneIsPathNotFound) {
  bitsh::testing::ScratchFolder scratch("bitsh-disk");
  const std::string from = (scratch.path() / "BIT0001.tmp").string();
  { std::ofstream(from) << "x"; }
  const Status renamed = LocalDisk().Rename(from, (scratch.path() / "gone" / "song.wma").string());
  EXPECT_THAT(renamed, StatusIs(hr::kPathNotFound));
  EXPECT_THAT(renamed.message(), HasSubstr("gone/song.wma"));
  EXPECT_TRUE(std::filesystem::exists(from));  // nothing lost
}

TEST(LocalDiskSpaceTest, OnlyGrowthPastAFilesLargestSizeTakesSpace) {
  LocalDisk disk;
  EXPECT_EQ(disk.Room("a", 0, 1'000'000), 1'000'000u);  // no limit by default
  disk.SetFreeSpace(10);
  EXPECT_EQ(disk.Room("a", 0, 4), 4u);
  disk.Wrote("a", 4);
  EXPECT_EQ(disk.free_space(), 6u);
  EXPECT_EQ(disk.Room("a", 0, 100), 10u);  // bytes 0-3 again cost nothing; 6 more fit
  disk.Wrote("a", 2);                       // cut and written again: nothing to pay
  EXPECT_EQ(disk.free_space(), 6u);
  EXPECT_EQ(disk.Room("b", 0, 100), 6u);
  disk.Wrote("b", 6);
  EXPECT_EQ(disk.Room("a", 4, 1), 0u);
  EXPECT_EQ(disk.free_space(), 0u);
}

}  // namespace
}  // namespace bitsh::fake::testing
