// The queue on disk is a snapshot plus an append-only journal of changes (fake/journal_file.h): a
// change costs one appended record, a crash at any byte of an append leaves a queue that loads
// with every change acknowledged before it, and damage that is not a torn tail is refused by name.
#include <map>

#include "fake/journal_file.h"
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::HasSubstr;
using bitsh::testing::HasValue;

class JournalTest : public FakeServiceTest {
 protected:
  void SetUp() override {
    FakeServiceTest::SetUp();
    options_.snapshot_path = dir_ / "queue" / "queue.json";
    options_.flush_snapshot = false;  // these tests are about what is read back, not power cuts
    options_.bandwidth_bytes_per_s = 100'000;
    options_.chunk_bytes = 100'000;
  }

  std::filesystem::path journal() const { return options_.snapshot_path.string() + ".journal"; }
  std::uint64_t JournalSize() const {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(journal(), error);
    return error ? 0 : size;
  }
  void Write(const std::filesystem::path& path, const std::string& text) const {
    std::filesystem::remove(path);
    std::ofstream(path, std::ios::binary) << text;
  }
  // The harness dies: no orderly save; the files on disk are all that is left.
  void Crash() {
    alice_.reset();
    service_.reset();
  }
};

TEST_F(JournalTest, TheFirstChangeWritesTheSnapshotAndLaterOnesAppendOneRecordEach) {
  const JobId job = *alice().CreateJob("a", JobType::kDownload);
  EXPECT_TRUE(std::filesystem::exists(options_.snapshot_path));
  EXPECT_EQ(JournalSize(), 0u);
  const std::string snapshot = ReadFile(options_.snapshot_path.string());
  ASSERT_THAT(alice().SetDescription(job, "one"), IsOk());
  ASSERT_THAT(alice().SetDescription(job, "two"), IsOk());
  EXPECT_EQ(ReadFile(options_.snapshot_path.string()), snapshot);  // not rewritten
  Result<JournalContents> read = ReadJournal(journal());
  ASSERT_THAT(read, IsOk());
  ASSERT_EQ(read->records.size(), 2u);
  EXPECT_THAT(read->records[1].payload, HasSubstr("\"description\":\"two\""));
  EXPECT_EQ(read->why_stopped, "");
  Crash();
  EXPECT_THAT(alice().GetDescription(job), HasValue("two"));  // replayed on the snapshot
  EXPECT_EQ(JournalSize(), 0u);  // and folded into it on loading
}

TEST_F(JournalTest, TheEnginesChangesAreWrittenWhenTheRunReturns) {
  const JobId job = QueueDownload(alice(), "e.wma", 1000);
  const std::uint64_t before = JournalSize();
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_GT(JournalSize(), before);  // one record for the whole run
  Crash();
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(JournalTest, ARestartFoldsTheJournalIntoTheSnapshot) {
  const JobId job = *alice().CreateJob("a", JobType::kDownload);
  ASSERT_THAT(alice().SetDescription(job, "kept"), IsOk());
  ASSERT_GT(JournalSize(), 0u);
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_FALSE(std::filesystem::exists(journal()));
  EXPECT_THAT(ReadFile(options_.snapshot_path.string()), HasSubstr("\"kept\""));
}

TEST_F(JournalTest, RecordsTheSnapshotAlreadyHoldsAreNotAppliedAgain) {
  // A crash after a compaction wrote the snapshot and before it removed the journal: the old
  // records must not undo what came after them.
  const JobId job = *alice().CreateJob("a", JobType::kDownload);
  ASSERT_THAT(alice().SetDescription(job, "old"), IsOk());
  const std::string old_journal = ReadFile(journal().string());
  ASSERT_THAT(service().Restart(), IsOk());
  ASSERT_THAT(alice().SetDescription(job, "new"), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  Crash();
  Write(journal(), old_journal);
  EXPECT_THAT(alice().GetDescription(job), HasValue("new"));
}

TEST_F(JournalTest, AJournalWithoutItsSnapshotIsRemovedAtStart) {
  std::filesystem::create_directories(options_.snapshot_path.parent_path());
  Write(journal(), JournalLine(R"({"seq":1})"));
  EXPECT_THAT(service().startup_status(), IsOk());
  EXPECT_FALSE(std::filesystem::exists(journal()));
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::IsEmpty()));
}

TEST_F(JournalTest, ASnapshotDeletedWhileTheServiceIsDownStartsAnEmptyQueue) {
  ASSERT_THAT(alice().CreateJob("a", JobType::kDownload), IsOk());
  ASSERT_THAT(alice().CreateJob("b", JobType::kDownload), IsOk());
  ASSERT_GT(JournalSize(), 0u);
  const Status restarted = service().Restart([&] { std::filesystem::remove(options_.snapshot_path); });
  EXPECT_THAT(restarted, IsOk());
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), HasValue(::testing::IsEmpty()));
  EXPECT_FALSE(std::filesystem::exists(journal()));
}

TEST_F(JournalTest, AResumeThatChangesNoStateIsWrittenToo) {
  // Resume resets the maximum download time's count even on a running job: that must survive.
  const JobId job = QueueDownload(alice(), "r.wma", 1'000'000);
  service().AdvanceBy(std::chrono::milliseconds(1500));
  ASSERT_THAT(alice().GetState(job), HasState(JobState::kTransferring));
  const std::uint64_t before = JournalSize();
  ASSERT_THAT(alice().Resume(job), IsOk());
  EXPECT_GT(JournalSize(), before);
}

