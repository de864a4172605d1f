#include "bitshd/daemon.h"

#include <fcntl.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <random>

#include "bitshd/remote_callback.h"
#include "fake/event_log.h"
#include "scenarios/scenario_loader.h"
#include "server/control_guard.h"
#include "server/control_protocol.h"

namespace bitsh::bitshd {
namespace {

using remote::Json;

constexpr HResult kCantCallOut = 0x8001010D;  // RPC_E_CANTCALLOUT_ININPUTSYNCCALL (winerror.h)

std::int64_t SteadyNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// 32 random bytes in hex, from the system's random source (std::random_device reads the
// kernel's on Linux): the token is what keeps other users' programs out.
std::string NewToken() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (int i = 0; i < 32; ++i) {
    const unsigned byte = random() & 0xFF;
    token += kHex[byte >> 4];
    token += kHex[byte & 0xF];
  }
  return token;
}

// Creates `path` new with mode 0600 and writes `token` to it; never replaces a file.
Status WriteTokenFile(const std::filesystem::path& path, const std::string& token) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status(hr::kFail, "cannot create the token file " + path.string() + ": " + std::strerror(errno));
  const std::string line = token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const int saved = errno;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(path);
    return Status(hr::kFail, "cannot write the token file " + path.string() + ": " + std::strerror(saved));
  }
  return Status::Ok();
}

// Compares in time that does not depend on where the first difference is.
bool SameToken(std::string_view given, std::string_view token) {
  if (given.size() != token.size()) return false;
  unsigned difference = 0;
  for (std::size_t i = 0; i < token.size(); ++i) difference |= static_cast<unsigned char>(given[i] ^ token[i]);
  return difference == 0;
}

void Reply(httplib::Response& response, int status, const Json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

// The request's JSON body, or a 400 already set on `response`.
std::optional<Json> ParseBody(const httplib::Request& request, httplib::Response& response) {
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    Reply(response, 400, {{"error", request.path + ": the body is not a JSON object"}});
    return std::nullopt;
  }
  return body;
}

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
  if (Status started = daemon->StartMachine(); !started.ok()) return started;
  daemon->context_.make_callback = [daemon = daemon.get()](CallbackAddress address, const WindowsPaths* paths) {
    return std::make_shared<RemoteCallback>(daemon->exchange_, address, daemon->options_.callback_timeout, paths);
  };
  daemon->context_.address_of = [](const std::shared_ptr<JobCallback>& callback) -> std::optional<CallbackAddress> {
    const auto* remote = dynamic_cast<const RemoteCallback*>(callback.get());
    return remote ? std::optional(remote->address()) : std::nullopt;
  };
  daemon->token_ = NewToken();
  daemon->token_file_ = daemon->options_.token_file.empty() ? daemon->folder_->path() / "bitshd.token"
                                                             : daemon->options_.token_file;
  if (Status written = WriteTokenFile(daemon->token_file_, daemon->token_); !written.ok()) {
    daemon->token_file_.clear();  // not ours to remove
    return written;
  }
  if (Status listening = daemon->Listen(); !listening.ok()) return listening;
  return daemon;
}

Daemon::Daemon(DaemonOptions options) : options_(std::move(options)) {}

Daemon::~Daemon() {
  exchange_.Shutdown();
  if (http_) http_->stop();
  if (http_thread_.joinable()) http_thread_.join();
  if (!token_file_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(token_file_, ignored);
  }
}

