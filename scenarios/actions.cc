#include "scenarios/actions.h"

#include <array>

#include "sim/machine.h"

namespace bitsh::scenarios {
namespace {

constexpr std::array<JobActionKind, 8> kJobActions = {{
    {"suspend", false, false, false, [](Backend& owner, const JobId& job, const JobActionArguments&) { return owner.Suspend(job); }},
    {"resume", false, false, false, [](Backend& owner, const JobId& job, const JobActionArguments&) { return owner.Resume(job); }},
    {"cancel", false, false, false, [](Backend& owner, const JobId& job, const JobActionArguments&) { return owner.Cancel(job); }},
    {"complete", false, false, false, [](Backend& owner, const JobId& job, const JobActionArguments&) { return owner.Complete(job); }},
    {"replace_remote_prefix", true, false, false,
     [](Backend& owner, const JobId& job, const JobActionArguments& arguments) {
       return owner.ReplaceRemotePrefix(job, arguments.from, arguments.to);
     }},
    // The store's own content check on a transferred file (IBackgroundCopyFile3::SetValidationState).
    {"validate_file", false, true, false,
     [](Backend& owner, const JobId& job, const JobActionArguments& arguments) {
       return owner.SetValidationState(job, arguments.file_index, true);
     }},
    {"invalidate_file", false, true, false,
     [](Backend& owner, const JobId& job, const JobActionArguments& arguments) {
       return owner.SetValidationState(job, arguments.file_index, false);
     }},
    // The store changes the job's transfer policy (SetJobProperty COST_FLAGS); it applies at once.
    {"set_transfer_policy", false, false, true,
     [](Backend& owner, const JobId& job, const JobActionArguments& arguments) {
       JobPropertyValue value;
       value.dword = arguments.policy;
       return owner.SetJobProperty(job, JobPropertyId::kCostFlags, value);
     }},
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
