// The queue survives a simulated service restart and a crash of the harness (spec §4 persistence).
#include <fstream>

#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::seconds;

class FakePersistenceTest : public FakeServiceTest {
 protected:
  void SetUp() override {
    FakeServiceTest::SetUp();
    options_.snapshot_path = dir_ / "bits-queue.json";
    options_.bandwidth_bytes_per_s = 100'000;
    options_.chunk_bytes = 100'000;
  }

  std::vector<std::uint64_t> FetchOffsets() const {
    std::vector<std::uint64_t> offsets;
    for (const auto& request : transport_.requests()) {
      if (!request.is_probe) offsets.push_back(request.offset);
    }
    return offsets;
  }
};

TEST_F(FakePersistenceTest, ARestartMidTransferResumesFromThePersistedByte) {
  const JobId job = QueueDownload(alice(), "r.wma", 1'000'000);
  service().AdvanceBy(std::chrono::milliseconds(3500));  // 3 steps done, the 4th in flight
  ASSERT_EQ(BytesTransferred(alice(), job), 300'000u);

  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kQueued));
  EXPECT_EQ(BytesTransferred(alice(), job), 300'000u);
  ASSERT_TRUE(service().RunUntilIdle());

  // The step cut by the restart is fetched again from byte 300000, and nothing before it.
  const std::vector<std::uint64_t> offsets = FetchOffsets();
  EXPECT_EQ(std::count(offsets.begin(), offsets.end(), 300'000u), 2);
  EXPECT_EQ(std::count(offsets.begin(), offsets.end(), 0u), 1);
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("r.wma")), GeneratedBytes(SeedOf("r.wma"), 0, 1'000'000));
}

TEST_F(FakePersistenceTest, PropertiesStatesAndCountersSurviveARestart) {
  transport_.FailNext(Url("p.wma"), hr::FromHttpStatus(503));
  const JobId job = QueueDownload(alice(), "p.wma", 1000);
  ASSERT_THAT(alice().SetDescription(job, "::WMP_JOB:1:42:Contoso:A:B:1:T:60:0"), IsOk());
  const JobId idle = *alice().CreateJob("idle", JobType::kDownload);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  const TimePoint failed = service().Now();

  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(*alice().GetDescription(job), "::WMP_JOB:1:42:Contoso:A:B:1:T:60:0");
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  EXPECT_EQ(alice().GetError(job)->code, 0x801901F7u);
  EXPECT_THAT(alice().GetState(idle), HasState(JobState::kSuspended));
  // The retry timer is restored: the job retries 600 s after the failure, not 600 s after restart.
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kQueued, 2));
  EXPECT_EQ(*TimeEntered(job, JobState::kQueued, 2), failed - options_.start_time + seconds(600));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(FakePersistenceTest, ANewServiceProcessPicksUpAfterACrash) {
  const JobId job = QueueDownload(alice(), "crash.wma", 1'000'000);
  service().AdvanceBy(seconds(5));
  ASSERT_GT(BytesTransferred(alice(), job), 0u);
  // The harness dies: no orderly save. The last snapshot is older than the progress, and the temp
  // file holds even the piece that was in flight. A new service must trust the bytes on disk.
  const std::uint64_t on_disk = std::filesystem::file_size(dir_ / "BIT0001.tmp");
  const std::size_t fetches_before = FetchOffsets().size();
  alice_.reset();
  service_.reset();
  ASSERT_TRUE(std::filesystem::exists(options_.snapshot_path));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(FetchOffsets().at(fetches_before), on_disk);  // resumed at the byte on disk, not at 0
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("crash.wma")), GeneratedBytes(SeedOf("crash.wma"), 0, 1'000'000));
}

TEST_F(FakePersistenceTest, AFileFoundWholeOnDiskAfterARestartIsTransferredWithoutAnotherRequest) {
  // A crash after the last piece reached the disk but before the snapshot recorded it: the
  // temporary file is whole while the record says 400,000 bytes. The step that finds it whole
  // moves no bytes, and the job's current file is then past the end (ASan saw the engine read it).
  const JobId job = QueueDownload(alice(), "t.wma", 1'000'000);
  service().AdvanceBy(seconds(4));
  ASSERT_EQ(BytesTransferred(alice(), job), 400'000u);
  ASSERT_THAT(alice().Suspend(job), IsOk());
  const std::string whole = GeneratedBytes(SeedOf("t.wma"), 0, 1'000'000);
  std::ofstream(dir_ / "BIT0001.tmp", std::ios::binary | std::ios::trunc) << whole;
  ASSERT_THAT(service().Restart(), IsOk());
  const std::size_t fetches_before = FetchOffsets().size();
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(FetchOffsets().size(), fetches_before);
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("t.wma")), whole);
}

TEST_F(FakePersistenceTest, ResumeTrustsTheBytesOnDiskNotTheRecord) {
  const JobId job = QueueDownload(alice(), "t.wma", 1'000'000);
  service().AdvanceBy(seconds(4));
  ASSERT_EQ(BytesTransferred(alice(), job), 400'000u);
  ASSERT_THAT(alice().Suspend(job), IsOk());
  // Something outside BITS cut the temporary file short.
  std::filesystem::resize_file(dir_ / "BIT0001.tmp", 123'000);
  ASSERT_THAT(service().Restart(), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(FetchOffsets().back() % 100'000, 23'000u);
  EXPECT_NE(std::find(FetchOffsets().begin(), FetchOffsets().end(), 123'000u), FetchOffsets().end());
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(ReadFile(Local("t.wma")), GeneratedBytes(SeedOf("t.wma"), 0, 1'000'000));
}

TEST_F(FakePersistenceTest, FinishedJobsDoNotComeBack) {
  const JobId job = QueueDownload(alice(), "f.wma", 1000);
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().Complete(job), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_THAT(alice().GetState(job), StatusIs(hr::kNotFound));
}

TEST_F(FakePersistenceTest, ACorruptSnapshotIsReportedWithItsPath) {
  { std::ofstream(options_.snapshot_path) << "{ not json"; }
  EXPECT_THAT(service().startup_status(), StatusIs(hr::kFileCorrupt));
  EXPECT_THAT(service().startup_status().message(), ::testing::HasSubstr("bits-queue.json"));
}

}  // namespace
}  // namespace bitsh::fake::testing
