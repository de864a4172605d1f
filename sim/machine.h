// Machine: one simulated Windows machine for a test or a scenario, wired in one place. It owns
// a work folder, the local file server on an ephemeral loopback port, the fake BITS service over
// the HTTP transport, one connection per user, and (when asked) the simulated Windows Media
// Player polling on the virtual clock. The scenario runner, the certification kit, the Player
// tests and the fake's conformance factory all stand on it, so a new feature of the machine (a
// fault, a callback, a service process) is added here once.
//
// Time is virtual: nothing moves until RunUntil runs events. Single-threaded, like the fake; the
// file server answers on its own threads. Teardown is in reverse order of construction, and the
// work folder is removed unless MachineOptions::keep_work.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/status.h"
#include "backend/testing/scratch_folder.h"
#include "fake/fake_options.h"
#include "fake/fake_service.h"
#include "fake/http_transport.h"
#include "server/file_server.h"
#include "server/forward_proxy.h"
#include "wmp/player.h"

namespace bitsh::sim {

// Bounds on one RunUntil call, whatever its deadline says: a run always ends.
struct RunLimits {
  std::uint64_t max_events = 50'000'000;
  // Ends a run whose virtual clock has not moved for this much real time. Only a bug in the engine
  // (events rescheduling themselves at one instant) can do that, and it would hang otherwise.
  std::chrono::seconds watchdog{30};
};

// What stands for the machine's proxy address ("127.0.0.1:PORT") in proxy lists of the user's
// settings (MachineOptions::bits.user_proxy) and of scenario jobs: the port is known at Start only.
inline constexpr std::string_view kProxyToken = "{proxy}";

// `text` with every kProxyToken replaced by `address`.
std::string WithProxyAddress(std::string text, std::string_view address);

// What stands for Machine::closed_port_address() in a scenario's URLs: "http://{closed_port}/a.wma"
// is a server that refuses every connection.
inline constexpr std::string_view kClosedPortToken = "{closed_port}";
// `text` with every kClosedPortToken replaced by `address`.
std::string WithClosedPortAddress(std::string text, std::string_view address);

struct MachineOptions {
  // The BITS service's options. snapshot_path is the machine's to set (see persistent_queue). A
  // relative folder in windows_paths is taken inside the work folder, and made at Start.
  fake::FakeOptions bits;
  // Keeps the queue in <work>/bits-queue.json so that Restart() works. Costs a write of the whole
  // queue per state change, so it is off unless a restart is planned.
  bool persistent_queue = false;
  // The file server's options. Its root is always <work>/server-files; the rest is used as given.
  server::FileServerOptions server;
  // A forward proxy on the machine's network (server/forward_proxy.h), started before the BITS
  // service when set. kProxyToken ("{proxy}") in bits.user_proxy's lists stands for its address.
  std::optional<server::ForwardProxyOptions> proxy;
  std::filesystem::path work_root;           // where the work folder is made; empty = system temp
  std::string work_prefix = "bitsh-machine";  // the work folder is <work_root>/<prefix>-<number>
  bool keep_work = false;                    // leave the work folder for inspection
  RunLimits limits;
  // When set, the service fetches through the transport this returns, given the machine's HTTP
  // transport to delegate to: a test's fault-injecting or deliberately broken transport (as
  // LevelDB's tests wrap an Env), e.g. to show that a sweep finds a planted resume bug.
  std::function<std::unique_ptr<fake::Transport>(fake::Transport& http)> wrap_transport;
};

// How a RunUntil call ended.
enum class RunEnd {
  kDone,        // done() held; the clock stands at the event that made it so
  kDeadline,    // done() did not hold by the deadline; the clock stands at the deadline (or
                // where it was, when the deadline had already passed)
  kStopped,     // an event called Stop(); the clock stands at that event
  kEventLimit,  // RunLimits::max_events events ran; the clock stands at the last one
  kWatchdog,    // the clock stood still for RunLimits::watchdog of real time
  kEngineFault, // the fake refused a state change its table does not have: a bug in bits-harness
};

struct RunOutcome {
  RunEnd end = RunEnd::kDone;
  std::uint64_t events = 0;  // events run by this call
  std::string why;           // for every end but kDone and kDeadline: a sentence for the user
  bool done() const { return end == RunEnd::kDone; }
};

class Machine {
 public:
  // Makes the work folder (with server-files/ in it), starts the file server and the BITS service.
  // Returns E_FAIL naming the folder or the address when one cannot be made or bound, or the
  // service's startup Status when it refuses to run. Nothing is left behind on failure.
  static Result<std::unique_ptr<Machine>> Start(MachineOptions options = {});
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const MachineOptions& options() const { return options_; }
  const std::filesystem::path& work_folder() const { return work_; }
  server::FileServer& server() { return *server_; }
  const server::FileServer& server() const { return *server_; }
  // The forward proxy; null unless MachineOptions::proxy was set.
  server::ForwardProxy* proxy() { return proxy_.get(); }
  const server::ForwardProxy* proxy() const { return proxy_.get(); }
  fake::FakeBitsService& bits() { return *service_; }
  const fake::FakeBitsService& bits() const { return *service_; }
  // The server's URL of `path` ("/album/01.wma" -> "http://127.0.0.1:PORT/album/01.wma").
  std::string Url(const std::string& path) const;

