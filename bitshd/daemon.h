// Daemon: bitshd, the fake BITS as a service process. It runs one simulated machine (sim/machine.h)
// and serves the Backend of each of its users, its clock and its service controls to other
// processes over the protocol of remote/protocol.h, on a loopback port.
//
//   auto daemon = Daemon::Start(options);    // binds, writes the token file
//   (*daemon)->Run();                         // on this thread: the machine thread, until stopped
//
// Who may call: a process on this machine that can read the token file (mode 0600, the user's
// own), and never a web page: requests must carry the token, and a Host and Origin that are
// loopback (server/control_guard.h). It stops by itself: on service.shutdown, on SIGTERM or
// SIGINT, when no request came for DaemonOptions::exit_when_idle, and (exit_with_parent) when the
// process that started it ends.
//
// Time: virtual, as in every simulated machine. It moves only on clock calls, unless
// auto_advance is set: then it never falls behind real time, and once no call has arrived for
// that much real time, it jumps to the next scheduled event, and again, for as long as the
// clients stay quiet (docs/bitshd.md says what that compresses and what it does not).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "backend/status.h"
#include "backend/testing/scratch_folder.h"
#include "serving/call_server.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_machine.h"
#include "sim/machine.h"

namespace bitsh::bitshd {

struct DaemonOptions {
  std::string host = "127.0.0.1";  // a loopback address only; anything else is refused at Start
  int port = 0;                    // 0: an ephemeral port (Daemon::url() tells which)
  // Where the token is written (created new, mode 0600); empty: bitshd.token in bitshd's own
  // folder (bitshd-N in the system's temporary folder, or in machine.work_root), which also holds
  // the machine's work folder and goes with the daemon unless machine.keep_work.
  std::filesystem::path token_file;
  std::optional<std::chrono::milliseconds> auto_advance;  // the quiet period; unset: clock calls only
  std::chrono::milliseconds callback_timeout{30'000};     // a client's callback must answer by then
  std::optional<std::chrono::seconds> exit_when_idle;     // no request for this long: stop
  bool exit_with_parent = false;                          // stop when the parent process ends
  sim::MachineOptions machine;                            // the queue is always persistent (restart)
  // A scenario file whose machine bitshd serves (scenarios/scenario_machine.h): its server files
  // and faults, machine files, shares, proxy, policies, users, network timeline and machine
  // events, and its seed. Its jobs, Player, triggers and expectations are not used: the clients
  // are the program under test. Empty: a plain machine. service.load_scenario replaces it.
  std::filesystem::path scenario;
  // The drives of Windows clients (a Wine prefix's: WindowsPaths::FromWinePrefix). Clients that
  // open their apartment with Windows paths need one; the fake resolves drive remote names with
  // them too.
  serving::WindowsPaths windows_paths;
};

class Daemon {
 public:
  // Starts the machine and listens. E_INVALIDARG for a host that is not loopback; E_FAIL naming
  // the address or the file when it cannot bind or write the token.
  static Result<std::unique_ptr<Daemon>> Start(DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // "http://127.0.0.1:PORT".
  const std::string& url() const { return calls_->url(); }
  const std::filesystem::path& token_file() const { return calls_->token_file(); }
  // REQUIRES: a machine runs (it does from Start on, unless a reset or load_scenario failed to
  // start a new one, which also stops the daemon).
  sim::Machine& machine() { return *machine_; }

  // Serves calls on this thread until the daemon is stopped (see above). Returns how it ended.
  std::string Run();
  // Makes Run return soon (after the call it runs, if any); callable from any thread.
  void Stop() {
    stop_requested_ = true;
    calls_->BeginStop();
  }

 private:
  explicit Daemon(DaemonOptions options);
  // Loads `path` as the scenario to serve; E_INVALIDARG listing every error (file:line:column).
  Status LoadScenario(const std::filesystem::path& path);
  // Replaces the machine with a new one: the scenario's, when there is one.
  Status StartMachine();
  // The machine thread's answer to one call (its "result" member): serving::CallServer::Handler.
  remote::Json RunCall(const std::string& user, const std::string& method, const remote::Json& args,
                       const serving::CallContext& context);
  remote::Json RunServiceCall(const std::string& method, const remote::Json& args);
  // Runs the machine's events until `done` or `deadline`, refusing inside an event's callback.
  remote::Json MoveClock(const std::function<bool()>& done, TimePoint deadline, bool until_idle);
  bool AutoAdvanceOnce();
  void KeepPaceWithRealTime();

  DaemonOptions options_;
  std::unique_ptr<testing::ScratchFolder> folder_;  // first made, last removed
  // Before the machine: the machine's callbacks (serving::RemoteCallback) refer to its exchange.
  std::unique_ptr<serving::CallServer> calls_;
  std::optional<scenarios::Scenario> scenario_;
  std::unique_ptr<scenarios::ScenarioMachine> scenario_machine_;  // the scenario's setup, made anew per machine
  std::unique_ptr<sim::Machine> machine_;
  std::atomic<bool> stop_requested_{false};
  std::string stopped_why_;
  std::int64_t run_started_ns_ = 0;  // steady clock: when Run began (idleness counts from then at least)
  std::int64_t paced_at_ns_ = 0;  // steady clock: when virtual time last caught up with real time
  bool moving_clock_ = false;  // a clock call runs events: another one must wait until it returns
};

}  // namespace bitsh::bitshd
