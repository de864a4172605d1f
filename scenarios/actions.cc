#include "scenarios/actions.h"

#include <array>

#include "sim/machine.h"

namespace bitsh::scenarios {
namespace {

constexpr std::array<JobActionKind, 4> kJobActions = {{
    {"suspend", [](Backend& owner, const JobId& job) { return owner.Suspend(job); }},
    {"resume", [](Backend& owner, const JobId& job) { return owner.Resume(job); }},
    {"cancel", [](Backend& owner, const JobId& job) { return owner.Cancel(job); }},
    {"complete", [](Backend& owner, const JobId& job) { return owner.Complete(job); }},
}};

constexpr std::array<MachineEventKind, 3> kMachineEvents = {{
    {"logon", true, false,
     [](sim::Machine& machine, const std::string& user) {
       machine.bits().LogOn(user);
       return Status::Ok();
     }},
    {"logoff", true, false,
     [](sim::Machine& machine, const std::string& user) {
       machine.bits().LogOff(user);
       return Status::Ok();
     }},
    {"restart_service", false, true, [](sim::Machine& machine, const std::string&) { return machine.Restart(); }},
}};

}  // namespace

std::span<const JobActionKind> JobActionKinds() { return kJobActions; }
std::span<const MachineEventKind> MachineEventKinds() { return kMachineEvents; }

const JobActionKind* FindJobActionKind(std::string_view name) {
  for (const JobActionKind& kind : kJobActions) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

const MachineEventKind* FindMachineEventKind(std::string_view name) {
  for (const MachineEventKind& kind : kMachineEvents) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

std::string JobActionNames() {
  std::string names;
  for (const JobActionKind& kind : kJobActions) names += (names.empty() ? "" : ", ") + std::string(kind.name);
  return names;
}

}  // namespace bitsh::scenarios