  // "127.0.0.1:PORT" of a loopback port the machine holds bound and never listens on, for its
  // whole life: a connection to it is refused (the kernel answers with a reset) on every run, and
  // no other program can take the port meanwhile. A server that is down.
  std::string closed_port_address() const;

  // --- Users ---------------------------------------------------------------------------------
  // The connection of `user`, made on first use and kept for the machine's life. An unknown user
  // is added as a logged-on standard user (FakeBitsService::Connect's rule); add others first
  // with bits().AddUser.
  Backend& Connection(const std::string& user);
  // Users connected so far, in name order.
  std::vector<std::string> ConnectedUsers() const;

  // --- The Player ----------------------------------------------------------------------------
  // Windows Media Player starts for `user` with `settings` (the registry it reads). A Player that
  // ran before is replaced, as when the Player is restarted after a registry change; references
  // to it become invalid. It looks at the queue only when polled (PollPlayerEvery, or Poll()).
  wmp::Player& StartPlayer(const std::string& user, wmp::PlayerSettings settings);
  // From now on the Player polls the queue every `interval`, the first time one interval from
  // now, for the machine's life, as the real Player does while it runs. Replaces an earlier
  // schedule. REQUIRES: StartPlayer was called.
  void PollPlayerEvery(Duration interval);
  // Null before StartPlayer.
  wmp::Player* player() { return player_.get(); }
  const wmp::Player* player() const { return player_.get(); }

  // --- Time ----------------------------------------------------------------------------------
  TimePoint start_time() const { return service_->options().start_time; }
  TimePoint Now() const { return service_->Now(); }
  Duration Elapsed() const { return Now() - start_time(); }
  // "1500 ms": the elapsed virtual time, for messages.
  std::string ElapsedText() const;
  // Schedules `action` at start_time() + since_start (at once, in order, if that has passed).
  void At(Duration since_start, std::function<void()> action);
  // True when nothing can happen any more unless a caller acts: no event is pending but the
  // Player's next poll, and the Player's last poll, made after every other event, found nothing
  // to do (so the next ones will not either).
  bool Idle();

  // Runs events in (time, order of scheduling) order until one of:
  //   done() holds (checked before the first event and after each) -> kDone;
  //   the next event lies after `deadline`, or none is pending      -> kDeadline, clock at deadline;
  //   an event called Stop()                                       -> kStopped;
  //   options().limits.max_events events ran                         -> kEventLimit;
  //   the clock stood still for options().limits.watchdog real time  -> kWatchdog;
  //   the fake broke its state table (FakeBitsService::engine_status) -> kEngineFault.
  // Events due exactly at the deadline run. The scenario runner, certification and the fake's
  // conformance backend move time only through it, so they share one rule for where a wait ends.
  RunOutcome RunUntil(const std::function<bool()>& done, TimePoint deadline);
  // RunUntil(Idle, deadline): runs until nothing can happen any more.
  RunOutcome RunUntilIdle(TimePoint deadline);
  // Called from inside an event: the running RunUntil returns kStopped after this event.
  void Stop(std::string why);

  // A simulated service restart (FakeBitsService::Restart); `while_stopped` runs while the service
  // is down. REQUIRES: options().persistent_queue, else E_FAIL.
  Status Restart(const std::function<void()>& while_stopped = {});

  // Cuts every BITS temporary file (BIT*.tmp) in the work folder to at most `bytes`, behind the
  // service's back: what a power cut that loses unwritten data, or a clean-up tool, leaves. Each
  // cut is a line in the service's log. Meant for Restart's `while_stopped`: a running service
  // holds its temporary files open, as BITS does. Returns how many files were cut.
  int CutTemporaryFiles(std::uint64_t bytes);

  // `text` with the server's base URL as "http://server", the proxy's address as "<proxy>", the
  // closed port's as "<closed-port>" and the work folder as "<work>": they change on every run,
  // and reports and traces must compare equal byte for byte.
  std::string Neutral(std::string text) const;

 private:
  explicit Machine(MachineOptions options);
  void SchedulePoll();
  // RunUntil's loop, without the write of the engine's changes at the end.
  RunOutcome RunEvents(const std::function<bool()>& done, TimePoint deadline);

  MachineOptions options_;
  std::unique_ptr<testing::ScratchFolder> scratch_;  // first made, last removed
  std::filesystem::path work_;
  std::unique_ptr<server::FileServer> server_;
  std::unique_ptr<server::ForwardProxy> proxy_;
  int closed_port_socket_ = -1;  // bound, never listening
  int closed_port_ = 0;
  fake::HttpTransport http_;
  std::unique_ptr<fake::Transport> wrapped_;  // MachineOptions::wrap_transport's, over http_
  std::unique_ptr<fake::FakeBitsService> service_;
  std::map<std::string, std::unique_ptr<Backend>> connections_;
  std::unique_ptr<wmp::Player> player_;
  Duration poll_interval_{};
  std::optional<fake::EventId> poll_event_;  // the Player's next poll, while it polls
  bool last_poll_acted_ = false;             // true until a poll has found nothing to do
  std::uint64_t events_run_at_last_poll_ = 0;  // EventQueue::events_run() after that poll
  std::optional<std::string> stop_;  // set by Stop() until RunUntil sees it
};

}  // namespace bitsh::sim
