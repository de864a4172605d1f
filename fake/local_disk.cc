#include "fake/local_disk.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace bitsh::fake {
namespace {

// The Windows code nearest to a failure of the real file system under the work folder.
HResult CodeOf(int error) {
  switch (error) {
    case ENOSPC:
    case EDQUOT:
      return hr::kDiskFull;
    case ENOENT:
    case ENOTDIR:
      return hr::kPathNotFound;
    default:
      return hr::kAccessDenied;
  }
}

TransferError LocalFileError(HResult code, std::string detail, bool injected) {
  return TransferError{code, ErrorContext::kLocalFile, std::move(detail), injected};
}

}  // namespace

std::uint64_t LocalDisk::Take(std::uint64_t wanted) {
  if (!free_space_) return wanted;
  const std::uint64_t taken = std::min(wanted, *free_space_);
  *free_space_ -= taken;
  return taken;
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
    file_ = std::fopen(path_.c_str(), "ab");
    if (file_ == nullptr) {
      const int error = errno;
      result.error = LocalFileError(CodeOf(error), "cannot open " + path_ + ": " + std::strerror(error), false);
      return result;
    }
  }
  const std::uint64_t fits = disk_.Take(bytes.size());
  result.written = std::fwrite(bytes.data(), 1, static_cast<std::size_t>(fits), file_);
  if (result.written < fits || std::fflush(file_) != 0) {
    const int error = errno;
    result.error = LocalFileError(CodeOf(error), "cannot write " + path_ + ": " + std::strerror(error), false);
    return result;
  }
  if (fits < bytes.size()) {
    result.error = LocalFileError(hr::kDiskFull, "the disk is full: " + path_ + " took " + std::to_string(fits) + " of " +
                                                     std::to_string(bytes.size()) + " bytes (disk_free)",
                                  true);
  }
  return result;
}

}  // namespace bitsh::fake
