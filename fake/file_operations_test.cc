// The file operations of BITS 1.5-3.0 in the fake: AddFileSet (all or nothing) and
// IBackgroundCopyFile3 (the temporary file's name, the program's verdict on a file's content, and
// whether it came from a peer). Renaming remote files is in fake_service_test.cc.
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FileOperationsTest : public FakeServiceTest {
 protected:
  // A job with `names` served and added (not resumed).
  JobId JobWith(const std::vector<std::string>& names, std::uint64_t size = 10'000) {
    const JobId job = *alice().CreateJob("set", JobType::kDownload);
    for (const std::string& name : names) {
      transport_.AddFile(Url(name), size, SeedOf(name));
      EXPECT_THAT(alice().AddFile(job, Url(name), Local(name)), IsOk());
    }
    return job;
  }
  std::vector<std::string> RemoteNames(const JobId& job) {
    std::vector<std::string> names;
    const Result<std::vector<FileStatus>> files = alice().GetFiles(job);
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    if (files.ok()) {
      for (const FileStatus& file : *files) names.push_back(file.remote_url);
    }
    return names;
  }
  // "probe URL" or "fetch URL@offset" of each request, in order.
  std::vector<std::string> Requests() const {
    std::vector<std::string> lines;
    for (const auto& r : transport_.requests()) {
      lines.push_back(r.is_probe ? "probe " + r.url : "fetch " + r.url + "@" + std::to_string(r.offset));
    }
    return lines;
  }
};

TEST_F(FileOperationsTest, AddFileSetAddsEveryFileInItsOrder) {
  const JobId job = *alice().CreateJob("set", JobType::kDownload);
  ASSERT_THAT(alice().AddFileSet(job, {{Url("1.wma"), Local("1.wma")}, {Url("2.wma"), Local("2.wma")}}), IsOk());
  EXPECT_THAT(RemoteNames(job), ElementsAre(Url("1.wma"), Url("2.wma")));
}

TEST_F(FileOperationsTest, AddFileSetAddsNoneWhenOneFileIsRefused) {
  options_.max_files_per_job = 3;
  const JobId job = JobWith({"kept.wma"});
  const Status bad_name = alice().AddFileSet(job, {{Url("1.wma"), Local("1.wma")}, {"ftp://x/2.wma", Local("2.wma")}});
  EXPECT_THAT(bad_name, StatusIs(hr::kInvalidArg));
  EXPECT_THAT(bad_name.message(), HasSubstr("file 1 of the set"));
  EXPECT_THAT(alice().AddFileSet(job, {{Url("1.wma"), "relative.wma"}}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFileSet(job, {{Url("1.wma"), Local("no/such/folder/1.wma")}}), StatusIs(hr::kPathNotFound));
  // Three would fit one by one up to the limit; the set of three does not fit with the one held.
  EXPECT_THAT(alice().AddFileSet(job, {{Url("1.wma"), Local("1.wma")}, {Url("2.wma"), Local("2.wma")},
                                       {Url("3.wma"), Local("3.wma")}}),
              StatusIs(hr::kTooManyFilesInJob));
  EXPECT_THAT(alice().AddFileSet(job, {}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(RemoteNames(job), ElementsAre(Url("kept.wma")));
  const JobId upload = *alice().CreateJob("up", JobType::kUpload);
  EXPECT_THAT(alice().AddFileSet(upload, {{Url("1.wma"), Local("1.wma")}, {Url("2.wma"), Local("2.wma")}}),
              StatusIs(hr::kTooManyFiles));
  EXPECT_TRUE(alice().GetFiles(upload)->empty());
}

TEST_F(FileOperationsTest, AddFileSetOnAFinalJobIsInvalidState) {
  const JobId job = JobWith({"a.wma"});
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(alice().AddFileSet(job, {{Url("b.wma"), Local("b.wma")}}), StatusIs(hr::kInvalidState));
}

TEST_F(FileOperationsTest, TheTemporaryNameIsBesideTheLocalNameAndHoldsTheBytesSoFar) {
  options_.chunk_bytes = 4'000;
  const JobId job = JobWith({"a.wma"});
  const std::string temporary = *alice().GetTemporaryName(job, 0);
  EXPECT_EQ(std::filesystem::path(temporary).parent_path(), dir_);
  EXPECT_TRUE(std::filesystem::path(temporary).filename().string().starts_with("BIT"));
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) >= 4'000; }));
  // What has arrived so far; a piece fetched but not yet counted may follow it.
  const std::uint64_t counted = BytesTransferred(alice(), job);
  const std::string held = ReadFile(temporary);
  ASSERT_GE(held.size(), counted);
  EXPECT_TRUE(held.substr(0, counted) == GeneratedBytes(SeedOf("a.wma"), 0, counted)) << "the bytes differ";
  EXPECT_THAT(alice().GetTemporaryName(job, 1), StatusIs(hr::kInvalidArg));
}

TEST_F(FileOperationsTest, AFileIsValidatedOnlyOnceTransferredAndCompleteValidatesIt) {
  const JobId job = JobWith({"a.wma", "b.wma"});
  EXPECT_THAT(alice().SetValidationState(job, 0, true), StatusIs(hr::kPending));
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_FALSE(*alice().GetValidationState(job, 0));
  ASSERT_THAT(alice().SetValidationState(job, 0, true), IsOk());
  EXPECT_TRUE(*alice().GetValidationState(job, 0));
  EXPECT_FALSE(*alice().GetValidationState(job, 1));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));  // TRUE changes nothing else
  EXPECT_FALSE(*alice().IsDownloadedFromPeer(job, 0));                   // no peers in the fake
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_TRUE(*alice().GetValidationState(job, 1));
  EXPECT_THAT(alice().SetValidationState(job, 1, true), StatusIs(hr::kInvalidState));
}

