#include "fake/journal_file.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "content/hashing.h"
#include "fake/errno_code.h"
#include "fake/snapshot_file.h"

namespace bitsh::fake {
namespace {

constexpr std::size_t kDigestChars = 16;

std::string Digest(std::string_view payload) {
  char text[kDigestChars + 1];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(content::Fnv1a(payload)));
  return std::string(text, kDigestChars);
}

}  // namespace

std::filesystem::path JournalPathOf(const std::filesystem::path& snapshot_path) {
  return snapshot_path.string() + ".journal";
}

std::string JournalLine(std::string_view payload) {
  std::string line;
  line.reserve(payload.size() + kDigestChars + 2);
  line.append(payload);
  line += ' ';
  line += Digest(payload);
  line += '\n';
  return line;
}

#ifndef _WIN32

Status AppendToJournal(const std::filesystem::path& path, std::string_view line, bool flush) {
  // O_NOFOLLOW: a symlink planted at the journal's name must not redirect the write elsewhere.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return FileStepFailed("journal", path, "cannot open", errno);
  struct stat before {};
  if (::fstat(fd, &before) != 0) {
    const int error = errno;
    ::close(fd);
    return FileStepFailed("journal", path, "cannot read its size", error);
  }
  // A failed append takes back what it wrote, when it can: a whole record left behind would be
  // replayed, a change the caller was told did not happen.
  const auto fail = [&](const std::string& step, int error) {
    if (::ftruncate(fd, before.st_size) == 0 && flush) ::fsync(fd);
    ::close(fd);
    return FileStepFailed("journal", path, step, error);
  };
  if (const int error = WriteAll(fd, line); error != 0) return fail("cannot append", error);
  if (flush && ::fsync(fd) != 0) return fail("cannot flush", errno);
  // Past the close, taking the record back goes by name; should that fail too, the caller's next
  // write is the whole snapshot, which removes the journal.
  const auto take_back = [&] {
    if (::truncate(path.c_str(), before.st_size) != 0) return;
  };
  if (::close(fd) != 0) {
    const int error = errno;
    take_back();
    return FileStepFailed("journal", path, "cannot close", error);
  }
  if (flush && before.st_size == 0) {
    // The first record after a snapshot may have created the file: a power cut must not lose the
    // folder's entry for it, so the folder is flushed too (as ReplaceFileDurably does).
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder_fd < 0) {
      const int error = errno;
      take_back();
      return FileStepFailed("journal", path, "cannot open the folder to flush it", error);
    }
    const int synced = ::fsync(folder_fd);
    const int sync_error = errno;
    ::close(folder_fd);
    if (synced != 0) {
      take_back();
      return FileStepFailed("journal", path, "cannot flush the folder " + folder.string(), sync_error);
    }
  }
  return Status::Ok();
}

#else

// The fake is not built for Windows (fake/snapshot_file.cc says why); kept compilable.
Status AppendToJournal(const std::filesystem::path& path, std::string_view line, bool /*flush*/) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  if (!out.flush()) return Status(hr::kFail, "journal " + path.string() + ": cannot append");
  return Status::Ok();
}

#endif

Status RemoveJournal(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::remove(path, error);
  // No folder, or a file where the folder should be: there is no journal to remove.
  if (error && error != std::errc::not_a_directory && error != std::errc::no_such_file_or_directory) {
    return FileStepFailed("journal", path, "cannot remove", error.value());
  }
  return Status::Ok();
}

Result<JournalContents> ReadJournal(const std::filesystem::path& path) {
  JournalContents contents;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) return FileStepFailed("journal", path, "cannot look for it", error.value());
    return contents;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(hr::kAccessDenied, "journal " + path.string() + ": cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status(hr::kFail, "journal " + path.string() + ": cannot read");
  contents.file_bytes = text.size();
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) {
      contents.why_stopped = "the record at byte " + std::to_string(at) + " has no line end (cut short)";
      break;
    }
    const std::string_view line(text.data() + at, end - at);
    const std::size_t space = line.rfind(' ');
    if (space == std::string_view::npos || line.size() - space - 1 != kDigestChars ||
        Digest(line.substr(0, space)) != line.substr(space + 1)) {
      contents.why_stopped = "the record at byte " + std::to_string(at) + " does not match its digest";
      break;
    }
    contents.records.push_back({at, std::string(line.substr(0, space))});
    at = end + 1;
    contents.kept_bytes = at;
  }
  return contents;
}

}  // namespace bitsh::fake
