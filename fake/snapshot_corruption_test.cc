// A snapshot cut short or damaged at any byte loads whole or is refused with its name: never a
// crash, never a half-loaded queue, never a file written outside the queue's folder.
#include <set>

#include "fake/testing/snapshot_fixture.h"

namespace bitsh::fake::testing {
namespace {

class SnapshotCorruptionTest : public SnapshotTest {
 protected:
  // Every file under the scratch folder (the queue folder's parent) with its size, except the
  // temporary files in the queue folder, which transfers may create and grow.
  std::set<std::string> Tree() const {
    std::set<std::string> tree;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().parent_path() == queue_ && name.starts_with("BIT") && name.ends_with(".tmp")) continue;
      std::string line = entry.path().string();
      if (entry.is_regular_file() && !entry.is_symlink()) line += " " + std::to_string(entry.file_size());
      tree.insert(line);
    }
    return tree;
  }

  // Loads `text`; returns "" when the outcome is one of the two allowed, else what went wrong.
  std::string CheckVariant(const std::string& text) {
    loaded_ = false;
    alice_.reset();
    service_.reset();
    WriteSnapshot(text);
    FakeBitsService service(options_, transport_);
    const Status& started = service.startup_status();
    if (!started.ok()) {
      if (started.code() != hr::kFileCorrupt || started.message().find(options_.snapshot_path.string()) != 0) {
        return "refused without naming the file: " + started.ToString();
      }
      return "";
    }
    loaded_ = true;
    // Loaded: every job must read as a valid BITS job through the API a program uses.
    service.AddUser("auditor", /*is_admin=*/true);
    std::unique_ptr<Backend> auditor = service.Connect("auditor");
    Result<std::vector<JobId>> jobs = auditor->EnumJobs(EnumScope::kAllUsers);
    if (!jobs.ok()) return "loaded, but EnumJobs failed: " + jobs.status().ToString();
    for (const JobId& job : *jobs) {
      const std::string name = "job " + job.ToString() + ": ";
      Result<JobState> state = auditor->GetState(job);
      if (!state.ok() || static_cast<std::uint32_t>(*state) > 8 || IsFinal(*state)) return name + "state";
      Result<JobPriority> priority = auditor->GetPriority(job);
      if (!priority.ok() || static_cast<std::uint32_t>(*priority) > 3) return name + "priority";
      Result<std::vector<FileStatus>> files = auditor->GetFiles(job);
      if (!files.ok()) return name + "files";
      for (const FileStatus& file : *files) {
        const FileProgress& p = file.progress;
        if (p.bytes_total == kSizeUnknown ? p.bytes_transferred != 0 : p.bytes_transferred > p.bytes_total) {
          return name + "bytes " + std::to_string(p.bytes_transferred) + " of " + std::to_string(p.bytes_total);
        }
      }
      Result<JobError> error = auditor->GetError(job);
      if (error.ok() && error->file_index && *error->file_index >= files->size()) return name + "error file index";
    }
    // Let the queued job transfer a piece: whatever the snapshot said, its bytes land in the
    // queue folder (checked by the caller through Tree()).
    service.AdvanceBy(std::chrono::milliseconds(30));
    return "";
  }

  // A fresh file each time: truncating and rewriting one in place makes ext4 flush it on close
  // (its replace-by-truncate heuristic), which made this test 5 times slower on a busy disk. Each
  // variant is the snapshot alone: the journal a loaded variant wrote as it ran goes too.
  void WriteSnapshot(const std::string& text) const {
    std::filesystem::remove(options_.snapshot_path.string() + ".journal");
    std::filesystem::remove(options_.snapshot_path);
    std::ofstream(options_.snapshot_path, std::ios::binary) << text;
  }

  // Saves the queue, checks that it loads and that its queued job transfers, and notes the tree.
  void Prepare() {
    SaveAQueue();
    options_.chunk_bytes = 1000;  // each load transfers a little, not 100 kB
    ASSERT_EQ(CheckVariant(saved_), "");
    ASSERT_TRUE(loaded_);
    ASSERT_GT(std::filesystem::file_size(queue_ / "BIT0006.tmp"), 0u);  // the queued job did transfer
    WriteSnapshot(saved_);
    before_ = Tree();
  }

  void Check(const std::string& text, const std::string& how) {
    const std::string problem = CheckVariant(text);
    if (!problem.empty() && problems_.size() < 10) problems_.push_back(how + ": " + problem);
    ++(loaded_ ? loaded_count_ : refused_count_);
  }

  // No variant misbehaved, and nothing was written outside the queue folder (inside it, only
  // temporary files changed).
  void ExpectAllWell() {
    EXPECT_THAT(problems_, ::testing::IsEmpty());
    WriteSnapshot(saved_);
    EXPECT_EQ(Tree(), before_);
    RecordProperty("loaded", loaded_count_);
    RecordProperty("refused", refused_count_);
  }

  bool loaded_ = false;  // the last variant loaded (rather than being refused)
  std::set<std::string> before_;
  std::vector<std::string> problems_;
  int loaded_count_ = 0;
  int refused_count_ = 0;
};

TEST_F(SnapshotCorruptionTest, ASnapshotCutShortAtAnyByteIsRefusedWithItsName) {
  Prepare();
  for (std::size_t cut = 0; cut < saved_.size(); ++cut) Check(saved_.substr(0, cut), "cut at " + std::to_string(cut));
  ExpectAllWell();
  EXPECT_EQ(loaded_count_, 1);  // only the cut of the final newline leaves a whole document
}

TEST_F(SnapshotCorruptionTest, ASnapshotDamagedAtAnyByteLoadsWholeOrIsRefusedWithItsName) {
  Prepare();
  for (std::size_t at = 0; at < saved_.size(); ++at) {
    for (const char byte : {'"', '9', '-', '{', '\xFF'}) {
      if (saved_[at] == byte) continue;
      std::string damaged = saved_;
      damaged[at] = byte;
      Check(damaged, "byte " + std::to_string(at) + " set to " + std::to_string(static_cast<unsigned char>(byte)));
    }
  }
  ExpectAllWell();
  // Both outcomes happened: a damaged digit often still makes a valid queue.
  EXPECT_GT(loaded_count_, 100);
  EXPECT_GT(refused_count_, 10'000);
}

}  // namespace
}  // namespace bitsh::fake::testing
