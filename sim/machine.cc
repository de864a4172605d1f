#include "sim/machine.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "fake/network_plan.h"

namespace bitsh::sim {
namespace {

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

Machine::Machine(MachineOptions options) : options_(std::move(options)) {}

std::string WithClosedPortAddress(std::string text, std::string_view address) {
  ReplaceAll(text, std::string(kClosedPortToken), std::string(address));
  return text;
}

std::string WithProxyAddress(std::string text, std::string_view address) {
  ReplaceAll(text, std::string(kProxyToken), std::string(address));
  return text;
}

Result<std::unique_ptr<Machine>> Machine::Start(MachineOptions options) {
  std::unique_ptr<Machine> machine(new Machine(std::move(options)));
  MachineOptions& o = machine->options_;
  try {
    machine->scratch_ = std::make_unique<testing::ScratchFolder>(o.work_prefix, o.work_root);
  } catch (const std::exception& error) {
    return Status(hr::kFail, std::string("no work folder for the machine: ") + error.what());
  }
  if (o.keep_work) machine->scratch_->Keep();
  machine->work_ = machine->scratch_->path();

  o.server.root = machine->work_ / "server-files";
  std::error_code error;
  if (!std::filesystem::create_directories(o.server.root, error) || error) {
    return Status(hr::kFail, "cannot create " + o.server.root.string() + ": " + error.message());
  }
  machine->server_ = std::make_unique<server::FileServer>(o.server);
  if (Status started = machine->server_->Start(); !started.ok()) return started;

  // A port bound on loopback and never listened on: connections to it are refused.
  machine->closed_port_socket_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in bound{};
  bound.sin_family = AF_INET;
  bound.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof bound;
  if (machine->closed_port_socket_ < 0 ||
      ::bind(machine->closed_port_socket_, reinterpret_cast<const sockaddr*>(&bound), sizeof bound) != 0 ||
      ::getsockname(machine->closed_port_socket_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    return Status(hr::kFail, std::string("cannot bind a closed port on 127.0.0.1: ") + std::strerror(errno));
  }
  machine->closed_port_ = ntohs(bound.sin_port);

  if (o.proxy) {
    machine->proxy_ = std::make_unique<server::ForwardProxy>(*o.proxy);
    if (Status started = machine->proxy_->Start(); !started.ok()) return started;
  }
  if (o.bits.user_proxy) {
    const std::string address = machine->proxy_ ? machine->proxy_->address() : "";
    if (!machine->proxy_ && (o.bits.user_proxy->proxy_list.find(kProxyToken) != std::string::npos ||
                             o.bits.user_proxy->bypass_list.find(kProxyToken) != std::string::npos)) {
      return Status(hr::kInvalidArg, "the user's proxy settings name " + std::string(kProxyToken) + ", and the machine has no proxy");
    }
    o.bits.user_proxy->proxy_list = WithProxyAddress(o.bits.user_proxy->proxy_list, address);
    o.bits.user_proxy->bypass_list = WithProxyAddress(o.bits.user_proxy->bypass_list, address);
  }
  for (auto& [name, folder] : o.bits.windows_paths) {
    if (folder.is_relative()) folder = machine->work_ / folder;
    std::filesystem::create_directories(folder, error);
    if (error) return Status(hr::kFail, "cannot create " + folder.string() + " for " + name + ": " + error.message());
  }
  if (o.persistent_queue) o.bits.snapshot_path = machine->work_ / "bits-queue.json";
  else o.bits.snapshot_path.clear();
  if (o.wrap_transport) machine->wrapped_ = o.wrap_transport(machine->http_);
  fake::Transport& transport = machine->wrapped_ ? *machine->wrapped_ : static_cast<fake::Transport&>(machine->http_);
  machine->service_ = std::make_unique<fake::FakeBitsService>(o.bits, transport);
  if (!machine->service_->startup_status().ok()) return machine->service_->startup_status();
  return machine;
}

Machine::~Machine() {
  player_.reset();
  connections_.clear();
  service_.reset();
  server_.reset();  // stops and joins
  proxy_.reset();   // likewise
  if (closed_port_socket_ >= 0) ::close(closed_port_socket_);
  scratch_.reset();
}

std::string Machine::Url(const std::string& path) const { return server_->base_url() + path; }

std::string Machine::closed_port_address() const { return "127.0.0.1:" + std::to_string(closed_port_); }

Backend& Machine::Connection(const std::string& user) {
  std::unique_ptr<Backend>& connection = connections_[user];
  if (!connection) connection = service_->Connect(user);
  return *connection;
}

std::vector<std::string> Machine::ConnectedUsers() const {
  std::vector<std::string> users;
  for (const auto& [user, connection] : connections_) users.push_back(user);
  return users;
}

wmp::Player& Machine::StartPlayer(const std::string& user, wmp::PlayerSettings settings) {
  player_ = std::make_unique<wmp::Player>(Connection(user), std::move(settings));
  last_poll_acted_ = poll_event_.has_value();  // a new Player has not looked yet
  return *player_;
}

void Machine::PollPlayerEvery(Duration interval) {
  if (poll_event_) service_->events().Cancel(*poll_event_);
  poll_interval_ = interval;
  last_poll_acted_ = true;  // it has not looked yet
  SchedulePoll();
}

void Machine::SchedulePoll() {
  poll_event_ = service_->events().ScheduleAfter(poll_interval_, [this] {
    last_poll_acted_ = !player_->Poll().empty();
    events_run_at_last_poll_ = service_->events().events_run();
    SchedulePoll();
  });
}

std::string Machine::ElapsedText() const {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(Elapsed()).count()) + " ms";
}

void Machine::At(Duration since_start, std::function<void()> action) {
  service_->events().ScheduleAt(start_time() + since_start, std::move(action));
}

bool Machine::Idle() {
  fake::EventQueue& events = service_->events();
  if (!poll_event_) return events.pending() == 0;
  // The Player must have looked after the last other event: that event may have given it work.
  return events.pending() == 1 && !last_poll_acted_ && events.events_run() == events_run_at_last_poll_;
}

RunOutcome Machine::RunUntil(const std::function<bool()>& done, TimePoint deadline) {
  const RunOutcome outcome = RunEvents(done, deadline);
  // The engine's changes reach the queue on disk as the run stops, as the service's own run
  // methods do (FakeBitsService::SaveChanges); a failure is in the event log.
  static_cast<void>(service_->SaveChanges());
  return outcome;
}

RunOutcome Machine::RunEvents(const std::function<bool()>& done, TimePoint deadline) {
  fake::EventQueue& events = service_->events();
  RunOutcome outcome;
  stop_.reset();
  TimePoint last_time = Now();
  auto last_moved = std::chrono::steady_clock::now();
  while (!done()) {
    const std::optional<TimePoint> next = events.NextEventTime();
    if (!next || *next > deadline) {
      if (deadline > Now()) events.RunUntil(deadline);  // nothing is due before it: moves the clock
      outcome.end = RunEnd::kDeadline;
      return outcome;
    }
    if (outcome.events == options_.limits.max_events) {
      outcome.end = RunEnd::kEventLimit;
      outcome.why = "the run reached max_events (" + std::to_string(options_.limits.max_events) + ") at " +
                    ElapsedText() + " virtual";
      return outcome;
    }
    events.RunNext();
    ++outcome.events;
    if (!service_->engine_status().ok()) {
      outcome.end = RunEnd::kEngineFault;
      outcome.why = "the fake BITS broke its own state table at " + ElapsedText() +
                    " (a bug in bits-harness; please report it with the scenario): " +
                    service_->engine_status().ToString();
      return outcome;
    }
    if (stop_) {
      outcome.end = RunEnd::kStopped;
      outcome.why = std::move(*stop_);
      stop_.reset();
      return outcome;
    }
    // The watchdog reads the real clock only every 1024 events: it costs nothing in a normal run.
    if (Now() != last_time) {
      last_time = Now();
      last_moved = std::chrono::steady_clock::now();
    } else if (outcome.events % 1024 == 0 && std::chrono::steady_clock::now() - last_moved > options_.limits.watchdog) {
      outcome.end = RunEnd::kWatchdog;
      outcome.why = "watchdog: virtual time stood still at " + ElapsedText() + " for " +
                    std::to_string(options_.limits.watchdog.count()) + " real seconds (" +
                    std::to_string(outcome.events) + " events run); the engine is looping";
      return outcome;
    }
  }
  outcome.end = RunEnd::kDone;
  return outcome;
}

RunOutcome Machine::RunUntilIdle(TimePoint deadline) {
  return RunUntil([this] { return Idle(); }, deadline);
}

void Machine::Stop(std::string why) { stop_ = std::move(why); }

Status Machine::Restart(const std::function<void()>& while_stopped) {
  if (!options_.persistent_queue) {
    return Status(hr::kFail, "a restart needs the machine's queue on disk (MachineOptions::persistent_queue)");
  }
  return service_->Restart(while_stopped);
}

int Machine::CutTemporaryFiles(std::uint64_t bytes) {
  // Sorted, so that the log lines come in the same order on every run. The server's files are
  // another machine's: not walked.
  std::map<std::filesystem::path, std::uintmax_t> longer;
  std::error_code walking;
  for (std::filesystem::recursive_directory_iterator it(work_, walking), end; !walking && it != end; it.increment(walking)) {
    if (it->path() == options_.server.root) {
      it.disable_recursion_pending();
      continue;
    }
    const std::string name = it->path().filename().string();
    std::error_code unreadable;
    if (!it->is_regular_file(unreadable) || name.size() != 11 || !name.starts_with("BIT") || !name.ends_with(".tmp")) continue;
    const std::uintmax_t size = std::filesystem::file_size(it->path(), unreadable);
    if (!unreadable && size > bytes) longer.emplace(it->path(), size);
  }
  int cut = 0;
  for (const auto& [path, before] : longer) {
    std::error_code failed;
    std::filesystem::resize_file(path, bytes, failed);
    service_->Note("-", "disk", Neutral(path.string()) + (failed ? " could not be cut: " + failed.message()
                                                                 : " cut from " + std::to_string(before) + " to " +
                                                                       std::to_string(bytes) + " bytes behind the service's back"));
    if (!failed) ++cut;
  }
  return cut;
}

std::string Machine::Neutral(std::string text) const {
  ReplaceAll(text, server_->base_url(), "http://server");
  if (proxy_) ReplaceAll(text, proxy_->address(), "<proxy>");
  ReplaceAll(text, closed_port_address(), "<closed-port>");
  ReplaceAll(text, work_.string(), "<work>");
  return text;
}

}  // namespace bitsh::sim
