// ScenarioMachine: the machine a scenario describes, without its jobs, its Player and its
// expectations - the files and faults its server serves, the files on its disk, its shares,
// proxy, policies and users, its network timeline and its machine events. The scenario runner
// sets it up before its timeline; bitshd --scenario serves it to a program outside (docs/bitshd.md),
// whose jobs are then the program's own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "backend/status.h"
#include "scenarios/scenario.h"
#include "server/server_faults.h"
#include "sim/machine.h"

namespace bitsh::scenarios {

class ScenarioMachine {
 public:
  // `seed`: the run's seed (the scenario's, or the one a caller chose): it seeds the fake and
  // every seeded fault's draws.
  ScenarioMachine(const Scenario& scenario, std::uint64_t seed) : scenario_(scenario), seed_(seed) {}

  // The machine's options as the scenario sets them (seed, chunk size, time slice, shares, proxy,
  // the user's proxy settings, policies, stored credentials, a persistent queue when a restart is
  // planned). Where files go, run limits and the log are the caller's to set.
  sim::MachineOptions Options() const;

  // Sets up a started machine: server files and faults (and the proxy's), machine files, users,
  // the network plan, machine events and the end of the bandwidth policy's window, in that order.
  // A failure (a machine file that cannot be written, a proxy fault refused) is reported and the
  // rest still set up; a machine event that fails later stops the run (sim::Machine::Stop).
  Status Prepare(sim::Machine& machine);

  // `fault` with the seed of its draws (`probability`): the run's seed mixed with what the fault is
  // (what selects its requests, and how many such faults came before it), not where it stands, so
  // that each fault draws its own sequence, removing or adding another fault (shrink, a sweep's
  // point) draws nothing anew, and --seed N gives other draws. `owner`: "server", "proxy",
  // "trigger".
  server::ServerFault Seeded(server::ServerFault fault, std::string_view owner);

 private:
  Status ServeFiles(sim::Machine& machine);
  Status WriteMachineFiles(sim::Machine& machine) const;
  void ScheduleMachineEvents(sim::Machine& machine) const;

  const Scenario& scenario_;
  std::uint64_t seed_;
  std::map<std::string, std::uint64_t> identical_faults_;  // Seeded: faults seen, by identity
};

}  // namespace bitsh::scenarios
