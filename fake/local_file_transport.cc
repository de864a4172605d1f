#include "fake/local_file_transport.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <memory>
#include <vector>

namespace bitsh::fake {
namespace {

struct SourceStat {
  TransferError error;
  std::uint64_t size = 0;
  std::string version;  // "size|mtime in ns": what BITS compares (spec §3.5)
};

TransferError SourceError(HResult code, std::string detail) {
  return TransferError{code, ErrorContext::kRemoteFile, std::move(detail), false};
}

// The Windows code for a failed open or stat of `path`.
TransferError OpenError(const std::string& url, const std::filesystem::path& path, int error_number) {
  const std::string why = url + " (" + path.string() + "): " + std::strerror(error_number);
  switch (error_number) {
    case ENOENT: {
      std::error_code ignored;
      const bool folder_exists = std::filesystem::is_directory(path.parent_path(), ignored);
      return SourceError(folder_exists ? hr::kFileNotFound : hr::kPathNotFound, why);
    }
    case ENOTDIR:
      return SourceError(hr::kPathNotFound, why);
    case EACCES:
    case EPERM:
    case EISDIR:
      return SourceError(hr::kAccessDenied, why);
    default:
      return SourceError(hr::kFail, why);
  }
}

SourceStat StatSource(const std::string& url, const std::filesystem::path& path) {
  SourceStat result;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    result.error = OpenError(url, path, errno);
    return result;
  }
  if (S_ISDIR(info.st_mode)) {
    result.error = OpenError(url, path, EISDIR);
    return result;
  }
  result.size = static_cast<std::uint64_t>(info.st_size);
  const auto mtime_ns = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
  result.version = std::to_string(result.size) + "|" + std::to_string(mtime_ns);
  return result;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

ProbeResult LocalFileTransport::Probe(const ProbeRequest& request) {
  const std::string& url = request.url;  // custom headers are for HTTP only
  ProbeResult probe;
  const LocalSource source = ResolveLocalSource(url, windows_paths_);
  if (source.error != hr::kOk) {
    probe.error = SourceError(source.error, source.detail);
    return probe;
  }
  const SourceStat stat = StatSource(url, source.path);
  if (!stat.error.ok()) {
    probe.error = stat.error;
    return probe;
  }
  // Opening is what BITS's copy does first: a file the service may not read fails here, not later.
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(source.path.c_str(), "rb"));
  if (file == nullptr) {
    probe.error = OpenError(url, source.path, errno);
    return probe;
  }
  probe.info.size = stat.size;
  probe.info.version = stat.version;
  return probe;
}

FetchResult LocalFileTransport::Fetch(const FetchRequest& request, ByteSink& sink) {
  FetchResult result;
  result.new_request = open_streams_.insert(request.stream_key).second;
  const LocalSource source = ResolveLocalSource(request.url, windows_paths_);
  if (source.error != hr::kOk) {
    result.error = SourceError(source.error, source.detail);
    return result;
  }
  const SourceStat stat = StatSource(request.url, source.path);
  if (!stat.error.ok()) {
    result.error = stat.error;
    return result;
  }
  if (stat.version != request.expected_version) {
    result.remote_changed = true;
    return result;
  }
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(source.path.c_str(), "rb"));
  if (file == nullptr || ::fseeko(file.get(), static_cast<off_t>(request.offset), SEEK_SET) != 0) {
    result.error = OpenError(request.url, source.path, errno);
    return result;
  }
  const std::uint64_t left = stat.size - std::min(stat.size, request.offset);
  std::vector<char> buffer(static_cast<std::size_t>(std::min(request.max_bytes, left)));
  const std::size_t read = std::fread(buffer.data(), 1, buffer.size(), file.get());
  if (read < buffer.size()) {
    result.error = SourceError(hr::kFail, request.url + ": read " + std::to_string(read) + " of " +
                                              std::to_string(buffer.size()) + " bytes at offset " +
                                              std::to_string(request.offset));
  }
  if (read > 0) {
    const SinkWrite written = sink.Write(std::string_view(buffer.data(), read));
    if (!written.error.ok()) {
      result.bytes = written.written;
      result.error = written.error;
      return result;
    }
  }
  result.bytes = read;
  return result;
}

}  // namespace bitsh::fake
