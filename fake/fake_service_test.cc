// The job lifecycle through the Backend interface of the fake: creation, files, transfer,
// Complete and Cancel with their effects on disk, properties, limits and argument errors.
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Le;
using ::testing::Pair;

TEST_F(FakeServiceTest, ANewJobIsSuspendedWithZeroProgressAndDefaults) {
  Result<JobId> job = alice().CreateJob("album", JobType::kDownload);
  ASSERT_THAT(job, IsOk());
  EXPECT_THAT(alice().GetState(*job), HasState(JobState::kSuspended));
  EXPECT_EQ(*alice().GetProgress(*job), (JobProgress{0, 0, 0, 0}));  // §12
  EXPECT_EQ(*alice().GetPriority(*job), JobPriority::kNormal);
  EXPECT_EQ(*alice().GetMinimumRetryDelay(*job), 600u);
  EXPECT_EQ(*alice().GetNoProgressTimeout(*job), 1'209'600u);
  EXPECT_EQ(*alice().GetType(*job), JobType::kDownload);
  EXPECT_EQ(*alice().GetOwner(*job), "alice");
  EXPECT_EQ(*alice().GetDisplayName(*job), "album");
  EXPECT_EQ(*alice().GetErrorCount(*job), 0u);
  EXPECT_FALSE(alice().GetTimes(*job)->transfer_completion.has_value());
  EXPECT_THAT(alice().GetError(*job), StatusIs(hr::kErrorInformationUnavailable));
}

TEST_F(FakeServiceTest, ResumeWithoutFilesFailsWithEmptyAndChangesNothing) {
  const JobId job = *alice().CreateJob("empty", JobType::kDownload);
  EXPECT_THAT(alice().Resume(job), StatusIs(hr::kEmpty));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kSuspended));
}

TEST_F(FakeServiceTest, AFileBeforeTransferHasUnknownSizeAndNamesAsGiven) {
  const JobId job = *alice().CreateJob("one", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("a.wma"), Local("a.wma")), IsOk());
  std::vector<FileStatus> files = *alice().GetFiles(job);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].remote_url, Url("a.wma"));
  EXPECT_EQ(files[0].local_name, Local("a.wma"));
  EXPECT_EQ(files[0].progress, (FileProgress{kSizeUnknown, 0, false}));  // §12
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, kSizeUnknown);
}

TEST_F(FakeServiceTest, ADownloadGoesThroughTheStatesAndCompleteRenamesTheFile) {
  const JobId job = QueueDownload(alice(), "track.wma", 1'000'000);
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kQueued));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(service().log(), TransitionedThrough(job, std::vector{JobState::kQueued, JobState::kConnecting,
                                                                    JobState::kTransferring, JobState::kTransferred}));
  EXPECT_EQ(*alice().GetProgress(job), (JobProgress{1'000'000, 1'000'000, 1, 1}));
  EXPECT_TRUE(alice().GetTimes(job)->transfer_completion.has_value());
  EXPECT_FALSE(std::filesystem::exists(Local("track.wma")));  // visible only after Complete
  EXPECT_THAT(TempFiles(), ElementsAre("BIT0001.tmp"));

  EXPECT_THAT(alice().Complete(job), StatusIs(hr::kOk));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kAcknowledged));
  EXPECT_EQ(ReadFile(Local("track.wma")), GeneratedBytes(SeedOf("track.wma"), 0, 1'000'000));
  EXPECT_THAT(TempFiles(), IsEmpty());
  EXPECT_TRUE(alice().GetFiles(job)->at(0).progress.completed);
  EXPECT_THAT(alice().Complete(job), StatusIs(hr::kInvalidState));  // §12
  EXPECT_THAT(alice().GetJob(job), StatusIs(hr::kNotFound));       // gone from the queue
  EXPECT_THAT(*alice().EnumJobs(EnumScope::kCurrentUser), IsEmpty());
}

