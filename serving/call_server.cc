#include "serving/call_server.h"

#include <fcntl.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <random>

#include "server/control_guard.h"
#include "serving/remote_callback.h"

namespace bitsh::serving {

using remote::Json;

std::int64_t SteadyNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

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

}  // namespace

Result<std::unique_ptr<CallServer>> CallServer::Start(CallServerOptions options, Handler handler,
                                                      std::function<bool(std::string_view)> exclusive) {
  const bool v6 = options.host.find(':') != std::string::npos;
  if (!server::IsLoopbackAuthority(v6 ? "[" + options.host + "]" : options.host)) {
    return Status::InvalidArg("bitshd's protocol is served on loopback only, not on " + options.host);
  }
  if (options.token_file.empty()) return Status::InvalidArg("a CallServer needs a token file");
  std::unique_ptr<CallServer> server(new CallServer(std::move(options), std::move(handler), std::move(exclusive)));
  server->context_.make_callback = [server = server.get()](CallbackAddress address, const WindowsPaths* paths) {
    return std::make_shared<RemoteCallback>(server->exchange_, address, server->options_.callback_timeout, paths);
  };
  server->context_.address_of = [](const std::shared_ptr<JobCallback>& callback) -> std::optional<CallbackAddress> {
    const auto* remote = dynamic_cast<const RemoteCallback*>(callback.get());
    return remote ? std::optional(remote->address()) : std::nullopt;
  };
  server->token_ = NewToken();
  if (Status written = WriteTokenFile(server->options_.token_file, server->token_); !written.ok()) return written;
  server->token_file_ = server->options_.token_file;
  if (Status listening = server->Listen(); !listening.ok()) return listening;
  server->last_request_ns_ = SteadyNanoseconds();
  server->last_call_ns_ = SteadyNanoseconds();
  return server;
}

CallServer::CallServer(CallServerOptions options, Handler handler, std::function<bool(std::string_view)> exclusive)
    : options_(std::move(options)), handler_(std::move(handler)), exclusive_(std::move(exclusive)) {}

CallServer::~CallServer() {
  exchange_->Shutdown();
  if (http_) http_->stop();
  if (http_thread_.joinable()) http_thread_.join();
  if (!token_file_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(token_file_, ignored);
  }
}

Status CallServer::Listen() {
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
    Reply(response, 200, {{"apartment", exchange_->OpenApartment(windows_paths)}});
  });
  http_->Post("/v1/close", [this](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Json> body = ParseBody(request, response);
    if (!body) return;
    try {
      const auto apartment = remote::Field<std::uint64_t>(*body, "apartment");
      if (!exchange_->IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "/v1/close: no open apartment " + std::to_string(apartment)}});
      }
      exchange_->CloseApartment(apartment);
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
      if (!exchange_->IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "no open apartment " + std::to_string(apartment)}});
      }
      if (method != remote::methods::kPump) last_call_ns_ = SteadyNanoseconds();  // a pump lets time move
      if (method == remote::methods::kPump) {
        return Reply(response, 200,
                     exchange_->AwaitNotification(apartment, std::chrono::milliseconds(remote::Field<std::int64_t>(args, "ms"))));
      }
      const bool windows_paths = exchange_->UsesWindowsPaths(apartment);
      const std::uint64_t call = exchange_->Submit(
          apartment, [this, user, method, args, windows_paths] { return Run(user, method, args, windows_paths); },
          exclusive_ && exclusive_(method));
      Reply(response, 200, exchange_->Await(apartment, call));
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
      if (!exchange_->IsOpen(apartment)) {
        return Reply(response, 404, {{"error", "/v1/reply: no open apartment " + std::to_string(apartment)}});
      }
      // A reply that comes too late (the event counted the callback as failed at its timeout) is
      // dropped; the call it interrupted goes on all the same.
      static_cast<void>(exchange_->Reply(apartment, notification, remote::StatusFromJson(*body)));
      // Call 0 is a pump's: it goes on with the next notification, if one is queued already.
      Reply(response, 200,
            call == 0 ? exchange_->AwaitNotification(apartment, std::chrono::milliseconds(0)) : exchange_->Await(apartment, call));
    } catch (const std::exception& error) {
      Reply(response, 400, {{"error", "/v1/reply: " + std::string(error.what())}});
    }
  });

  const int port = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                                      : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port < 0) {
    return Status(hr::kFail, "cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  const bool v6 = options_.host.find(':') != std::string::npos;
  url_ = "http://" + (v6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port);
  http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  // Server::stop() does nothing until the listening loop runs: a daemon stopped at once would
  // otherwise never see its server end.
  for (int i = 0; i < 5000 && !http_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

Json CallServer::Run(const std::string& user, const std::string& method, const Json& args, bool windows_paths) {
  CallContext context = context_;
  if (windows_paths) context.paths = &options_.windows_paths;
  return handler_(user, method, args, context);
}

CallServer::Handler ServeOneUser(Backend& backend, std::string user) {
  return [&backend, user = std::move(user)](const std::string& caller, const std::string& method, const Json& args,
                                            const CallContext& context) {
    if (!IsBackendMethod(method)) {
      return remote::StatusToJson(Status::NotImplemented(
          method + ": this server answers the Backend's calls only; the clock and the service are the run's"));
    }
    if (caller != user) {
      return remote::StatusToJson(Status(hr::kAccessDenied, method + ": this server serves user '" + user +
                                                                "' only, not '" + caller + "'"));
    }
    return CallBackend(backend, method, args, context);
  };
}

}  // namespace bitsh::serving
