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

// A successful result carrying `value`.
Json WithValue(Json value) {
  Json answer = remote::StatusToJson(Status::Ok());
  answer["value"] = std::move(value);
  return answer;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::Start(DaemonOptions options) {
  if (!server::IsLoopbackAuthority(options.host)) {
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
  Result<std::unique_ptr<sim::Machine>> machine = sim::Machine::Start(daemon->options_.machine);
  if (!machine.ok()) return machine.status();
  daemon->machine_ = std::move(machine).value();
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
  // One thread per request in flight: an apartment has at most one, plus the replies to its
  // notifications; 32 is many clients.
  http_->new_task_queue = [] { return new httplib::ThreadPool(32); };
  http_->set_tcp_nodelay(true);  // answers are small single writes: no Nagle delay
  // A client keeps one connection for all its calls (remote/rpc_http_socket.cc): no cap on the
  // requests a connection carries, and a minute of quiet before it is closed.
  http_->set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
  http_->set_keep_alive_timeout(60);
  http_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    last_request_ns_ = SteadyNanoseconds();
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
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->Post("/v1/open", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    const bool windows_paths = body->value("paths", std::string("host")) == "windows";
    if (windows_paths && options_.windows_paths.empty()) {
      return Reply(response, 400, {{"error", "/v1/open: this bitshd maps no Windows drive for a client with Windows "
                                             "paths: start it with --wine-prefix PREFIX or --windows-drive C:=FOLDER"}});
    }
    Reply(response, 200, {{"apartment", exchange_.OpenApartment(windows_paths)}});
  });
  http_->Post("/v1/close", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    exchange_.CloseApartment(body->value("apartment", std::uint64_t{0}));
    Reply(response, 200, Json::object());
  });
  http_->Post("/v1/call", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    try {
      const auto apartment = body->at("apartment").get<std::uint64_t>();
      const auto user = body->value("user", std::string());
      const auto method = body->at("method").get<std::string>();
      const Json args = body->value("args", Json::object());
      if (!exchange_.IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "no open apartment " + std::to_string(apartment)}});
      }
      if (method == remote::methods::kPump) {
        return Reply(response, 200,
                     exchange_.AwaitNotification(apartment, std::chrono::milliseconds(args.value("ms", 0))));
      }
      const bool windows_paths = exchange_.UsesWindowsPaths(apartment);
      const std::uint64_t call = exchange_.Submit(
          apartment, [this, user, method, args, windows_paths] { return RunCall(user, method, args, windows_paths); });
      Reply(response, 200, exchange_.Await(apartment, call));
    } catch (const std::exception& error) {
      Reply(response, 400, {{"error", "/v1/call: " + std::string(error.what())}});
    }
  });
  http_->Post("/v1/reply", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    try {
      const auto apartment = body->at("apartment").get<std::uint64_t>();
      const auto call = body->at("call").get<std::uint64_t>();
      const auto notification = body->at("notification").get<std::uint64_t>();
      if (!exchange_.Reply(apartment, notification, remote::StatusFromJson(*body))) {
        return Reply(response, 404, {{"error", "no open apartment " + std::to_string(apartment)}});
      }
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
  if (method == m::kServiceReset) {
    if (moving_clock_) return remote::StatusToJson(Status(kCantCallOut, "the service cannot be reset inside a callback"));
    machine_.reset();  // its work folder goes first: a new one is made beside it
    Result<std::unique_ptr<sim::Machine>> machine = sim::Machine::Start(options_.machine);
    if (!machine.ok()) {
      stopped_why_ = "service.reset could not start a new machine: " + machine.status().ToString();
      Stop();
      return remote::StatusToJson(machine.status());
    }
    machine_ = std::move(machine).value();
    return remote::StatusToJson(Status::Ok());
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

Json Daemon::MoveClock(const std::function<bool()>& done, TimePoint deadline, bool until_idle) {
  if (moving_clock_) {
    return remote::StatusToJson(
        Status(kCantCallOut, "the clock is moving already: a call made from a callback cannot move it"));
  }
  moving_clock_ = true;
  const sim::RunOutcome outcome = until_idle ? machine_->RunUntilIdle(deadline) : machine_->RunUntil(done, deadline);
  moving_clock_ = false;
  const bool failed = outcome.end != sim::RunEnd::kDone && outcome.end != sim::RunEnd::kDeadline;
  Json answer = remote::StatusToJson(failed ? Status(hr::kFail, outcome.why) : Status::Ok());
  answer["value"] = {{"events", outcome.events},
                     {"now", remote::ToNanoseconds(machine_->Now())},
                     {"done", outcome.end == sim::RunEnd::kDone}};
  return answer;
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
  constexpr std::chrono::milliseconds kTick(100);  // how soon a stop, a dead parent or idleness is seen
  while (!stop_requested_) {
    const auto quiet = std::chrono::nanoseconds(SteadyNanoseconds() - last_request_ns_);
    const bool advance = options_.auto_advance && quiet >= *options_.auto_advance;
    const auto wait = options_.auto_advance && !advance
                          ? std::min(kTick, std::chrono::ceil<std::chrono::milliseconds>(*options_.auto_advance - quiet))
                          : kTick;
    if (exchange_.RunNext(advance ? std::chrono::milliseconds(0) : wait)) continue;
    if (options_.exit_with_parent && ::getppid() != parent) {
      stopped_why_ = "the process that started bitshd ended";
      break;
    }
    if (options_.exit_when_idle && quiet >= *options_.exit_when_idle) {
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
