// Reading the fake's on-disk snapshot (written by fake/snapshot.cc). The file is input like any
// other: it may be cut short by a crash, edited by hand or damaged on disk, so every field is
// checked for its type and range before the service uses it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/status.h"
#include "fake/fake_job.h"

namespace bitsh::fake {

inline constexpr int kSnapshotVersion = 1;

struct SnapshotUser {
  bool is_admin = false;
  bool logged_on = true;
};

// Everything a snapshot holds, checked: the service adopts it whole or not at all.
struct SnapshotContents {
  TimePoint now;
  Duration wall_clock_offset = Duration::zero();  // the machine's wall clock minus elapsed time
  std::uint64_t jobs_created = 0;
  std::uint64_t temp_files_named = 0;
  std::uint64_t next_turn = 1;
  std::map<std::string, SnapshotUser> users;
  std::vector<std::unique_ptr<FakeJob>> jobs;
  // The journal (fake/journal_file.h): the number of its last record folded in, by the snapshot
  // or by the replay; the records replayed on top of the snapshot; and the bytes of a torn or
  // damaged tail that were not taken, with why ("" when none).
  std::uint64_t journal_seq = 0;
  std::size_t journal_records_replayed = 0;
  std::uint64_t journal_bytes_dropped = 0;
  std::string journal_stop;
};

// Parses the snapshot at `path`, replays its journal (JournalPathOf(path)) on top, and validates
// the result. Never throws. The journal's records are numbered on from the snapshot's
// "journal_seq": records the snapshot already holds are skipped, and the replay stops at the first
// record that is not whole (a crash mid-append) or not the next number, dropping it and everything
// after it; what was dropped is in the contents, not an error. A whole record that is not a valid
// change (not JSON, a field of the wrong kind) is damage, not a crash: ERROR_FILE_CORRUPT naming the
// journal and the record's byte offset. A failure is a Status, code
// ERROR_FILE_CORRUPT (or the open error), whose message names the file, the job (index and id)
// and the field: `/q/queue.json: job 3 {…}: field "priority": 7 is not a BITS priority (0-3)`.
// The rules: every field present (but custom_headers, security_flags, credentials and proxy,
// absent from older snapshots), of its type, and no unknown field; custom headers, when set,
// within SetCustomHeaders' length and grammar, security flags a value SetSecurityFlags takes,
// credentials what SetCredentials takes, proxy settings what SetProxySettings takes; states, types, priorities
// and error contexts are their BITS values; a snapshot holds live jobs only; bytes transferred
// stay within a known total (none while it is unknown, BG_SIZE_UNKNOWN); counts are non-negative
// integers; ids are GUIDs, unique; times lie between the epoch and the year 2200, creation,
// modification and completion not after the snapshot's "now", the latter two not before creation;
// an error's code is a failure and its file index names one of the job's files; each temporary
// name is a BITxxxx.tmp beside its file's local name (where AddFile puts it), already handed out
// by the temp_files_named counter, shared with no other file and, if present on disk, a regular
// file rather than a symlink; owners are users of the snapshot.
Result<SnapshotContents> ReadSnapshot(const std::filesystem::path& path);

}  // namespace bitsh::fake