TEST_F(FileOperationsTest, AnInvalidFileFailsTheJobAndResumeDownloadsItAgainFromTheOrigin) {
  const JobId job = JobWith({"a.wma"});
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().SetValidationState(job, 0, false), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  const JobError error = *alice().GetError(job);
  EXPECT_EQ(error.code, hr::kValidationFailed);
  EXPECT_EQ(error.context, ErrorContext::kRemoteFile);
  EXPECT_EQ(error.file_index, 0u);
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  EXPECT_EQ(alice().GetFiles(job)->at(0).progress.bytes_transferred, 0u);  // "the file progress is set to zero"
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
  ASSERT_TRUE(service().RunUntilIdle());  // no retry of its own: ERROR waits for the program
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(Requests(), ElementsAre("probe " + Url("a.wma"), "fetch " + Url("a.wma") + "@0", "probe " + Url("a.wma"),
                                      "fetch " + Url("a.wma") + "@0"));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("a.wma")), GeneratedBytes(SeedOf("a.wma"), 0, 10'000));
}

TEST_F(FileOperationsTest, InvalidatingAnEarlierFileStopsALaterOneWhichThenGoesOnFromItsBytes) {
  options_.chunk_bytes = 4'000;
  options_.bandwidth_bytes_per_s = 4'000;  // one piece a second
  const JobId job = JobWith({"a.wma", "b.wma"});
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return alice().GetFiles(job)->at(1).progress.bytes_transferred >= 4'000; }));
  const std::uint64_t b_held = alice().GetFiles(job)->at(1).progress.bytes_transferred;
  ASSERT_THAT(alice().SetValidationState(job, 0, false), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetFiles(job)->at(1).progress.bytes_transferred, b_held);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  // a.wma again from byte 0, then b.wma from where it stood.
  const std::vector<std::string> requests = Requests();
  EXPECT_NE(std::find(requests.begin(), requests.end(), "fetch " + Url("b.wma") + "@" + std::to_string(b_held)),
            requests.end());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("a.wma")), GeneratedBytes(SeedOf("a.wma"), 0, 10'000));
  EXPECT_EQ(ReadFile(Local("b.wma")), GeneratedBytes(SeedOf("b.wma"), 0, 10'000));
}

TEST_F(FileOperationsTest, OnlyTheOwnerOrAnAdminValidatesAndAnUnknownIndexIsInvalidArg) {
  const JobId job = JobWith({"a.wma"});
  EXPECT_THAT(service().Connect("bob")->SetValidationState(job, 0, true), StatusIs(hr::kAccessDenied));
  EXPECT_THAT(alice().SetValidationState(job, 1, true), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().GetValidationState(job, 1), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().IsDownloadedFromPeer(job, 1), StatusIs(hr::kInvalidArg));
}

TEST_F(FileOperationsTest, TheValidationStateSurvivesAServiceRestart) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  const JobId job = JobWith({"a.wma"});
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().SetValidationState(job, 0, true), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_TRUE(*alice().GetValidationState(job, 0));
}

TEST_F(FileOperationsTest, ARangedFileHoldsItsRangesOneAfterAnotherInTheOrderGiven) {
  options_.chunk_bytes = 64;  // a range spans several pieces
  transport_.AddFile(Url("r.wma"), 1000, SeedOf("r.wma"));
  const JobId job = *alice().CreateJob("ranges", JobType::kDownload);
  const std::vector<FileRange> ranges = {{100, 100}, {900, 100}, {400, 100}};
  ASSERT_THAT(alice().AddFileWithRanges(job, Url("r.wma"), Local("r.wma"), ranges), IsOk());
  EXPECT_EQ(*alice().GetFileRanges(job, 0), ranges);
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetFiles(job)->at(0).progress.bytes_total, 300u);
  for (const auto& request : transport_.requests()) {  // no piece reaches past its range
    if (request.is_probe) continue;
    const bool inside = (request.offset >= 100 && request.offset + request.length <= 200) ||
                        (request.offset >= 900 && request.offset + request.length <= 1000) ||
                        (request.offset >= 400 && request.offset + request.length <= 500);
    EXPECT_TRUE(inside) << request.offset << "+" << request.length;
  }
  ASSERT_THAT(alice().Complete(job), IsOk());
  const std::uint64_t seed = SeedOf("r.wma");
  EXPECT_EQ(ReadFile(Local("r.wma")), GeneratedBytes(seed, 100, 100) + GeneratedBytes(seed, 900, 100) + GeneratedBytes(seed, 400, 100));
}

