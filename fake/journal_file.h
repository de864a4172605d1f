// The queue's journal: an append-only file of records beside the snapshot, as LevelDB's log sits
// beside its tables. Each change to the queue is one record appended to the journal instead of a
// rewrite of the whole snapshot; from time to time the snapshot is rewritten whole and the journal
// starts again (compaction, fake/snapshot.cc). Internal to fake/.
//
// A record is one line: the payload (compact JSON, which never holds a raw line break), a space,
// the payload's FNV-1a as 16 lowercase hex digits, and "\n". A crash in the middle of an append
// leaves a last line that is cut short or whose digest does not match: the reader stops there and
// reports the bytes it did not take, so a torn tail costs the one change that was being written
// and never the queue.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "backend/status.h"

namespace bitsh::fake {

// The journal of the snapshot at `snapshot_path`: "<snapshot_path>.journal".
std::filesystem::path JournalPathOf(const std::filesystem::path& snapshot_path);

// `payload` framed as one record line. REQUIRES: payload holds no '\n'.
std::string JournalLine(std::string_view payload);

// Appends `line` to the journal at `path` (created if missing) and, with `flush`, flushes it to
// disk before returning. On failure nothing of the line may be trusted to be absent: the caller
// must not append after it (it rewrites the snapshot instead). Never throws.
Status AppendToJournal(const std::filesystem::path& path, std::string_view line, bool flush);

// Removes the journal at `path`; a missing one is fine. Never throws.
Status RemoveJournal(const std::filesystem::path& path);

struct JournalContents {
  struct Record {
    std::uint64_t offset = 0;  // of the record's first byte in the file
    std::string payload;
  };
  std::vector<Record> records;   // the whole records, in file order
  std::uint64_t kept_bytes = 0;  // the bytes those records take: a prefix of the file
  std::uint64_t file_bytes = 0;
  std::string why_stopped;       // "" when every byte was taken; else why the rest was not
};

// Reads the journal at `path` (a missing file is an empty journal), up to its first record that is
// not whole: no line end, no digest, or a digest that does not match. Never throws; a file that
// cannot be read is a Status naming it.
Result<JournalContents> ReadJournal(const std::filesystem::path& path);

}  // namespace bitsh::fake
