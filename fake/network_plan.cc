#include "fake/network_plan.h"

#include "fake/fake_service.h"

namespace bitsh::fake {

void ApplyNetworkPlan(FakeBitsService& service, const NetworkPlan& plan) {
  if (plan.bandwidth_bytes_per_s) service.SetBandwidth(*plan.bandwidth_bytes_per_s);
  if (plan.request_latency) service.SetRequestLatency(*plan.request_latency);
  if (plan.packet_loss || plan.retransmit_delay) {
    service.SetPacketLoss(plan.packet_loss.value_or(service.options().packet_loss),
                          plan.retransmit_delay.value_or(service.options().retransmit_delay));
  }
  EventQueue& events = service.events();
  const TimePoint start = service.options().start_time;
  for (const BandwidthChange& change : plan.bandwidth_changes) {
    events.ScheduleAt(start + change.at, [&service, change] { service.SetBandwidth(change.bytes_per_s); });
  }
  for (const Outage& outage : plan.outages) {
    events.ScheduleAt(start + outage.start, [&service] { service.SetNetworkAvailable(false); });
    events.ScheduleAt(start + outage.start + outage.length, [&service] { service.SetNetworkAvailable(true); });
  }
  for (const CostChange& change : plan.cost_changes) {
    if (change.at == Duration::zero()) {
      service.SetNetworkCost(change.cost, change.congested);  // before any job runs
      continue;
    }
    events.ScheduleAt(start + change.at, [&service, change] { service.SetNetworkCost(change.cost, change.congested); });
  }
  for (const Duration& drop : plan.drops) {
    events.ScheduleAt(start + drop, [&service] { service.DropConnections(); });
  }
}

}  // namespace bitsh::fake
