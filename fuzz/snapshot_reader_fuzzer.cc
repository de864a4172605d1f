// Fuzz target: the fake's queue snapshot reader (fake/snapshot_reader.h) on arbitrary file
// contents. A snapshot outlives the process that wrote it (a crash, a hand edit, a damaged disk),
// so beyond "no crash, no exception" it holds the reader to what its header promises for a
// snapshot it accepts: live jobs with unique ids and known owners, progress within known sizes,
// and every temporary name a BITxxxx.tmp beside its file's local name, so the service can never be
// told to write outside the queue's files. A refused snapshot is a Status naming the file.
//
// Inputs say @QUEUE@ where a path to the queue's folder goes; the target puts its own folder
// there, so the corpus works on every machine.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "backend/testing/scratch_folder.h"
#include "fake/snapshot_reader.h"
#include "fuzz/fuzz_check.h"

namespace {

namespace fs = std::filesystem;

class Fixture {
 public:
  Fixture() : snapshot_(scratch_.path() / "queue" / "queue.json") { fs::create_directories(queue()); }
  const fs::path& snapshot() const { return snapshot_; }
  fs::path queue() const { return snapshot_.parent_path(); }

 private:
  bitsh::testing::ScratchFolder scratch_{"bitsh-fuzz-snapshot"};
  fs::path snapshot_;
};

std::string WithQueueFolder(std::string text, const std::string& folder) {
  constexpr std::string_view kPlaceholder = "@QUEUE@";
  for (std::size_t at = text.find(kPlaceholder); at != std::string::npos; at = text.find(kPlaceholder, at + folder.size())) {
    text.replace(at, kPlaceholder.size(), folder);
  }
  return text;
}

void CheckAccepted(const bitsh::fake::SnapshotContents& contents) {
  std::set<std::string> ids;
  for (const auto& job : contents.jobs) {
    FUZZ_CHECK(ids.insert(job->id.ToString()).second);
    FUZZ_CHECK(!bitsh::IsFinal(job->state));
    FUZZ_CHECK(contents.users.contains(job->owner));
    for (const bitsh::fake::FakeFile& file : job->files) {
      if (file.bytes_total == bitsh::kSizeUnknown) {
        FUZZ_CHECK(file.bytes_transferred == 0);
      } else {
        FUZZ_CHECK(file.bytes_transferred <= file.bytes_total);
      }
      const fs::path temp(file.temp_name), local(file.local_name);
      FUZZ_CHECK(temp.parent_path() == local.parent_path());
      FUZZ_CHECK(temp.filename().string().starts_with("BIT") && temp.extension() == ".tmp");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  const std::string text = WithQueueFolder(std::string(reinterpret_cast<const char*>(data), size), fixture.queue().string());
  std::ofstream(fixture.snapshot(), std::ios::binary | std::ios::trunc) << text;

  const bitsh::Result<bitsh::fake::SnapshotContents> read = bitsh::fake::ReadSnapshot(fixture.snapshot());
  if (read.ok()) {
    CheckAccepted(read.value());
  } else {
    FUZZ_CHECK(read.status().message().starts_with(fixture.snapshot().string()));
  }
  return 0;
}
