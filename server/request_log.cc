#include "server/request_log.h"

namespace bitsh::server {
namespace {

void Cut(std::string& field) {
  if (field.size() <= RequestLog::kMaxFieldBytes) return;
  field.resize(RequestLog::kMaxFieldBytes - 3);
  field += "...";
}

std::size_t CostOf(const RequestRecord& r) {
  std::size_t headers = 0;
  for (const auto& [name, value] : r.headers) headers += sizeof(r.headers[0]) + name.size() + value.size();
  return sizeof(RequestRecord) + r.method.size() + r.path.size() + r.range.size() + r.if_range.size() +
         r.fault.size() + r.note.size() + headers;
}

}  // namespace

std::size_t RequestLog::Add(RequestRecord record) {
  for (std::string* field : {&record.method, &record.path, &record.range, &record.if_range, &record.fault, &record.note}) {
    Cut(*field);
  }
  for (auto& [name, value] : record.headers) {
    Cut(name);
    Cut(value);
  }
  std::lock_guard lock(mutex_);
  kept_bytes_ += CostOf(record);
  records_.push_back(std::move(record));
  while (kept_bytes_ > budget_bytes_ && records_.size() > 1) {
    kept_bytes_ -= CostOf(records_.front());
    records_.pop_front();
    ++first_number_;
  }
  return first_number_ + records_.size() - 1;
}

RequestRecord* RequestLog::Find(std::size_t number) {
  if (number < first_number_ || number - first_number_ >= records_.size()) return nullptr;
  return &records_[number - first_number_];
}

void RequestLog::AddBytesSent(std::size_t number, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  if (RequestRecord* record = Find(number)) record->bytes_sent += bytes;
}

void RequestLog::TakeBackBytesSent(std::size_t number, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  if (RequestRecord* record = Find(number)) record->bytes_sent -= bytes;
}

std::vector<RequestRecord> RequestLog::Records() const {
  std::lock_guard lock(mutex_);
  return {records_.begin(), records_.end()};
}

std::uint64_t RequestLog::Dropped() const {
  std::lock_guard lock(mutex_);
  return first_number_;
}

std::string RequestLog::ToText() const {
  std::lock_guard lock(mutex_);
  std::string text;
  if (first_number_ > 0) text += "(" + std::to_string(first_number_) + " earlier requests not kept)\n";
  for (const RequestRecord& r : records_) {
    text += r.method + " " + r.path + (r.range.empty() ? "" : " Range=" + r.range) +
            (r.if_range.empty() ? "" : " If-Range=" + r.if_range) + " -> " +
            std::to_string(r.status) + " " + std::to_string(r.bytes_sent) + " bytes" +
            (r.fault.empty() ? "" : " [" + r.fault + "]") + (r.note.empty() ? "" : " (" + r.note + ")") + "\n";
  }
  return text;
}

}  // namespace bitsh::server
