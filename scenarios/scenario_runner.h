// Runs one Scenario on its own simulated machine (sim/machine.h: a work folder, a file server on
// an ephemeral loopback port, a fresh fake BITS over the HTTP transport): the network timeline,
// machine events, the store's jobs and actions, the Player; then checks every expectation.
// Scenarios share nothing, so several may run at once on different threads. Same scenario and
// seed => byte-identical trace.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "external/wine_setup.h"
#include "fake/event_log.h"
#include "fake/fake_options.h"
#include "fake/transport.h"
#include "scenarios/scenario.h"
#include "server/request_log.h"

namespace bitsh::sim {
class Machine;
}

namespace bitsh::scenarios {

// Code that runs on the scenario's machine beside the scenario's own jobs, such as a partner's
// job-queuing code under certification (certification/certification.h).
class RunHooks {
 public:
  virtual ~RunHooks() = default;
  // At virtual time zero, once the machine is set up, the scenario's jobs queued and its Player
  // started, before any event runs.
  virtual void OnStart(sim::Machine& machine) = 0;
  // When the timeline has ended, before the expectations are checked and the machine is gone.
  virtual void OnEnd(sim::Machine& machine) = 0;
};

struct RunOptions {
  std::optional<std::uint64_t> seed;    // overrides the scenario's seed
  std::filesystem::path work_root;      // where work folders go; empty = the system temp folder
  bool keep_work = false;               // leave the work folder for inspection
  std::uint64_t max_events = 50'000'000;  // a bound on every run, whatever the scenario says
  // Lines of the fake's event log a run keeps (FakeOptions::log_lines_kept): the report's trace and
  // timeline show the most recent ones. Expectations, invariants and triggers see every line.
  std::size_t log_lines_kept = fake::FakeOptions{}.log_lines_kept;
  // When set, every line of the event log is written here as it happens, in the trace's form (paths
  // and ports neutral, jobs named), whatever log_lines_kept keeps: the whole trace of a run of any
  // length (bitsh run --log-dir). A repeat writes the file again.
  std::filesystem::path log_file;
  // Ends a run whose virtual clock has not moved for this much real time: only a bug in the
  // engine (events rescheduling themselves at one instant) can do that, and it would hang.
  std::chrono::seconds watchdog{30};
  // Runs the scenario this many times; a run whose trace differs from the first adds a failed
  // outcome naming the first differing line. The determinism promise, checked (bitsh run --repeat).
  unsigned repeat = 1;
  RunHooks* hooks = nullptr;  // not owned; called on every repeat
  // Also checks the invariants (scenarios/invariants.h: no job lost, every byte right, errors
  // documented, no temporary file left), each an outcome after the scenario's expectations.
  bool check_invariants = false;
  // Where a scenario's Windows client finds Wine, its prefix and bitsh-com-server (ClientSpec).
  external::WineOptions wine;
  // sim::MachineOptions::wrap_transport: a test's transport between the fake and the server.
  std::function<std::unique_ptr<fake::Transport>(fake::Transport& http)> wrap_transport;
};

struct ExpectationOutcome {
  SourceLocation where;
  bool passed = false;
  std::string what;    // "job t1 state ACKNOWLEDGED at the end"
  std::string actual;  // what was found instead, when it failed
};

// What a run produced, for reports (console, JUnit, trace, plot).
struct ScenarioResult {
  std::string path;
  std::string name;
  std::uint64_t seed = 0;
  bool passed = false;
  std::string internal_error;  // the harness itself failed (e.g. no port to bind)
  std::vector<ExpectationOutcome> outcomes;
  std::vector<fake::LogEvent> events;          // the fake's event log as kept (its most recent
                                               // FakeOptions::log_lines_kept lines), paths and
                                               // ports made neutral
  std::uint64_t events_dropped = 0;            // older lines the log did not keep
  std::string trace;                           // its text, with paths and ports made neutral
  std::vector<server::RequestRecord> requests;  // the server's request log
  std::vector<std::pair<std::string, std::string>> jobs;  // (scenario id, BITS job id)
  fake::NetworkPlan network;
  Duration virtual_time = Duration::zero();
  std::uint64_t events_run = 0;  // the machine's events (log lines, Player polls, timers...)
  double wall_seconds = 0;
  std::filesystem::path work_folder;           // set when kept
  // The command that runs this again; empty: "bitsh run PATH --seed=SEED" (a sweep's points and
  // shrink's candidates need their own).
  std::string reproduce;
};

// The first run's result, with the determinism outcome added when options.repeat > 1.
ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace bitsh::scenarios
