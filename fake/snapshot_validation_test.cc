// The snapshot is input, not trusted (issue 21, item 4): every field is checked on load, a bad
// file is refused whole with a Status naming the file, the job and the field, the refused file is
// never overwritten, temporary names stay beside their local files, and writes are durable.
#include "fake/testing/snapshot_fixture.h"

namespace bitsh::fake::testing {
namespace {

using nlohmann::json;
using bitsh::testing::HasValue;
using ::testing::HasSubstr;
using std::chrono::seconds;

using SnapshotValidationTest = SnapshotTest;

TEST_F(SnapshotValidationTest, AJobStateThatIsNotABitsStateIsRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][1]["state"] = 9; }),
              Names(1, "field \"state\": 9 is not a BITS job state (0-8)"));
}

TEST_F(SnapshotValidationTest, AFinalStateIsRefusedBecauseASnapshotHoldsLiveJobsOnly) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][0]["state"] = 8; }), Names(0, "field \"state\": CANCELLED is final"));
}

TEST_F(SnapshotValidationTest, AJobThatLeftSuspendedWithoutAResumeIsRefusedAndAnOldSnapshotIsReadSoundly) {
  SaveAQueue();
  const std::size_t waiting = IndexOf("waiting");  // QUEUED: it was resumed
  EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][waiting]["resumed"] = false; }),
              Names(waiting, "field \"resumed\": false for a job in QUEUED"));
  // Written before the field existed: a job that left SUSPENDED was resumed, so its cap is fixed.
  ASSERT_THAT(StartOnEdited([&](json& s) { s["jobs"][waiting].erase("resumed"); }), IsOk());
  JobPropertyValue cap;
  cap.uint64 = 10;
  EXPECT_THAT(alice().SetJobProperty(*JobId::Parse(Id(waiting)), JobPropertyId::kMaxDownloadSize, cap),
              StatusIs(hr::kReadOnlyPropertyAfterResume));
}

TEST_F(SnapshotValidationTest, AJobTypeThatIsNotABitsTypeIsRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][0]["type"] = 3; }),
              Names(0, "field \"type\": 3 is not a BITS job type (0-2)"));
}

TEST_F(SnapshotValidationTest, APriorityThatIsNotABitsPriorityIsRefusedNamingFileJobAndField) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][2]["priority"] = 7; }),
              Names(2, "field \"priority\": 7 is not a BITS priority (0-3)"));
}

TEST_F(SnapshotValidationTest, CustomHeadersThatSetCustomHeadersWouldRefuseAreRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][0]["custom_headers"] = "no colon"; }),
              Names(0, "field \"custom_headers\": custom header line 1 'no colon' is not 'Name: value'"));
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][1]["custom_headers"] = ""; }),
              Names(1, "field \"custom_headers\": is empty"));
}

TEST_F(SnapshotValidationTest, ASnapshotWrittenBeforeCustomHeadersExistedLoadsWithNone) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) {
                for (json& job : s["jobs"]) job.erase("custom_headers");
              }),
              IsOk());
}

TEST_F(SnapshotValidationTest, MoreBytesTransferredThanTheFileHoldsIsRefused) {
  SaveAQueue();
  const std::size_t partial = IndexOf("partial");
  EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][partial]["files"][0]["bytes_transferred"] = 500'001; }),
              Names(partial, "file 0: field \"bytes_transferred\": 500001 exceeds bytes_total 500000"));
}

TEST_F(SnapshotValidationTest, BytesTransferredOfAFileOfUnknownSizeAreRefused) {
  SaveAQueue();
  // BG_SIZE_UNKNOWN, (UINT64)-1, is how the snapshot records a size not yet probed.
  const std::size_t partial = IndexOf("partial");
  EXPECT_THAT(StartOnEdited([&](json& s) {
                s["jobs"][partial]["files"][1]["bytes_total"] = kSizeUnknown;
                s["jobs"][partial]["files"][1]["bytes_transferred"] = 5;
              }),
              Names(partial, "file 1: field \"bytes_transferred\": 5 bytes of a file whose size is unknown"));
}

TEST_F(SnapshotValidationTest, ANegativeCountIsRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][1]["error_count"] = -1; }),
              Names(1, "field \"error_count\": -1 is not a non-negative integer"));
}

