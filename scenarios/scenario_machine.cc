#include "scenarios/scenario_machine.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <vector>

#include "content/generated_content.h"
#include "content/hashing.h"
#include "fake/network_plan.h"
#include "scenarios/actions.h"
#include "server/control_protocol.h"

namespace bitsh::scenarios {
namespace {

// Planned restarts need the queue on disk; without them the write per state change is saved.
bool NeedsPersistentQueue(const Scenario& scenario) {
  return std::any_of(scenario.events.begin(), scenario.events.end(),
                     [](const MachineEvent& e) { return e.kind->needs_persistent_queue; }) ||
         std::any_of(scenario.triggers.begin(), scenario.triggers.end(),
                     [](const Trigger& t) { return t.event != nullptr && t.event->needs_persistent_queue; });
}

}  // namespace

sim::MachineOptions ScenarioMachine::Options() const {
  sim::MachineOptions options;
  options.bits.seed = seed_;
  options.bits.chunk_bytes = scenario_.chunk_bytes;
  options.bits.background_time_slice = scenario_.time_slice;
  options.bits.flush_snapshot = false;  // the work folder is deleted at the end: no power cut to survive
  options.persistent_queue = NeedsPersistentQueue(scenario_);
  for (const ShareSpec& share : scenario_.shares) options.bits.windows_paths[share.name] = share.folder;
  if (scenario_.proxy) options.proxy = server::ForwardProxyOptions{.basic_credentials = scenario_.proxy->credentials};
  options.bits.user_proxy = scenario_.user_proxy;  // the machine puts its proxy's address for "{proxy}"
  if (scenario_.job_inactivity_timeout) options.bits.job_inactivity_timeout = *scenario_.job_inactivity_timeout;
  options.bits.max_internet_bandwidth = scenario_.max_internet_bandwidth;
  for (const UserSpec& user : scenario_.users) {
    if (!user.stored_credentials) continue;
    const std::size_t colon = user.stored_credentials->find(':');  // the loader checked there is one
    options.bits.stored_credentials[user.name] = {user.stored_credentials->substr(0, colon),
                                                  user.stored_credentials->substr(colon + 1)};
  }
  return options;
}

Status ScenarioMachine::Prepare(sim::Machine& machine) {
  Status first_failure = ServeFiles(machine);
  if (Status written = WriteMachineFiles(machine); first_failure.ok()) first_failure = written;
  for (const UserSpec& user : scenario_.users) machine.bits().AddUser(user.name, user.admin, user.logged_on);
  fake::ApplyNetworkPlan(machine.bits(), scenario_.network);
  ScheduleMachineEvents(machine);
  if (scenario_.max_internet_bandwidth_until) {  // the policy's window ends
    machine.At(*scenario_.max_internet_bandwidth_until, [&machine] { machine.bits().SetMaxInternetBandwidth(std::nullopt); });
  }
  return first_failure;
}

Status ScenarioMachine::ServeFiles(sim::Machine& machine) {
  Status first_failure;
  const std::filesystem::path served = machine.options().server.root;
  for (const ServerFile& file : scenario_.server_files) {
    if (file.content) {
      const std::filesystem::path target = served / file.path.substr(1);
      std::filesystem::create_directories(target.parent_path());
      std::ofstream(target, std::ios::binary) << *file.content;
    } else {
      machine.server().AddGeneratedFile(file.path, file.size, file.seed);
    }
  }
  for (const server::ServerFault& fault : scenario_.server_faults) machine.server().AddFault(Seeded(fault, "server"));
  if (scenario_.proxy) {
    for (const server::ServerFault& fault : scenario_.proxy->faults) {
      // The loader let through only the kinds a proxy applies.
      if (Status added = machine.proxy()->AddFault(Seeded(fault, "proxy")); !added.ok() && first_failure.ok()) {
        first_failure = added;
      }
    }
  }
  return first_failure;
}

server::ServerFault ScenarioMachine::Seeded(server::ServerFault fault, std::string_view owner) {
  // What picks the fault's requests, not what it does to them: shrink halving an `after` must
  // not redraw which requests are cut. Spelt out here, with the names of 0.2.0's control API,
  // and not taken from the control API's encoding, so that renaming a parameter there redraws
  // nothing: a reproduce line stays good from version to version.
  server::ControlParams selector{{"path", fault.path}, {"kind", std::string(server::ToString(fault.kind))}};
  if (fault.request_number != 0) selector["request_number"] = std::to_string(fault.request_number);
  if (!fault.method.empty()) selector["method"] = fault.method;
  if (fault.every != 0) selector["every"] = std::to_string(fault.every);
  if (fault.probability != 1.0) {
    char text[32];
    const auto written = std::to_chars(text, text + sizeof text, fault.probability);  // shortest form, as 0.2.0 wrote it
    selector["probability"] = std::string(text, written.ptr);
  }
  const std::string identity = std::string(owner) + "?" + server::ToQueryString(selector);
  const std::uint64_t twins = identical_faults_[identity]++;
  fault.draw_seed = content::SplitMix64::Mix(seed_ ^ content::Fnv1a(identity)) + twins * content::SplitMix64::kGamma;
  return fault;
}

Status ScenarioMachine::WriteMachineFiles(sim::Machine& machine) const {
  Status first_failure;
  for (const ServerFile& file : scenario_.machine_files) {
    const std::filesystem::path target = machine.work_folder() / file.path;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary);
    if (file.content) out << *file.content;
    std::vector<char> piece(1 << 20);
    for (std::uint64_t offset = 0; !file.content && offset < file.size; offset += piece.size()) {
      const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), file.size - offset));
      content::FillGenerated(file.seed, offset, piece.data(), length);
      out.write(piece.data(), static_cast<std::streamsize>(length));
    }
    if (!out && first_failure.ok()) first_failure = Status(hr::kFail, "cannot write machine file " + target.string());
  }
  return first_failure;
}

// A machine event that fails (a restart whose queue cannot be saved or read back) ends the run as
// a harness error: the machine the scenario describes is gone, so nothing after it would test the
// program.
void ScenarioMachine::ScheduleMachineEvents(sim::Machine& machine) const {
  for (const MachineEvent& event : scenario_.events) {
    machine.At(event.at, [&machine, event] {
      if (Status status = event.kind->apply(machine, event.argument); !status.ok()) {
        machine.Stop(std::string(event.kind->name) + " at " + machine.ElapsedText() + ": " + status.ToString());
      }
    });
  }
}

}  // namespace bitsh::scenarios
