#include "bitshd/daemon.h"

#include <unistd.h>

#include <algorithm>

#include "fake/event_log.h"
#include "scenarios/scenario_loader.h"
#include "server/control_guard.h"
#include "server/control_protocol.h"

namespace bitsh::bitshd {
namespace {

using remote::Json;

constexpr HResult kCantCallOut = 0x8001010D;  // RPC_E_CANTCALLOUT_ININPUTSYNCCALL (winerror.h)

// Control API parameters from a JSON object: strings as they are, numbers as their text, so that
// {"size": 1024} and {"size": "1KiB"} both do. Throws for another type (E_INVALIDARG, RunCall).
server::ControlParams Params(const Json& args) {
  server::ControlParams params;
  for (const auto& [name, value] : args.items()) {
    if (value.is_string()) {
      params[name] = value.get<std::string>();
    } else if (value.is_number()) {
      params[name] = value.dump();
    } else {
      throw std::invalid_argument("parameter '" + name + "' is neither text nor a number");
    }
  }
  return params;
}

// Calls that need the machine to themselves (Exchange::Submit's `exclusive`).
bool IsExclusive(std::string_view method) {
  namespace m = remote::methods;
  return method == m::kClockStep || method == m::kClockAdvance || method == m::kClockRunUntilIdle ||
         method == m::kServiceRestart || method == m::kServiceReset || method == m::kServiceLoadScenario;
}

// A successful result carrying `value`.
Json WithValue(Json value) {
  Json answer = remote::StatusToJson(Status::Ok());
  answer["value"] = std::move(value);
  return answer;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::Start(DaemonOptions options) {
  const bool v6 = options.host.find(':') != std::string::npos;
  if (!server::IsLoopbackAuthority(v6 ? "[" + options.host + "]" : options.host)) {
    return Status::InvalidArg("bitshd listens on loopback only, not on " + options.host);
  }
  options.machine.persistent_queue = true;  // service.restart
  for (const auto& [drive, folder] : options.windows_paths.Drives()) options.machine.bits.windows_paths.emplace(drive, folder);
  std::unique_ptr<Daemon> daemon(new Daemon(std::move(options)));
  try {
    daemon->folder_ = std::make_unique<testing::ScratchFolder>("bitshd", daemon->options_.machine.work_root);
  } catch (const std::exception& error) {
    return Status(hr::kFail, error.what());
  }
  if (daemon->options_.machine.keep_work) daemon->folder_->Keep();
  daemon->options_.machine.work_root = daemon->folder_->path();
  daemon->options_.machine.work_prefix = "machine";
  if (!daemon->options_.scenario.empty()) {
    if (Status loaded = daemon->LoadScenario(daemon->options_.scenario); !loaded.ok()) return loaded;
  }
  serving::CallServerOptions call_options;
  call_options.host = daemon->options_.host;
  call_options.port = daemon->options_.port;
  call_options.token_file = daemon->options_.token_file.empty() ? daemon->folder_->path() / "bitshd.token"
                                                                : daemon->options_.token_file;
  call_options.callback_timeout = daemon->options_.callback_timeout;
  call_options.windows_paths = daemon->options_.windows_paths;
  Result<std::unique_ptr<serving::CallServer>> calls = serving::CallServer::Start(
      std::move(call_options),
      [daemon = daemon.get()](const std::string& user, const std::string& method, const Json& args,
                              const serving::CallContext& context) { return daemon->RunCall(user, method, args, context); },
      IsExclusive);
  if (!calls.ok()) return calls.status();
  daemon->calls_ = std::move(calls).value();
  if (Status started = daemon->StartMachine(); !started.ok()) return started;
  return daemon;
}

Daemon::Daemon(DaemonOptions options) : options_(std::move(options)) {}

Daemon::~Daemon() {
  if (calls_) calls_->Shutdown();  // callbacks still waiting fail before the machine goes
  machine_.reset();
}

Json Daemon::RunCall(const std::string& user, const std::string& method, const Json& args,
                     const serving::CallContext& context) {
  if (serving::IsBackendMethod(method)) {
    if (user.empty()) return remote::StatusToJson(Status::InvalidArg(method + " needs a \"user\""));
    return serving::CallBackend(machine_->Connection(user), method, args, context);
  }
  try {
    return RunServiceCall(method, args);
  } catch (const std::exception& error) {
    return remote::StatusToJson(
        Status::InvalidArg(method + ": malformed arguments " + args.dump() + ": " + error.what()));
  }
}

Json Daemon::RunServiceCall(const std::string& method, const Json& args) {
  namespace m = remote::methods;
  const auto deadline = [&] { return remote::FromNanoseconds(args.at("deadline").get<std::int64_t>()); };
  if (method == m::kClockNow) return WithValue(remote::ToNanoseconds(machine_->Now()));
  if (method == m::kClockStep) {
    int checks = 0;  // RunUntil asks before the first event and after each: one event, then done
    return MoveClock([&] { return ++checks > 1; }, deadline(), false);
  }
  if (method == m::kClockAdvance) {
    return MoveClock([] { return false; }, machine_->Now() + std::chrono::nanoseconds(args.at("ns").get<std::int64_t>()),
                     false);
  }
  if (method == m::kClockRunUntilIdle) return MoveClock({}, deadline(), true);
  if (method == m::kServiceAddUser) {
    machine_->bits().AddUser(args.at("name").get<std::string>(), args.value("admin", false),
                             args.value("logged_on", true));
    return remote::StatusToJson(Status::Ok());
  }
  if (method == m::kServiceRestart) {
    if (moving_clock_) return remote::StatusToJson(Status(kCantCallOut, "the service cannot restart inside a callback"));
    return remote::StatusToJson(machine_->Restart());
  }
  if (method == m::kServiceTrace) {
    Json lines = Json::array();
    for (const fake::LogEvent& event : machine_->bits().log().events()) {
      lines.push_back(machine_->Neutral(fake::EventLog::FormatLine(event)));
    }
    return WithValue(std::move(lines));
  }
  if (method == m::kServiceReset || method == m::kServiceLoadScenario) {
    if (moving_clock_) return remote::StatusToJson(Status(kCantCallOut, method + " cannot run inside a callback"));
    if (method == m::kServiceLoadScenario) {
      if (Status loaded = LoadScenario(args.at("path").get<std::string>()); !loaded.ok()) {
        return remote::StatusToJson(loaded);  // the machine as it was
      }
    }
    Status started = StartMachine();
    if (!started.ok() && machine_ == nullptr) {
      stopped_why_ = method + " could not start a new machine: " + started.ToString();
      Stop();
    }
    return remote::StatusToJson(started);
  }
  if (method == m::kServerRequests) return WithValue(machine_->Neutral(machine_->server().log().ToText()));
  if (method == m::kServerUrl) return WithValue(machine_->server().base_url());
  if (method == m::kServerAddFile) {
    const Result<server::GeneratedFileSpec> file = server::DecodeGeneratedFile(Params(args));
    if (!file.ok()) return remote::StatusToJson(file.status());
    machine_->server().AddGeneratedFile(file->path, file->size, file->seed);
    return remote::StatusToJson(Status::Ok());
  }
  if (method == m::kServerAddFault) {
    const Result<server::ServerFault> fault = server::DecodeFault(Params(args));
    if (!fault.ok()) return remote::StatusToJson(fault.status());
    const std::optional<int> id = machine_->server().AddFault(*fault);
    if (!id) return remote::StatusToJson(Status(hr::kFail, "the file server holds as many faults as it takes"));
    return WithValue(*id);
  }
  if (method == m::kNetworkSet) {
    fake::FakeBitsService& bits = machine_->bits();
    if (args.contains("available")) bits.SetNetworkAvailable(args["available"].get<bool>());
    if (args.contains("bandwidth")) bits.SetBandwidth(args["bandwidth"].get<std::uint64_t>());
    if (args.contains("latency_ns")) bits.SetRequestLatency(std::chrono::nanoseconds(args["latency_ns"].get<std::int64_t>()));
    return remote::StatusToJson(Status::Ok());
  }
  if (method == m::kNetworkDrop) {
    machine_->bits().DropConnections();
    return remote::StatusToJson(Status::Ok());
  }
  if (method == m::kServiceShutdown) {
    stopped_why_ = "a client asked (service.shutdown)";
    Stop();
    return remote::StatusToJson(Status::Ok());
  }
  return remote::StatusToJson(Status::NotImplemented("bitshd has no method \"" + method + "\""));
}

Status Daemon::LoadScenario(const std::filesystem::path& path) {
  scenarios::LoadResult loaded = scenarios::LoadScenarioFile(path);
  if (!loaded.scenario) {
    std::string errors;
    for (const scenarios::LoadError& error : loaded.errors) errors += "\n" + error.ToString();
    return Status::InvalidArg("the scenario " + path.string() + " does not load:" + errors);
  }
  scenario_ = std::move(loaded.scenario);
  return Status::Ok();
}

Status Daemon::StartMachine() {
  machine_.reset();  // its work folder goes first: a new one is made beside it
  sim::MachineOptions options = options_.machine;
  if (scenario_) {
    scenario_machine_ = std::make_unique<scenarios::ScenarioMachine>(*scenario_, scenario_->seed);
    options = scenario_machine_->Options();
    options.work_root = options_.machine.work_root;
    options.work_prefix = options_.machine.work_prefix;
    options.keep_work = options_.machine.keep_work;
    options.persistent_queue = true;  // service.restart
    options.limits = options_.machine.limits;
    for (const auto& drive : options_.machine.bits.windows_paths) options.bits.windows_paths.insert(drive);
  }
  Result<std::unique_ptr<sim::Machine>> machine = sim::Machine::Start(std::move(options));
  if (!machine.ok()) return machine.status();
  machine_ = std::move(machine).value();
  if (scenario_machine_) return scenario_machine_->Prepare(*machine_);
  return Status::Ok();
}

Json Daemon::MoveClock(const std::function<bool()>& done, TimePoint deadline, bool until_idle) {
  if (moving_clock_) {
    return remote::StatusToJson(
        Status(kCantCallOut, "the clock is moving already: a call made from a callback cannot move it"));
  }
  moving_clock_ = true;
  // A stop ends the run at the next event: a long advance does not hold bitshd up.
  const auto done_or_stopping = [&] { return stop_requested_ || (until_idle ? machine_->Idle() : done()); };
  const sim::RunOutcome outcome = machine_->RunUntil(done_or_stopping, deadline);
  moving_clock_ = false;
  const bool failed = outcome.end != sim::RunEnd::kDone && outcome.end != sim::RunEnd::kDeadline;
  const Status status = stop_requested_ ? Status(hr::kFail, "bitshd is stopping")
                        : failed        ? Status(hr::kFail, outcome.why)
                                        : Status::Ok();
  Json answer = remote::StatusToJson(status);
  answer["value"] = {{"events", outcome.events},
                     {"now", remote::ToNanoseconds(machine_->Now())},
                     {"done", outcome.end == sim::RunEnd::kDone && !stop_requested_}};
  return answer;
}

// Virtual time keeps pace with real time while clients are busy: a program that polls every few
// milliseconds (and so never leaves bitshd quiet) still sees its transfers move and its jobs age.
void Daemon::KeepPaceWithRealTime() {
  const std::int64_t now_ns = serving::SteadyNanoseconds();
  const auto behind = std::chrono::nanoseconds(now_ns - paced_at_ns_);
  if (behind < std::chrono::milliseconds(1)) return;
  paced_at_ns_ = now_ns;
  static_cast<void>(MoveClock([] { return false; }, machine_->Now() + std::chrono::duration_cast<Duration>(behind), false));
}

bool Daemon::AutoAdvanceOnce() {
  const std::optional<TimePoint> next = machine_->bits().events().NextEventTime();
  if (!next) return false;
  int checks = 0;
  const Json answer = MoveClock([&] { return ++checks > 1; }, std::max(*next, machine_->Now()), false);
  return answer.at("value").at("events").get<std::uint64_t>() > 0;
}

std::string Daemon::Run() {
  const pid_t parent = ::getppid();
  run_started_ns_ = serving::SteadyNanoseconds();
  paced_at_ns_ = serving::SteadyNanoseconds();
  constexpr std::chrono::milliseconds kTick(100);  // how soon a stop, a dead parent or idleness is seen
  while (!stop_requested_) {
    if (options_.auto_advance) KeepPaceWithRealTime();
    const std::int64_t now_ns = serving::SteadyNanoseconds();
    const auto quiet = std::chrono::nanoseconds(now_ns - std::max(run_started_ns_, calls_->last_call_ns()));
    const auto idle = std::chrono::nanoseconds(now_ns - std::max(run_started_ns_, calls_->last_request_ns()));
    const bool advance = options_.auto_advance && quiet >= *options_.auto_advance;
    const auto wait = options_.auto_advance && !advance
                          ? std::min(kTick, std::chrono::ceil<std::chrono::milliseconds>(*options_.auto_advance - quiet))
                          : kTick;
    if (calls_->RunNext(advance ? std::chrono::milliseconds(0) : wait)) continue;
    if (options_.exit_with_parent && ::getppid() != parent) {
      stopped_why_ = "the process that started bitshd ended";
      break;
    }
    if (options_.exit_when_idle && idle >= *options_.exit_when_idle) {
      stopped_why_ = "no request for " + std::to_string(options_.exit_when_idle->count()) + " s";
      break;
    }
    if (advance && !AutoAdvanceOnce()) {
      // Nothing scheduled: wait for a call, which may schedule something.
      static_cast<void>(calls_->RunNext(kTick));
    }
  }
  if (stopped_why_.empty()) stopped_why_ = "stopped";
  calls_->Shutdown();
  return stopped_why_;
}

}  // namespace bitsh::bitshd