Status Daemon::Listen() {
  http_ = std::make_unique<httplib::Server>();
  // cpp-httplib gives each open connection a worker for its life: a client keeps one connection
  // (remote/rpc_http_socket.cc), kept alive between its calls, so this is how many clients can be
  // connected at once. No cap on the requests a connection carries; five seconds of quiet close it
  // (the client reconnects before that), which also bounds how long a stop waits for idle ones.
  http_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  http_->set_tcp_nodelay(true);  // answers are small single writes: no Nagle delay
  http_->set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
  http_->set_keep_alive_timeout(5);
  http_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    const std::string refusal =
        server::ControlRequestRefusal(request.get_header_value("Host"), request.get_header_value("Origin"));
    if (!refusal.empty()) {
      Reply(response, 403, {{"error", refusal}});
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!SameToken(request.get_header_value("Authorization"), "Bearer " + token_)) {
      Reply(response, 401, {{"error", "a request to bitshd needs \"Authorization: Bearer <token>\", the token in " +
                                          token_file_.string()}});
      return httplib::Server::HandlerResponse::Handled;
    }
    // Only what may call counts as activity. Every request but a pump also holds virtual time
    // (auto_advance): the handlers below say so once they know the method.
    last_request_ns_ = SteadyNanoseconds();
    if (request.path != "/v1/call") last_call_ns_ = SteadyNanoseconds();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->Post("/v1/open", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    const Json paths = body->value("paths", Json("host"));
    if (paths != "host" && paths != "windows") {
      return Reply(response, 400, {{"error", "/v1/open: member \"paths\" is \"host\" or \"windows\", not " + paths.dump()}});
    }
    const bool windows_paths = paths == "windows";
    if (windows_paths && options_.windows_paths.empty()) {
      return Reply(response, 400, {{"error", "/v1/open: this bitshd maps no Windows drive for a client with Windows "
                                             "paths: start it with --wine-prefix PREFIX or --windows-drive C:=FOLDER"}});
    }
    Reply(response, 200, {{"apartment", exchange_.OpenApartment(windows_paths)}});
  });
  http_->Post("/v1/close", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    try {
      const auto apartment = remote::Field<std::uint64_t>(*body, "apartment");
      if (!exchange_.IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "/v1/close: no open apartment " + std::to_string(apartment)}});
      }
      exchange_.CloseApartment(apartment);
      Reply(response, 200, Json::object());
    } catch (const std::exception& error) {
      Reply(response, 400, {{"error", "/v1/close: " + std::string(error.what())}});
    }
  });
  http_->Post("/v1/call", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    try {
      const auto apartment = remote::Field<std::uint64_t>(*body, "apartment");
      const auto user = body->contains("user") ? remote::Field<std::string>(*body, "user") : std::string();
      const auto method = remote::Field<std::string>(*body, "method");
      const Json args = body->contains("args") ? remote::Field<Json>(*body, "args") : Json::object();
      if (!exchange_.IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "no open apartment " + std::to_string(apartment)}});
      }
      if (method != remote::methods::kPump) last_call_ns_ = SteadyNanoseconds();  // a pump lets time move
      if (method == remote::methods::kPump) {
        return Reply(response, 200,
                     exchange_.AwaitNotification(apartment, std::chrono::milliseconds(remote::Field<std::int64_t>(args, "ms"))));
      }
      const bool windows_paths = exchange_.UsesWindowsPaths(apartment);
      const std::uint64_t call = exchange_.Submit(
          apartment, [this, user, method, args, windows_paths] { return RunCall(user, method, args, windows_paths); },
          IsExclusive(method));
      Reply(response, 200, exchange_.Await(apartment, call));
    } catch (const std::exception& error) {
      Reply(response, 400, {{"error", "/v1/call: " + std::string(error.what())}});
    }
  });
  http_->Post("/v1/reply", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    try {
      const auto apartment = remote::Field<std::uint64_t>(*body, "apartment");
      const auto call = remote::Field<std::uint64_t>(*body, "call");
      const auto notification = remote::Field<std::uint64_t>(*body, "notification");
      static_cast<void>(remote::Field<std::int64_t>(*body, "hr"));  // a reply must say how the callback did
      if (!exchange_.IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "/v1/reply: no open apartment " + std::to_string(apartment)}});
      }
      // A reply that comes too late (the event counted the callback as failed at its timeout) is
      // dropped; the call it interrupted goes on all the same.
      static_cast<void>(exchange_.Reply(apartment, notification, remote::StatusFromJson(*body)));
      // Call 0 is a pump's: it goes on with the next notification, if one is queued already.
      Reply(response, 200,
            call == 0 ? exchange_.AwaitNotification(apartment, std::chrono::milliseconds(0)) : exchange_.Await(apartment, call));
    } catch (const std::exception& error) {
      Reply(response, 400, {{"error", "/v1/reply: " + std::string(error.what())}});
    }
  });

  const int port = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                                      : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port < 0) {
    return Status(hr::kFail, "bitshd cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  const bool v6 = options_.host.find(':') != std::string::npos;
  url_ = "http://" + (v6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port);
  http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  // Server::stop() does nothing until the listening loop runs: a daemon stopped at once would
  // otherwise never see its server end.
  for (int i = 0; i < 5000 && !http_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

Json Daemon::RunCall(const std::string& user, const std::string& method, const Json& args, bool windows_paths) {
  if (IsBackendMethod(method)) {
    if (user.empty()) return remote::StatusToJson(Status::InvalidArg(method + " needs a \"user\""));
    CallContext context = context_;
    if (windows_paths) context.paths = &options_.windows_paths;
    return CallBackend(machine_->Connection(user), method, args, context);
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
  const std::int64_t now_ns = SteadyNanoseconds();
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
  last_request_ns_ = SteadyNanoseconds();
  last_call_ns_ = SteadyNanoseconds();
  paced_at_ns_ = SteadyNanoseconds();
  constexpr std::chrono::milliseconds kTick(100);  // how soon a stop, a dead parent or idleness is seen
  while (!stop_requested_) {
    if (options_.auto_advance) KeepPaceWithRealTime();
    const auto quiet = std::chrono::nanoseconds(SteadyNanoseconds() - last_call_ns_);
    const auto idle = std::chrono::nanoseconds(SteadyNanoseconds() - last_request_ns_);
    const bool advance = options_.auto_advance && quiet >= *options_.auto_advance;
    const auto wait = options_.auto_advance && !advance
                          ? std::min(kTick, std::chrono::ceil<std::chrono::milliseconds>(*options_.auto_advance - quiet))
                          : kTick;
    if (exchange_.RunNext(advance ? std::chrono::milliseconds(0) : wait)) continue;
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
      static_cast<void>(exchange_.RunNext(kTick));
    }
  }
  if (stopped_why_.empty()) stopped_why_ = "stopped";
  exchange_.Shutdown();
  return stopped_why_;
}

}  // namespace bitsh::bitshd
