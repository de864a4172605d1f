#include "fake/scripted_transport.h"

#include <algorithm>

#include "content/generated_content.h"

namespace bitsh::fake {

void ScriptedTransport::AddFile(const std::string& url, std::uint64_t size, std::uint64_t seed) {
  File& file = files_[url];
  file.size = size;
  file.seed = seed;
  ++file.generation;
}

void ScriptedTransport::FailNext(const std::string& url, HResult code, int times,
                                 ErrorContext context) {
  if (times <= 0) return;
  files_[url].failures.emplace_back(
      TransferError{code, context, "scripted " + HResultName(code) + " for " + url, true}, times);
}

void ScriptedTransport::DropAt(const std::string& url, std::uint64_t offset) {
  files_[url].drops.push_back(offset);
}

std::string ScriptedTransport::Version(const File& file) {
  return std::to_string(file.size) + "/g" + std::to_string(file.generation);
}

bool ScriptedTransport::TakeFailure(File& file, TransferError& error) {
  if (file.failures.empty()) return false;
  auto& [scripted, left] = file.failures.front();
  if (--left == 0) {
    error = std::move(scripted);
    file.failures.pop_front();
  } else {
    error = scripted;
  }
  return true;
}

ProbeResult ScriptedTransport::Probe(const ProbeRequest& request) {
  const std::string& url = request.url;
  Record(url, true, 0, 0, request.headers);
  auto found = files_.find(url);
  if (found == files_.end() || found->second.generation == 0) {
    return {TransferError{hr::FromHttpStatus(404), ErrorContext::kRemoteFile, "no file at " + url},
            {}};
  }
  File& file = found->second;
  ProbeResult result;
  if (TakeFailure(file, result.error)) return result;
  result.info = RemoteFileInfo{file.size, Version(file)};
  return result;
}

FetchResult ScriptedTransport::Fetch(const FetchRequest& request, ByteSink& sink) {
  const std::string& url = request.url;
  const std::uint64_t offset = request.offset;
  Record(url, false, offset, request.max_bytes, request.headers);
  FetchResult result;
  auto found = files_.find(url);
  if (found == files_.end() || found->second.generation == 0) {
    result.error = {hr::FromHttpStatus(404), ErrorContext::kRemoteFile, "no file at " + url};
    return result;
  }
  File& file = found->second;
  if (TakeFailure(file, result.error)) return result;
  if (!request.dynamic && Version(file) != request.expected_version) {
    result.remote_changed = true;
    return result;
  }
  if (request.dynamic) {
    if (offset == 0) {
      dynamic_streams_[request.stream_key] = file.generation;
    } else if (auto open = dynamic_streams_.find(request.stream_key);
               open == dynamic_streams_.end() || open->second != file.generation || offset > file.size) {
      dynamic_streams_.erase(request.stream_key);
      result.remote_changed = true;
      return result;
    }
  }
  std::uint64_t end = std::min(file.size, offset + request.max_bytes);
  const bool dropped = !file.drops.empty() && file.drops.front() >= offset && file.drops.front() < end;
  if (dropped) end = file.drops.front();
  if (end > offset) {
    const SinkWrite written = sink.Write(content::GeneratedBytes(file.seed, offset, end - offset));
    if (!written.error.ok()) {  // the local file failed first: the drop is still to come
      result.bytes = written.written;
      result.error = written.error;
      return result;
    }
  }
  if (dropped) file.drops.pop_front();
  result.bytes = end - offset;
  // A dynamic answer gives no size: its end shows when a piece asks past it.
  result.end_of_body = request.dynamic && !dropped && end == file.size && request.max_bytes > end - offset;
  if (dropped) {
    result.error = {hr::kReceiveFailure, ErrorContext::kRemoteFile,
                    "scripted drop at byte " + std::to_string(end) + " of " + url, true};
  }
  return result;
}

}  // namespace bitsh::fake