TEST_F(FakeServiceTest, FilesOfAJobTransferInOrderAndEachLetsGoOfItsResponseWhenDone) {
  transport_.AddFile(Url("1.wma"), 300'000, 1);
  transport_.AddFile(Url("2.wma"), 200'000, 2);
  const JobId job = *alice().CreateJob("two", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("1.wma"), Local("1.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("2.wma"), Local("2.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  std::vector<std::string> order;
  for (const auto& request : transport_.requests()) order.push_back(request.url);
  ASSERT_FALSE(order.empty());
  const std::size_t first_of_second_file = std::find(order.begin(), order.end(), Url("2.wma")) - order.begin();
  EXPECT_EQ(first_of_second_file, std::find(order.rbegin(), order.rend(), Url("1.wma")).base() - order.begin());
  EXPECT_EQ(*alice().GetProgress(job), (JobProgress{500'000, 500'000, 2, 2}));

  // A transport may hold a response and a read-ahead buffer per stream: a file that is done must
  // free them at once, not when the job ends (300 transferred jobs once held 1.2 GiB).
  std::vector<std::pair<std::string, std::size_t>> released;
  for (const auto& release : transport_.released()) released.emplace_back(release.stream_key, release.after_requests);
  EXPECT_THAT(released, ElementsAre(Pair(job.ToString() + "#0", Le(first_of_second_file)),
                                    Pair(job.ToString() + "#1", order.size())));
}

TEST_F(FakeServiceTest, CancelDeletesTemporaryFilesAndIsFinal) {
  options_.bandwidth_bytes_per_s = 100'000;
  const JobId job = QueueDownload(alice(), "big.wma", 5'000'000);
  service().AdvanceBy(std::chrono::seconds(10));
  ASSERT_GT(BytesTransferred(alice(), job), 0u);
  ASSERT_THAT(TempFiles(), ElementsAre("BIT0001.tmp"));
  EXPECT_THAT(alice().Cancel(job), StatusIs(hr::kOk));
  EXPECT_THAT(TempFiles(), IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(Local("big.wma")));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kCancelled));
  EXPECT_THAT(alice().Cancel(job), StatusIs(hr::kInvalidState));  // §12
  EXPECT_THAT(alice().Resume(job), StatusIs(hr::kInvalidState));
  EXPECT_THAT(alice().SetDescription(job, "x"), StatusIs(hr::kInvalidState));
}

TEST_F(FakeServiceTest, CompleteDuringTransferKeepsOnlyFinishedFiles) {
  options_.bandwidth_bytes_per_s = 100'000;
  transport_.AddFile(Url("done.wma"), 50'000, 1);
  transport_.AddFile(Url("half.wma"), 5'000'000, 2);
  const JobId job = *alice().CreateJob("partial", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("done.wma"), Local("done.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("half.wma"), Local("half.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  service().AdvanceBy(std::chrono::seconds(5));
  EXPECT_THAT(alice().Complete(job), StatusIs(hr::kPartialComplete));
  EXPECT_EQ(ReadFile(Local("done.wma")), GeneratedBytes(1, 0, 50'000));
  EXPECT_FALSE(std::filesystem::exists(Local("half.wma")));
  EXPECT_THAT(TempFiles(), IsEmpty());
}

TEST_F(FakeServiceTest, SuspendStopsTheTransferAndResumeContinuesIt) {
  options_.bandwidth_bytes_per_s = 100'000;
  const JobId job = QueueDownload(alice(), "s.wma", 1'000'000);
  service().AdvanceBy(std::chrono::seconds(3));
  ASSERT_THAT(alice().Suspend(job), IsOk());
  const std::uint64_t held = BytesTransferred(alice(), job);
  service().AdvanceBy(std::chrono::hours(1));
  EXPECT_EQ(BytesTransferred(alice(), job), held);
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kSuspended));
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("s.wma")), GeneratedBytes(SeedOf("s.wma"), 0, 1'000'000));
}

TEST_F(FakeServiceTest, ModificationTimeMovesWithPropertyChangesAndProgress) {
  const JobId job = *alice().CreateJob("m", JobType::kDownload);
  const TimePoint created = alice().GetTimes(job)->creation;
  service().AdvanceBy(std::chrono::seconds(30));
  ASSERT_THAT(alice().SetDescription(job, "d"), IsOk());
  EXPECT_EQ(alice().GetTimes(job)->modification, created + std::chrono::seconds(30));
  EXPECT_EQ(alice().GetTimes(job)->creation, created);
}

TEST_F(FakeServiceTest, PropertySettersEnforceDocumentedLimits) {
  const JobId job = *alice().CreateJob("p", JobType::kDownload);
  EXPECT_THAT(alice().SetDisplayName(job, std::string(257, 'n')), StatusIs(hr::kStringTooLong));
  EXPECT_THAT(alice().SetDisplayName(job, std::string(256, 'n')), IsOk());
  EXPECT_THAT(alice().SetDescription(job, std::string(1025, 'd')), StatusIs(hr::kStringTooLong));
  EXPECT_THAT(alice().SetDescription(job, std::string(1024, 'd')), IsOk());
  EXPECT_THAT(alice().SetPriority(job, static_cast<JobPriority>(7)), StatusIs(hr::kNotImpl));
  EXPECT_THAT(alice().SetMinimumRetryDelay(job, 1), IsOk());
  EXPECT_EQ(*alice().GetMinimumRetryDelay(job), 5u);  // raised to the 5 s floor
  EXPECT_THAT(alice().CreateJob(std::string(257, 'n'), JobType::kDownload), StatusIs(hr::kInvalidArg));
}

TEST_F(FakeServiceTest, AddFileRejectsBadNamesWithTheDocumentedCodes) {
  const JobId job = *alice().CreateJob("f", JobType::kDownload);
  EXPECT_THAT(alice().AddFile(job, Url("a.wma"), "relative/a.wma"), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFile(job, "ftp://host/a.wma", Local("a.wma")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFile(job, "http://h/" + std::string(2200, 'x'), Local("a.wma")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFile(job, Url("a.wma"), Local("missing-dir/a.wma")), StatusIs(hr::kPathNotFound));
  EXPECT_THAT(*alice().GetFiles(job), IsEmpty());
}

// The 2,200-character limit on a remote name counts UTF-16 units, as BITS stores the name, not the
// bytes of its UTF-8 form.
TEST_F(FakeServiceTest, TheRemoteNameLimitCountsUtf16Units) {
  const auto repeat = [](const std::string& text, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += text;
    return out;
  };
  const std::string e_acute = "\xC3\xA9";        // U+00E9: 2 bytes, 1 unit
  const std::string note = "\xF0\x9F\x8E\xB5";  // U+1F3B5: 4 bytes, 2 units (a surrogate pair)
  const std::string accented = "http://h/" + repeat(e_acute, 2191);       // 9 + 2,191 = 2,200 units
  const std::string astral = "http://h/x" + repeat(note, 1095);           // 10 + 2,190 = 2,200 units
  ASSERT_EQ(accented.size(), 4391u);
  ASSERT_EQ(astral.size(), 4390u);
  const JobId job = *alice().CreateJob("u", JobType::kDownload);
  EXPECT_THAT(alice().AddFile(job, accented, Local("a.wma")), IsOk());
  EXPECT_THAT(alice().AddFile(job, accented + e_acute, Local("b.wma")), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().AddFile(job, astral, Local("c.wma")), IsOk());
  EXPECT_THAT(alice().AddFile(job, "http://h/" + repeat(note, 1096), Local("d.wma")),  // 2,201 units
              StatusIs(hr::kInvalidArg));
  Result<std::vector<FileStatus>> files = alice().GetFiles(job);
  ASSERT_THAT(files, IsOk());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(files->at(0).remote_url, accented);
  EXPECT_EQ(files->at(1).remote_url, astral);
}

TEST_F(FakeServiceTest, FileAndJobLimitsApplyToUsersButNotAdministrators) {
  options_.max_files_per_job = 2;
  options_.max_jobs_per_user = 2;
  options_.max_jobs_per_machine = 3;
  const JobId job = *alice().CreateJob("f", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("1.wma"), Local("1.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, Url("2.wma"), Local("2.wma")), IsOk());
  EXPECT_THAT(alice().AddFile(job, Url("3.wma"), Local("3.wma")), StatusIs(hr::kTooManyFilesInJob));
  ASSERT_THAT(alice().CreateJob("second", JobType::kDownload), IsOk());
  EXPECT_THAT(alice().CreateJob("third", JobType::kDownload), StatusIs(hr::kTooManyJobsPerUser));
  auto bob = service().Connect("bob");
  ASSERT_THAT(bob->CreateJob("b1", JobType::kDownload), IsOk());
  EXPECT_THAT(bob->CreateJob("b2", JobType::kDownload), StatusIs(hr::kTooManyJobsPerMachine));
  service().AddUser("admin", /*is_admin=*/true);
  auto admin = service().Connect("admin");
  EXPECT_THAT(admin->CreateJob("exempt", JobType::kDownload), IsOk());
  EXPECT_THAT(admin->AddFile(job, Url("3.wma"), Local("3.wma")), IsOk());
}

TEST_F(FakeServiceTest, CancelledJobsNoLongerCountAgainstTheLimit) {
  options_.max_jobs_per_user = 1;
  const JobId job = *alice().CreateJob("one", JobType::kDownload);
  EXPECT_THAT(alice().CreateJob("two", JobType::kDownload), StatusIs(hr::kTooManyJobsPerUser));
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(alice().CreateJob("two", JobType::kDownload), IsOk());
}

TEST_F(FakeServiceTest, UploadJobsHoldOneFile) {
  const JobId job = *alice().CreateJob("up", JobType::kUpload);
  ASSERT_THAT(alice().AddFile(job, Url("u"), Local("u.bin")), IsOk());
  EXPECT_THAT(alice().AddFile(job, Url("v"), Local("v.bin")), StatusIs(hr::kTooManyFiles));
}

TEST_F(FakeServiceTest, AZeroByteFileCompletesAsAnEmptyFile) {
  const JobId job = QueueDownload(alice(), "empty.wma", 0);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_TRUE(std::filesystem::exists(Local("empty.wma")));
  EXPECT_EQ(std::filesystem::file_size(Local("empty.wma")), 0u);
}

TEST_F(FakeServiceTest, ReplaceRemotePrefixRenamesEveryMatchingFileOrNothing) {
  const JobId job = *alice().CreateJob("moved", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, "http://old.example/a.wma", Local("a.wma")), IsOk());
  ASSERT_THAT(alice().AddFile(job, "http://OLD.example/b.wma", Local("b.wma")), IsOk());  // case differs
  ASSERT_THAT(alice().AddFile(job, "http://old.example/c.wma", Local("c.wma")), IsOk());
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "http://elsewhere", "http://new"), StatusIs(hr::kFalse));
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "", "http://new"), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "http://old.example", ""), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "http://old.example", "gopher://x"), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "http://old.example", "http://" + std::string(2200, 'n')),
              StatusIs(hr::kInvalidArg));
  const auto names = [&] {
    const std::vector<FileStatus> files = *alice().GetFiles(job);  // a copy: the Result is a temporary
    std::vector<std::string> remote_names;
    for (const FileStatus& file : files) remote_names.push_back(file.remote_url);
    return remote_names;
  };
  EXPECT_THAT(names(), ElementsAre("http://old.example/a.wma", "http://OLD.example/b.wma", "http://old.example/c.wma"));
  ASSERT_THAT(alice().ReplaceRemotePrefix(job, "http://old.example", "http://new.example"), StatusIs(hr::kOk));
  EXPECT_THAT(names(), ElementsAre("http://new.example/a.wma", "http://OLD.example/b.wma", "http://new.example/c.wma"));
}

