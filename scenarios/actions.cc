#include "scenarios/actions.h"

#include <array>

#include "backend/units.h"
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

// A size as the loader checked it ("1MiB").
std::uint64_t SizeArgument(const std::string& text) { return ParseSize(text).value_or(0); }

constexpr std::array<MachineEventKind, 9> kMachineEvents = {{
    {"logon", EventArgument::kUser, false,
     [](sim::Machine& machine, const std::string& user) {
       machine.bits().LogOn(user);
       return Status::Ok();
     }},
    {"logoff", EventArgument::kUser, false,
     [](sim::Machine& machine, const std::string& user) {
       machine.bits().LogOff(user);
       return Status::Ok();
     }},
    {"restart_service", EventArgument::kTrue, true, [](sim::Machine& machine, const std::string&) { return machine.Restart(); }},
    // The machine's wall clock is set forward ("3d") or back ("-2h"); BITS's timers do not move.
    {"clock_jump", EventArgument::kSignedDuration, false,
     [](sim::Machine& machine, const std::string& by) {
       const std::optional<Duration> jump = ParseSignedDuration(by);
       if (!jump) return Status::InvalidArg("clock_jump: '" + by + "' is not a duration");
       machine.bits().JumpWallClock(*jump);
       return Status::Ok();
     }},
    // The disk's faults (fake/local_disk.h, docs/decisions.md "Disk faults").
    {"disk_free", EventArgument::kSizeOrUnlimited, false,
     [](sim::Machine& machine, const std::string& free) {
       machine.bits().disk().SetFreeSpace(free == "unlimited" ? std::nullopt : std::optional(SizeArgument(free)));
       machine.bits().Note("-", "disk", "free space for the service's files: " + free);
       return Status::Ok();
     }},
    {"deny_new_files", EventArgument::kBool, false,
     [](sim::Machine& machine, const std::string& deny) {
       machine.bits().disk().DenyNewFiles(deny == "true");
       machine.bits().Note("-", "disk", deny == "true" ? "new files are refused" : "new files are allowed again");
       return Status::Ok();
     }},
    {"lock_file", EventArgument::kLocalFile, false,
     [](sim::Machine& machine, const std::string& local) {
       machine.bits().disk().Lock((machine.work_folder() / local).string());
       machine.bits().Note("-", "disk", local + " is held open by another program");
       return Status::Ok();
     }},
    {"unlock_file", EventArgument::kLocalFile, false,
     [](sim::Machine& machine, const std::string& local) {
       machine.bits().disk().Unlock((machine.work_folder() / local).string());
       machine.bits().Note("-", "disk", local + " is closed by the other program");
       return Status::Ok();
     }},
    // The service stops, every temporary file is cut short behind its back (a power cut that lost
    // unwritten data), and it starts again: it must resume from what the files hold.
    {"restart_cutting_temp_files", EventArgument::kSize, true,
     [](sim::Machine& machine, const std::string& size) {
       return machine.Restart([&machine, &size] { machine.CutTemporaryFiles(SizeArgument(size)); });
     }},
}};

}  // namespace

std::string_view ArgumentForm(EventArgument argument) {
  switch (argument) {
    case EventArgument::kTrue: return "true";
    case EventArgument::kUser: return "USER";
    case EventArgument::kSignedDuration: return "DURATION";
    case EventArgument::kBool: return "true|false";
    case EventArgument::kSizeOrUnlimited: return "SIZE|unlimited";
    case EventArgument::kLocalFile: return "LOCAL";
    case EventArgument::kSize: return "SIZE";
  }
  return "";
}

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
