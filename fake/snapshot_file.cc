// ReplaceFileDurably: write to a temporary name, fsync it, rename it over the target, fsync the
// folder. Without the two fsyncs a power cut after the rename can leave an empty or partial file
// under the final name (the rename reaches the disk before the data on many file systems).
#include "fake/snapshot_file.h"

#include <cerrno>
#include <string>
#include <system_error>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#else
#include <fstream>
#endif

#include "fake/errno_code.h"

namespace bitsh::fake {

#ifndef _WIN32

int WriteAll(int fd, std::string_view text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ::ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

Status ReplaceFileDurably(const std::filesystem::path& path, std::string_view text, bool flush) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code created;
  std::filesystem::create_directories(folder, created);
  if (created) return FileStepFailed("snapshot", path, "cannot create the folder " + folder.string(), created.value());

  const std::filesystem::path temporary = path.string() + ".tmp";
  // O_NOFOLLOW: a symlink planted at the temporary name must not redirect the write elsewhere.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return FileStepFailed("snapshot", path, "cannot create " + temporary.string(), errno);
  if (const int error = WriteAll(fd, text); error != 0) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return FileStepFailed("snapshot", path, "cannot write " + temporary.string(), error);
  }
  if (flush && ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    return FileStepFailed("snapshot", path, "cannot flush " + temporary.string(), error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return FileStepFailed("snapshot", path, "cannot close " + temporary.string(), error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return FileStepFailed("snapshot", path, "cannot rename " + temporary.string() + " over it", error);
  }
  if (!flush) return Status::Ok();
  // The rename is an entry in the folder: flush the folder, or a power cut may undo it.
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd < 0) return FileStepFailed("snapshot", path, "cannot open the folder to flush it", errno);
  const int synced = ::fsync(folder_fd);
  const int sync_error = errno;
  ::close(folder_fd);
  if (synced != 0) return FileStepFailed("snapshot", path, "cannot flush the folder " + folder.string(), sync_error);
  return Status::Ok();
}

#else

// The fake is not built for Windows today (CMakeLists.txt builds only the backend, the real
// backend, the server, the conformance suite and the command line there), so this branch keeps
// the write-then-rename order but skips the flushes: it is crash-safe against a process crash,
// not a power cut. Should the fake ever run on Windows, flush with FlushFileBuffers and rename
// with MoveFileExW(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH).
Status ReplaceFileDurably(const std::filesystem::path& path, std::string_view text, bool /*flush*/) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return FileStepFailed("snapshot", path, "cannot create its folder", error.value());
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) return FileStepFailed("snapshot", path, "cannot write " + temporary.string(), EIO);
  }
  std::filesystem::rename(temporary, path, error);
  if (error) return FileStepFailed("snapshot", path, "cannot rename " + temporary.string() + " over it", error.value());
  return Status::Ok();
}

#endif

}  // namespace bitsh::fake