TEST_F(FileOperationsTest, ARangeToTheEndOfTheFileEndsWhereTheProbeSaysTheFileEnds) {
  transport_.AddFile(Url("eof.wma"), 1000, SeedOf("eof.wma"));
  const JobId job = *alice().CreateJob("eof", JobType::kDownload);
  ASSERT_THAT(alice().AddFileWithRanges(job, Url("eof.wma"), Local("eof.wma"), {{0, 10}, {990, kLengthToEof}}), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  const std::uint64_t seed = SeedOf("eof.wma");
  EXPECT_EQ(ReadFile(Local("eof.wma")), GeneratedBytes(seed, 0, 10) + GeneratedBytes(seed, 990, 10));
  EXPECT_EQ(alice().GetFileRanges(job, 0)->at(1).length, kLengthToEof);  // as given
}

TEST_F(FileOperationsTest, ARangePastTheEndOfTheRemoteFilePutsTheJobInErrorWithInvalidRange) {
  transport_.AddFile(Url("short.wma"), 1000, SeedOf("short.wma"));
  const JobId job = *alice().CreateJob("short", JobType::kDownload);
  ASSERT_THAT(alice().AddFileWithRanges(job, Url("short.wma"), Local("short.wma"), {{0, 10}, {995, 10}}), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kInvalidRange);
  EXPECT_EQ(alice().GetError(job)->context, ErrorContext::kRemoteFile);
  EXPECT_EQ(alice().GetFiles(job)->at(0).progress.bytes_total, kSizeUnknown);  // the ranges have no size
}

TEST_F(FileOperationsTest, AJobWhoseRangesFailedSurvivesAServiceRestart) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  transport_.AddFile(Url("short.wma"), 20, SeedOf("short.wma"));
  const JobId job = *alice().CreateJob("short", JobType::kDownload);
  ASSERT_THAT(alice().AddFileWithRanges(job, Url("short.wma"), Local("short.wma"), {{0, 10}, {50, 100}}), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(service().Restart(), IsOk());  // the snapshot written in ERROR reads back
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
}

TEST_F(FileOperationsTest, ARangedFileKeepsAnHttpRemoteName) {
  transport_.AddFile(Url("r.wma"), 1000, SeedOf("r.wma"));
  const JobId job = *alice().CreateJob("ranges", JobType::kDownload);
  ASSERT_THAT(alice().AddFileWithRanges(job, Url("r.wma"), Local("r.wma"), {{0, 10}}), IsOk());
  EXPECT_THAT(alice().SetRemoteName(job, 0, "file://" + Local("src.wma")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "http://127.0.0.1:8080/", "file:///tmp/"), StatusIs(hr::kInvalidArg));
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, Url("r.wma"));
}

TEST_F(FileOperationsTest, AddFileWithRangesRefusesWhatThePageRefusesAndAddsNothing) {
  const JobId job = *alice().CreateJob("bad ranges", JobType::kDownload);
  EXPECT_THAT(alice().AddFileWithRanges(job, Url("a.wma"), Local("a.wma"), {}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFileWithRanges(job, Url("a.wma"), Local("a.wma"), {{0, 10}, {5, 10}}), StatusIs(hr::kOverlappingRanges));
  EXPECT_THAT(alice().AddFileWithRanges(job, Url("a.wma"), Local("a.wma"), {{kLengthToEof, 1}}), StatusIs(hr::kInvalidRange));
  EXPECT_THAT(alice().AddFileWithRanges(job, "file://" + Local("src.wma"), Local("a.wma"), {{0, 10}}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFileWithRanges(job, Url("a.wma"), "relative.wma", {{0, 10}}), StatusIs(hr::kInvalidArg));
  EXPECT_TRUE(alice().GetFiles(job)->empty());
  const JobId upload = *alice().CreateJob("up", JobType::kUpload);
  EXPECT_THAT(alice().AddFileWithRanges(upload, Url("a.wma"), Local("a.wma"), {{0, 10}}), StatusIs(hr::kNotImpl));
  const JobId whole = JobWith({"whole.wma"});
  EXPECT_TRUE(alice().GetFileRanges(whole, 0)->empty());
}

TEST_F(FileOperationsTest, RangesSurviveAServiceRestartMidTransfer) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  options_.chunk_bytes = 50;
  options_.bandwidth_bytes_per_s = 50;  // a piece a second
  transport_.AddFile(Url("r.wma"), 1000, SeedOf("r.wma"));
  const JobId job = *alice().CreateJob("ranges", JobType::kDownload);
  ASSERT_THAT(alice().AddFileWithRanges(job, Url("r.wma"), Local("r.wma"), {{800, 150}, {100, 100}}), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) >= 150; }));
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(alice().GetFileRanges(job, 0)->size(), 2u);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  const std::uint64_t seed = SeedOf("r.wma");
  EXPECT_EQ(ReadFile(Local("r.wma")), GeneratedBytes(seed, 800, 150) + GeneratedBytes(seed, 100, 100));
}

}  // namespace
}  // namespace bitsh::fake::testing
