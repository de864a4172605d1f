// A snapshot cut short or damaged at any byte loads whole or is refused with its name: never a
// crash, never a half-loaded queue, never a file written outside the queue's folder.
#include <set>

#include "fake/testing/snapshot_fixture.h"

namespace bitsh::fake::testing {
namespace {

class SnapshotCorruptionTest : public SnapshotTest {
 protected:
  // Every path under the scratch folder (the queue folder's parent), with its size for files.
  std::set<std::string> Tree() const {
    std::set<std::string> tree;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
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
    { std::ofstream(options_.snapshot_path, std::ios::binary | std::ios::trunc) << text; }
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
    return "";
  }

  bool loaded_ = false;  // the last variant loaded (rather than being refused)
};

TEST_F(SnapshotCorruptionTest, ASnapshotCutOrDamagedAtAnyByteLoadsWholeOrIsRefusedWithItsName) {
  SaveAQueue();
  ASSERT_EQ(CheckVariant(saved_), "");
  ASSERT_THAT(service().startup_status(), IsOk());
  service_.reset();
  const std::set<std::string> before = Tree();
  std::vector<std::string> problems;
  int loaded = 0;
  int refused = 0;
  const auto check = [&](const std::string& text, const std::string& how) {
    const std::string problem = CheckVariant(text);
    if (!problem.empty() && problems.size() < 10) problems.push_back(how + ": " + problem);
    ++(loaded_ ? loaded : refused);
  };
  for (std::size_t cut = 0; cut < saved_.size(); ++cut) check(saved_.substr(0, cut), "cut at " + std::to_string(cut));
  for (std::size_t at = 0; at < saved_.size(); ++at) {
    for (const char byte : {'"', '9', '-', '{', '\xFF'}) {
      if (saved_[at] == byte) continue;
      std::string damaged = saved_;
      damaged[at] = byte;
      check(damaged, "byte " + std::to_string(at) + " set to " + std::to_string(static_cast<unsigned char>(byte)));
    }
  }
  EXPECT_THAT(problems, ::testing::IsEmpty());
  // Loading wrote nothing anywhere: not beside the queue, not in it (the snapshot itself aside).
  { std::ofstream(options_.snapshot_path, std::ios::binary | std::ios::trunc) << saved_; }
  EXPECT_EQ(Tree(), before);
  RecordProperty("loaded", loaded);
  RecordProperty("refused", refused);
  // Both outcomes happened: a damaged digit often still makes a valid queue, a cut never does.
  EXPECT_GT(loaded, 100);
  EXPECT_GT(refused, 10'000);
}

}  // namespace
}  // namespace bitsh::fake::testing
