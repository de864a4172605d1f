#include "server/fault_table.h"

namespace bitsh::server {

std::optional<int> FaultTable::Add(ServerFault fault, bool first) {
  if (entries_.size() >= kMaxFaults) return std::nullopt;
  Entry entry{.id = next_id_++, .fault = std::move(fault)};
  const int id = entry.id;
  entries_.insert(first ? entries_.begin() : entries_.end(), std::move(entry));
  return id;
}

bool FaultTable::Remove(int id) {
  return std::erase_if(entries_, [id](const Entry& entry) { return entry.id == id; }) > 0;
}

void FaultTable::Clear() { entries_.clear(); }

std::optional<ServerFault> FaultTable::Take(std::string_view path, std::string_view method) {
  std::optional<ServerFault> taken;
  for (Entry& entry : entries_) {
    if (!entry.fault.Selects(path, method)) continue;
    ++entry.requests;  // every fault on the path counts the request, whichever applies
    if (!taken && entry.fault.FiresOn(entry.requests)) {
      ++entry.fired;
      taken = entry.fault;
    }
  }
  return taken;
}

}  // namespace bitsh::server
