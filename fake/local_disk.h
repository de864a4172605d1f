// LocalDisk: the simulated machine's disk, as BITS's temporary files and Complete's renames meet
// it. The fake writes real files in real folders; LocalDisk adds the failures a real disk has and
// a test cannot make on one without admin rights (root ignores permission bits, and no CI runner
// has a full volume at hand): a volume that fills up, a folder where new files are refused, a
// local file another program holds open. Each comes back as the Windows code BITS records, with
// context BG_ERROR_CONTEXT_LOCAL_FILE (docs/decisions.md, "Disk faults"), and the same faults at
// the same moments give the same bytes on disk on every run.
//
// The faults are the machine's, not the service's: they last across FakeBitsService::Restart.
// Single-threaded, like the service that owns it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "backend/status.h"
#include "fake/transport.h"

namespace bitsh::fake {

class LocalDisk {
 public:
  // From now on, files the service writes may grow by `bytes` in all; the write that would pass
  // that writes what fits and fails with HRESULT_FROM_WIN32(ERROR_DISK_FULL). nullopt: no limit
  // (the default). Growth is counted past the largest size each file has had, so bytes the
  // service cuts from a file and writes again (an interrupted step, a resume) cost nothing twice.
  // Deleting or cutting a file gives no space back: other programs fill the disk, so the space is
  // theirs until the next SetFreeSpace.
  void SetFreeSpace(std::optional<std::uint64_t> bytes) { free_space_ = bytes; }
  std::optional<std::uint64_t> free_space() const { return free_space_; }

  // While set, creating a file the service writes into (a BIT*.tmp file, or a HIGH_PERFORMANCE
  // job's local file) fails with E_ACCESSDENIED: the folder's ACL or a security product says no.
  // Files already created can still be written.
  void DenyNewFiles(bool deny) { deny_new_files_ = deny; }
  bool denies_new_files() const { return deny_new_files_; }

  // Another program holds `path` open without FILE_SHARE_DELETE (a player playing the file a new
  // download replaces): renaming onto it, or it onto another name, fails with E_ACCESSDENIED until
  // Unlock. Compared as written, so give the job's local name exactly.
  void Lock(const std::string& path) { locked_.insert(path); }
  void Unlock(const std::string& path) { locked_.erase(path); }
  bool IsLocked(const std::string& path) const { return locked_.count(path) != 0; }

  // Renames `from` to `to`, replacing `to`: a locked name is E_ACCESSDENIED; a failure of the real
  // file system is its nearest Windows code (no space: ERROR_DISK_FULL, no such folder:
  // ERROR_PATH_NOT_FOUND, anything else: E_ACCESSDENIED). The message names both paths.
  Status Rename(const std::string& from, const std::string& to) const;

  // How many of `wanted` bytes written at `offset` of `path` fit in the free space.
  std::uint64_t Room(const std::string& path, std::uint64_t offset, std::uint64_t wanted) const;
  // `path` now holds bytes up to `end`: growth past its largest size so far takes free space.
  void Wrote(const std::string& path, std::uint64_t end);

 private:
  std::optional<std::uint64_t> free_space_;
  std::map<std::string, std::uint64_t> largest_;  // each file's largest size yet
  bool deny_new_files_ = false;
  std::set<std::string> locked_;
};

// The ByteSink of a job's file: appends to `path` through `disk`, creating the file on the first
// byte. A failure is the job's error, context LOCAL_FILE; the bytes before it are on disk and
// counted (FetchResult::bytes), so a transfer stopped by a full disk resumes at the exact byte.
class LocalFileSink final : public ByteSink {
 public:
  LocalFileSink(LocalDisk& disk, std::string path) : disk_(disk), path_(std::move(path)) {}
  ~LocalFileSink() override;
  LocalFileSink(const LocalFileSink&) = delete;
  LocalFileSink& operator=(const LocalFileSink&) = delete;

  SinkWrite Write(std::string_view bytes) override;

 private:
  LocalDisk& disk_;
  const std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0;  // the file's size: where the next write goes
};

}  // namespace bitsh::fake
