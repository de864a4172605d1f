// NetworkPlan: how the simulated network behaves over virtual time, as plain data (scenario files
// map onto it one to one). Every field defaults to "nothing happens"; times count from the start
// of the simulation (FakeOptions::start_time).
//
// Drops at a byte offset are not here: they belong to a file and a request, so they are server
// faults (server/server_faults.h, kCloseAfterBytes) or ScriptedTransport::DropAt.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "backend/clock.h"

namespace bitsh::fake {

class FakeBitsService;

struct BandwidthChange {
  Duration at;                    // since the start
  std::uint64_t bytes_per_s = 0;  // 0 = unlimited
};

// What the network costs from `at` on (cost_states bits) and whether it is congested.
struct CostChange {
  Duration at;  // since the start
  std::uint32_t cost = 0x01;  // cost_states::kUnrestricted
  bool congested = false;
};

struct Outage {
  Duration start;   // since the start
  Duration length;  // the network is down for this long
};

struct NetworkPlan {
  std::optional<std::uint64_t> bandwidth_bytes_per_s;  // from the start, when set
  std::vector<BandwidthChange> bandwidth_changes;
  std::optional<Duration> request_latency;              // from the start, when set
  // Packet loss from the start (FakeOptions::packet_loss): the rate, and what each loss costs.
  std::optional<double> packet_loss;
  std::optional<Duration> retransmit_delay;
  std::vector<Outage> outages;
  std::vector<Duration> drops;  // moments at which every open connection breaks
  std::vector<CostChange> cost_changes;  // at 0 for the cost from the start
};

// Schedules the plan's events on the service. Call before running the simulation.
void ApplyNetworkPlan(FakeBitsService& service, const NetworkPlan& plan);

}  // namespace bitsh::fake