TEST_F(JournalTest, AWholeRecordThatIsNotAChangeIsRefusedNamingTheJournalAndTheByte) {
  const JobId job = *alice().CreateJob("a", JobType::kDownload);
  ASSERT_THAT(alice().SetDescription(job, "one"), IsOk());
  const std::uint64_t first = JournalSize();
  Crash();
  std::ofstream(journal(), std::ios::binary | std::ios::app) << JournalLine(R"({"seq":2,"now":"soon"})");
  EXPECT_THAT(service().startup_status(),
              StatusIs(hr::kFileCorrupt, HasSubstr(journal().string() + ": record at byte " + std::to_string(first))));
  EXPECT_EQ(JournalSize(), first + JournalLine(R"({"seq":2,"now":"soon"})").size());  // left as it was
}

TEST_F(JournalTest, ARecordOutOfOrderEndsTheReplayLikeATornTail) {
  const JobId job = *alice().CreateJob("a", JobType::kDownload);
  ASSERT_THAT(alice().SetDescription(job, "one"), IsOk());
  const std::string one = ReadFile(journal().string());
  ASSERT_THAT(alice().SetDescription(job, "two"), IsOk());
  ASSERT_THAT(alice().SetDescription(job, "three"), IsOk());
  const std::string all = ReadFile(journal().string());
  const std::string third = all.substr(all.find('\n', one.size()) + 1);
  Crash();
  Write(journal(), one + third);  // record 2 is missing
  EXPECT_THAT(alice().GetDescription(job), HasValue("one"));
  EXPECT_THAT(service().log().ToText(), HasSubstr("is number 3, not 2"));
}

// Every change a program was told succeeded is on disk before the call returned; an append a crash
// cut short is a change nobody was told about. So whatever byte of the journal a crash stops at,
// the queue loads, holding exactly the changes of the records that were whole.
TEST_F(JournalTest, ACrashAtAnyByteOfTheJournalLeavesAQueueThatLoadsWithEveryAcknowledgedChange) {
  struct Acknowledged {
    std::uint64_t journal_size;
    std::map<JobId, JobState> states;  // the live jobs, as the program last saw them
  };
  std::vector<Acknowledged> acknowledged;
  std::vector<JobId> jobs;
  const auto note = [&] {
    Acknowledged now{JournalSize(), {}};
    for (const JobId& job : jobs) {
      Result<JobState> state = alice().GetState(job);
      if (!state.ok() || IsFinal(*state)) continue;
      // A transfer under way when the service stopped is queued again when it starts.
      now.states[job] = *state == JobState::kConnecting || *state == JobState::kTransferring ? JobState::kQueued : *state;
    }
    acknowledged.push_back(now);
  };
  jobs.push_back(*alice().CreateJob("a", JobType::kDownload));  // writes the snapshot
  note();
  const std::string snapshot_text = ReadFile(options_.snapshot_path.string());
  transport_.AddFile(Url("a.wma"), 400'000, 1);
  ASSERT_THAT(alice().AddFile(jobs[0], Url("a.wma"), Local("a.wma")), IsOk());
  note();
  ASSERT_THAT(alice().Resume(jobs[0]), IsOk());
  note();
  service().AdvanceBy(std::chrono::milliseconds(1500));  // TRANSFERRING, 100,000 bytes in
  note();
  jobs.push_back(*alice().CreateJob("b", JobType::kDownload));
  note();
  ASSERT_THAT(alice().Suspend(jobs[0]), IsOk());
  note();
  ASSERT_THAT(alice().Cancel(jobs[1]), IsOk());
  note();
  ASSERT_EQ(acknowledged.front().journal_size, 0u);
  ASSERT_GT(acknowledged[1].journal_size, 0u);
  const std::string journal_text = ReadFile(journal().string());
  ASSERT_EQ(journal_text.size(), acknowledged.back().journal_size);
  Crash();

  std::size_t torn = 0;
  for (std::size_t cut = 0; cut <= journal_text.size(); ++cut) {
    Write(options_.snapshot_path, snapshot_text);
    Write(journal(), journal_text.substr(0, cut));
    FakeBitsService restarted(options_, transport_);
    ASSERT_THAT(restarted.startup_status(), IsOk()) << "cut at byte " << cut;
    std::map<JobId, JobState> expected;  // the last acknowledged change the cut left whole
    for (const Acknowledged& change : acknowledged) {
      if (change.journal_size <= cut) expected = change.states;
    }
    std::unique_ptr<Backend> program = restarted.Connect("alice");
    for (const JobId& job : jobs) {
      Result<JobState> state = program->GetState(job);
      if (expected.contains(job)) {
        EXPECT_THAT(state, HasState(expected.at(job))) << "job " << job.ToString() << ", cut at byte " << cut;
      } else {
        EXPECT_FALSE(state.ok()) << "job " << job.ToString() << " is back, cut at byte " << cut;
      }
    }
    if (restarted.log().ToText().find("bytes were not taken") != std::string::npos) ++torn;
  }
  // Every cut that is not on a record boundary tore a record, and was said to.
  std::size_t boundaries = 0;
  for (char c : journal_text) boundaries += c == '\n';
  EXPECT_EQ(torn, journal_text.size() - boundaries);
}

}  // namespace
}  // namespace bitsh::fake::testing
