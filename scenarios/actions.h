// What a scenario can make happen at a virtual time, one row per kind: its YAML name and what it
// does on the simulated machine. The loader accepts exactly these names, the runner applies the
// rows, and a test keeps schema.json's lists equal to them, so a new kind of action or machine
// event is one new row here (and its line in docs/scenarios.md).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "backend/backend.h"

namespace bitsh::sim {
class Machine;
}

namespace bitsh::scenarios {

// What some actions need besides the job: `{do: replace_remote_prefix, from: /cdn1, to: /cdn2}`,
// as remote names (the runner turns a server path into the file server's URL), or the file an
// action is about (`{do: invalidate_file, file: 0}`, its index in the job's files).
struct JobActionArguments {
  std::string from;
  std::string to;
  std::size_t file_index = 0;
  std::uint32_t policy = 0;  // a transfer policy (cost_states), for set_transfer_policy
};

// Something the store's code does to one of its jobs: `actions: [{at: 5s, do: suspend}]`.
struct JobActionKind {
  std::string_view name;  // the value of `do:`
  bool takes_from_and_to;  // `from:` and `to:` are required (and allowed only then)
  bool takes_file;         // `file:` (an index in the job's files) is required (and allowed only then)
  bool takes_policy;       // `policy:` (a transfer policy) is required (and allowed only then)
  // The call, made as the job's owner. Its Status is not a finding: the job's states show what
  // happened, and expectations check those.
  Status (*apply)(Backend& owner, const JobId& job, const JobActionArguments& arguments);
};

// What a machine event's key takes: `restart_service: true`, `logoff: USER`, `clock_jump: -2h`,
// `deny_new_files: false`, `disk_free: 1MiB` (or `unlimited`), `lock_file: music/01.wma` (a job's
// local name, relative to the work folder), `restart_cutting_temp_files: 64KiB`.
enum class EventArgument { kTrue, kUser, kSignedDuration, kBool, kSizeOrUnlimited, kLocalFile, kSize };

// Something that happens to the machine: `events: [{at: 1m, logoff: alice}]`.
struct MachineEventKind {
  std::string_view name;  // the YAML key
  EventArgument argument;
  bool needs_persistent_queue;  // the machine must keep its queue on disk (sim::MachineOptions)
  // `argument`: as written (the user, "-2h", "true", "1MiB", "unlimited", the local name), or
  // empty for kTrue. A failure ends the run as a harness error: what follows would not test the
  // program.
  Status (*apply)(sim::Machine& machine, const std::string& argument);
};

// How messages write an argument of the kind: "USER", "DURATION", "true", "SIZE|unlimited"...
std::string_view ArgumentForm(EventArgument argument);

std::span<const JobActionKind> JobActionKinds();
std::span<const MachineEventKind> MachineEventKinds();
// Null for a name that is not in the table.
const JobActionKind* FindJobActionKind(std::string_view name);
const MachineEventKind* FindMachineEventKind(std::string_view name);
// "suspend, resume, cancel, complete": the names, for messages.
std::string JobActionNames();

}  // namespace bitsh::scenarios
