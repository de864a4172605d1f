// FaultTable: the faults a server (or the forward proxy) applies, in order, each counting the
// requests for its path since it was added. So "request: 2" is the second request after the fault
// came, whether it came with the scenario or through the control API mid-run. The first fault that
// matches a request applies. Not thread-safe: its owner calls it under its own mutex.
//
// Memory is bounded by the faults, not by the paths asked for: a request for a path no fault
// names is counted nowhere.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "server/server_faults.h"

namespace bitsh::server {

class FaultTable {
 public:
  struct Entry {
    int id = 0;          // 1, 2, ... in the order added; never reused
    ServerFault fault;
    int requests = 0;    // requests for the fault's path (and method, if it names one) since it was added
    int fired = 0;       // of those, how many it was applied to
  };

  // At most this many faults at once: a control client cannot grow the table without end.
  static constexpr std::size_t kMaxFaults = 10'000;

  // Adds a fault after the others, or with `first` ahead of them; returns its id, or nullopt when
  // the table is full.
  std::optional<int> Add(ServerFault fault, bool first = false);
  // False when no fault has that id.
  bool Remove(int id);
  void Clear();

  // Counts a request with every fault on its path and returns the first that fires, if any.
  std::optional<ServerFault> Take(std::string_view path, std::string_view method);

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
  int next_id_ = 1;
};

}  // namespace bitsh::server