TEST_F(SnapshotValidationTest, ADuplicateJobIdIsRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"].push_back(s["jobs"][0]); }),
              Names(4, Id(0), "field \"id\": the id of job 0 too"));
}

TEST_F(SnapshotValidationTest, AnIdThatIsNotAGuidIsRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][1]["id"] = "{not-a-guid}"; }),
              StatusIs(hr::kFileCorrupt, HasSubstr(": job 1: field \"id\": \"{not-a-guid}\" is not a GUID")));
}

TEST_F(SnapshotValidationTest, AnErrorFileIndexOutsideTheJobsFilesIsRefused) {
  SaveAQueue();
  const std::size_t flaky = IndexOf("flaky");
  EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][flaky]["error"]["file_index"] = 2; }),
              Names(flaky, "error: field \"file_index\": 2 is not one of the job's 2 files"));
}

TEST_F(SnapshotValidationTest, AnErrorContextThatIsNotABitsContextIsRefused) {
  SaveAQueue();
  const std::size_t gone = IndexOf("gone");
  EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][gone]["error"]["context"] = 9; }),
              Names(gone, "error: field \"context\": 9 is not a BITS error context (0-8)"));
}

TEST_F(SnapshotValidationTest, AChangeAfterTheSnapshotsNowIsRefused) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][0]["touched"] = s["now"].get<std::uint64_t>() + 1; }),
              Names(0, "field \"touched\": is after the snapshot's \"now\""));
}

// The wall clock may have been set back since the job was created: its times out of order are
// what the machine's clock said, not damage.
TEST_F(SnapshotValidationTest, WallClockTimesOutOfOrderAreAccepted) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["jobs"][0]["modified"] = 0; }), IsOk());
}

TEST_F(SnapshotValidationTest, AMissingFieldIsAStatusNamingTheFileAndTheField) {
  SaveAQueue();
  const std::size_t flaky = IndexOf("flaky");
  EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][flaky]["files"][1].erase("temp_name"); }),
              Names(flaky, "file 1: field \"temp_name\" is missing"));
}

TEST_F(SnapshotValidationTest, ASnapshotWithATempNameOutsideTheQueueFolderIsRefused) {
  SaveAQueue();
  std::filesystem::create_directories(dir_ / "elsewhere");
  const std::size_t partial = IndexOf("partial");
  for (const std::string& outside :
       {(dir_ / "elsewhere" / "BIT0001.tmp").string(), (queue_ / ".." / "BIT0001.tmp").string(),
        std::string("/etc/BIT0001.tmp"), std::string("BIT0001.tmp"), (queue_ / "partial0.wma").string()}) {
    EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][partial]["files"][0]["temp_name"] = outside; }),
                Names(partial, "file 0: field \"temp_name\": \"" + outside + "\" is not a BITxxxx.tmp name in the folder"))
        << outside;
    service().RunUntilIdle(seconds(60));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "elsewhere"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "BIT0001.tmp"));
}

TEST_F(SnapshotValidationTest, ATempNameThatIsASymlinkOutOfTheFolderIsRefused) {
  SaveAQueue();
  std::filesystem::create_directories(dir_ / "elsewhere");
  std::filesystem::create_symlink(dir_ / "elsewhere" / "target", queue_ / "BIT00AA.tmp");
  const std::size_t flaky = IndexOf("flaky");
  EXPECT_THAT(StartOnEdited([&](json& s) { s["jobs"][flaky]["files"][1]["temp_name"] = InQueue("BIT00AA.tmp"); }),
              Names(flaky, "file 1: field \"temp_name\": \"" + InQueue("BIT00AA.tmp") + "\" exists and is not a regular file"));
  service().RunUntilIdle(seconds(60));
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "elsewhere"));
}

TEST_F(SnapshotValidationTest, ATempNameTheCounterHasNotReachedIsRefusedSoNoNameIsHandedOutTwice) {
  SaveAQueue();
  EXPECT_THAT(StartOnEdited([](json& s) { s["temp_files_named"] = 1; }),
              StatusIs(hr::kFileCorrupt, HasSubstr("was not handed out yet (temp_files_named is 1)")));
}

