#include "server/request_log.h"

namespace bitsh::server {

std::size_t RequestLog::Add(RequestRecord record) {
  std::lock_guard lock(mutex_);
  records_.push_back(std::move(record));
  return records_.size() - 1;
}

void RequestLog::AddBytesSent(std::size_t index, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  records_.at(index).bytes_sent += bytes;
}

void RequestLog::TakeBackBytesSent(std::size_t index, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  records_.at(index).bytes_sent -= bytes;
}

std::vector<RequestRecord> RequestLog::Records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

std::string RequestLog::ToText() const {
  std::string text;
  for (const RequestRecord& r : Records()) {
    text += r.method + " " + r.path + (r.range.empty() ? "" : " Range=" + r.range) +
            (r.if_range.empty() ? "" : " If-Range=" + r.if_range) + " -> " +
            std::to_string(r.status) + " " + std::to_string(r.bytes_sent) + " bytes" +
            (r.fault.empty() ? "" : " [" + r.fault + "]") + (r.note.empty() ? "" : " (" + r.note + ")") + "\n";
  }
  return text;
}

}  // namespace bitsh::server
