#include "fake/local_disk.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "fake/errno_code.h"

namespace bitsh::fake {
namespace {

// The Windows code nearest to a failure of the real file system under the work folder: a full
// disk, or what CodeOfErrno says, a refusal by default.
HResult CodeOf(int error) {
  return error == ENOSPC || error == EDQUOT ? hr::kDiskFull : CodeOfErrno(error, hr::kAccessDenied);
}

TransferError LocalFileError(HResult code, std::string detail, bool injected) {
  return TransferError{code, ErrorContext::kLocalFile, std::move(detail), injected};
}

}  // namespace

std::uint64_t LocalDisk::Room(const std::string& path, std::uint64_t offset, std::uint64_t wanted) const {
  if (!free_space_) return wanted;
  const auto largest = largest_.find(path);
  const std::uint64_t paid_up_to = largest == largest_.end() ? 0 : largest->second;
  const std::uint64_t limit = paid_up_to + *free_space_;  // the file may reach this size
  return offset >= limit ? 0 : std::min(wanted, limit - offset);
}

void LocalDisk::Wrote(const std::string& path, std::uint64_t end) {
  std::uint64_t& largest = largest_[path];
  if (end <= largest) return;
  if (free_space_) *free_space_ -= std::min(*free_space_, end - largest);
  largest = end;
}

Status LocalDisk::Rename(const std::string& from, const std::string& to) const {
  if (from == to) return Status::Ok();  // a HIGH_PERFORMANCE file is written in place
  for (const std::string& name : {to, from}) {
    if (IsLocked(name)) {
      return Status(hr::kAccessDenied, "cannot rename " + from + " to " + to + ": " + name +
                                           " is held open by another program (lock_file)");
    }
  }
  std::error_code error;
  std::filesystem::rename(from, to, error);
  if (!error) return Status::Ok();
  return Status(CodeOf(error.value()), "cannot rename " + from + " to " + to + ": " + error.message());
}

LocalFileSink::~LocalFileSink() {
  if (file_ != nullptr) std::fclose(file_);
}

SinkWrite LocalFileSink::Write(std::string_view bytes) {
  SinkWrite result;
  if (file_ == nullptr) {
    std::error_code ignored;
    if (disk_.denies_new_files() && !std::filesystem::exists(path_, ignored)) {
      result.error = LocalFileError(hr::kAccessDenied, "cannot create " + path_ + ": access denied (deny_new_files)", true);
      return result;
    }
    // Buffered, though every Write flushes: unbuffered (one write(2) per piece instead of two)
    // made 1 GiB downloads up to four times slower on the test machine (docs/performance.md, "Why
    // the file is written through stdio's buffer").
    file_ = std::fopen(path_.c_str(), "ab");
    if (file_ == nullptr) {
      const int error = errno;
      result.error = LocalFileError(CodeOf(error), "cannot open " + path_ + ": " + std::strerror(error), false);
      return result;
    }
    std::error_code unknown;
    const std::uintmax_t size = std::filesystem::file_size(path_, unknown);
    size_ = unknown ? 0 : static_cast<std::uint64_t>(size);
  }
  const std::uint64_t fits = disk_.Room(path_, size_, bytes.size());
  result.written = std::fwrite(bytes.data(), 1, static_cast<std::size_t>(fits), file_);
  const bool flushed = std::fflush(file_) == 0;
  size_ += result.written;
  disk_.Wrote(path_, size_);
  if (result.written < fits || !flushed) {
    const int error = errno;
    result.error = LocalFileError(CodeOf(error), "cannot write " + path_ + ": " + std::strerror(error), false);
    return result;
  }
  if (fits < bytes.size()) {
    // Named by the file's size, not by this call's, which depends on how the bytes were split.
    result.error = LocalFileError(hr::kDiskFull, "the disk is full: " + path_ + " holds " + std::to_string(size_) +
                                                     " bytes (disk_free)",
                                  true);
  }
  return result;
}

}  // namespace bitsh::fake