TEST_F(SnapshotValidationTest, ARefusedSnapshotLoadsNoJobAndIsNeverOverwritten) {
  SaveAQueue();
  json snapshot = json::parse(saved_);
  snapshot["jobs"][3]["priority"] = 7;  // the last job is bad: the first three must not load either
  const std::string bad = snapshot.dump(1);
  ASSERT_FALSE(StartOn(bad).ok());
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), StatusIs(hr::kFileCorrupt, HasSubstr("queue.json")));
  EXPECT_THAT(alice().GetState(*JobId::Parse(Id(0))), StatusIs(hr::kFileCorrupt));
  EXPECT_THAT(alice().CreateJob("new", JobType::kDownload), StatusIs(hr::kFileCorrupt));
  service().AddUser("bob");
  EXPECT_THAT(service().Restart(), StatusIs(hr::kFileCorrupt));
  service().RunUntilIdle();
  alice_.reset();
  service_.reset();
  EXPECT_EQ(ReadFile(options_.snapshot_path.string()), bad);
}

TEST_F(SnapshotValidationTest, ARepairedSnapshotLoadsOnTheNextRestart) {
  SaveAQueue();
  ASSERT_FALSE(StartOnEdited([](json& s) { s["jobs"][0]["type"] = 7; }).ok());
  { std::ofstream(options_.snapshot_path, std::ios::binary | std::ios::trunc) << saved_; }
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(service().startup_status(), IsOk());
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::SizeIs(4)));
}

TEST_F(SnapshotValidationTest, AMissingSnapshotFolderIsCreatedByTheFirstSave) {
  options_.snapshot_path = dir_ / "state" / "bits" / "queue.json";
  options_.flush_snapshot = true;
  EXPECT_THAT(alice().CreateJob("first", JobType::kDownload), IsOk());
  EXPECT_TRUE(std::filesystem::is_regular_file(options_.snapshot_path));
  std::filesystem::remove_all(dir_ / "state");  // and again if it goes away while running
  EXPECT_THAT(alice().CreateJob("second", JobType::kDownload), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::SizeIs(2)));
}

TEST_F(SnapshotValidationTest, ASnapshotThatCannotBeWrittenIsTheStatusOfTheCallAndUndoesIt) {
  { std::ofstream(dir_ / "a-file") << "not a folder"; }
  options_.snapshot_path = dir_ / "a-file" / "queue.json";
  options_.flush_snapshot = true;
  const Result<JobId> created = alice().CreateJob("unsaved", JobType::kDownload);
  EXPECT_FALSE(created.ok());
  EXPECT_THAT(created.status().message(), HasSubstr("cannot create the folder " + (dir_ / "a-file").string()));
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::IsEmpty()));
  const Status restarted = service().Restart();  // the queue stays in memory, running
  EXPECT_FALSE(restarted.ok());
  EXPECT_THAT(restarted.message(), HasSubstr("a-file"));
}

// Nothing throws out of a save, so nothing throws out of Restart: a name that is not UTF-8 cannot
// be written as JSON text, and that is the Status of the call that brought it (issue 19 item 3).
TEST_F(SnapshotValidationTest, ANameThatIsNotUtf8IsTheStatusOfTheCallNotAnException) {
  const JobId job = *alice().CreateJob("kept", JobType::kDownload);
  EXPECT_THAT(alice().CreateJob("bad \xff name", JobType::kDownload), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().SetDescription(job, "bad \xc3"), StatusIs(hr::kInvalidArg, HasSubstr("UTF-8")));
  EXPECT_THAT(alice().GetDescription(job), HasValue(""));  // undone
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::ElementsAre(job)));
}

TEST_F(SnapshotValidationTest, AWriteLeavesOnlyTheSnapshotInItsFolder) {
  options_.flush_snapshot = true;
  ASSERT_THAT(alice().CreateJob("one", JobType::kDownload), IsOk());
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(queue_)) names.push_back(entry.path().filename().string());
  EXPECT_THAT(names, ::testing::ElementsAre("queue.json"));  // the temporary copy was renamed over it
}

TEST_F(SnapshotValidationTest, WithoutFlushingTheSnapshotIsStillReplacedWholeAndReadBack) {
  options_.flush_snapshot = false;
  ASSERT_THAT(alice().CreateJob("one", JobType::kDownload), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::SizeIs(1)));
  EXPECT_FALSE(std::filesystem::exists(queue_ / "queue.json.tmp"));
}

}  // namespace
}  // namespace bitsh::fake::testing