TEST_F(FakeServiceTest, ReplaceRemotePrefixIsForLiveDownloadJobsOfTheirOwner) {
  const JobId upload = *alice().CreateJob("up", JobType::kUpload);
  EXPECT_THAT(alice().ReplaceRemotePrefix(upload, "http://a", "http://b"), StatusIs(hr::kNotImpl));
  const JobId job = *alice().CreateJob("down", JobType::kDownload);
  EXPECT_THAT(service().Connect("bob")->ReplaceRemotePrefix(job, "http://a", "http://b"), StatusIs(hr::kAccessDenied));
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(alice().ReplaceRemotePrefix(job, "http://a", "http://b"), StatusIs(hr::kInvalidState));
}

TEST_F(FakeServiceTest, SetRemoteNamePointsAFailedFileAtItsNewPlace) {
  transport_.AddFile(Url("moved.wma"), 30'000, 5);
  const JobId job = *alice().CreateJob("moved", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, Url("gone.wma"), Local("t.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kError));  // 404: the scripted transport has no gone.wma
  EXPECT_THAT(alice().SetRemoteName(job, 1, Url("moved.wma")), StatusIs(hr::kInvalidArg));  // no file #1
  EXPECT_THAT(alice().SetRemoteName(job, 0, "gopher://x/moved.wma"), StatusIs(hr::kInvalidArg));
  ASSERT_THAT(alice().SetRemoteName(job, 0, Url("moved.wma")), IsOk());
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, Url("moved.wma"));
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("t.wma")), GeneratedBytes(5, 0, 30'000));
}

}  // namespace
}  // namespace bitsh::fake::testing
