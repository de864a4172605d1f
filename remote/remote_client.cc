#include "remote/remote_client.h"

#include <fstream>
#include <utility>

#include "remote/remote_backend.h"

namespace bitsh::remote {
namespace {

Status Failed(std::string why) { return Status(hr::kFail, std::move(why)); }

// The "value" of a result object, or the failure it carries.
Result<Json> ValueOf(const Json& result) {
  Status status = StatusFromJson(result);
  if (!status.ok()) return status;
  return result.contains("value") ? result["value"] : Json(nullptr);
}

}  // namespace

RemoteClient::RemoteClient(std::string url, std::string token)
    : url_(std::move(url)), token_(std::move(token)), http_(RpcHttp::Connect(url_, token_)) {}

Result<std::unique_ptr<RemoteClient>> RemoteClient::Open(const std::string& url, const std::string& token,
                                                         PathStyle paths) {
  std::unique_ptr<RemoteClient> client(new RemoteClient(url, token));
  Result<Json> opened = client->Post("/v1/open", Json{{"paths", paths == PathStyle::kWindows ? "windows" : "host"}});
  if (!opened.ok()) return opened.status();
  if (!opened->contains("apartment") || !(*opened)["apartment"].is_number_unsigned()) {
    return Failed("bitshd at " + url + " opened no apartment: " + opened->dump());
  }
  client->apartment_ = (*opened)["apartment"].get<std::uint64_t>();
  return client;
}

Result<std::unique_ptr<RemoteClient>> RemoteClient::FromListeningLine(std::string_view line) {
  constexpr std::string_view kTokenFile = " token-file ";
  const std::size_t token_at = line.find(kTokenFile);
  if (!line.starts_with(kListeningLine) || token_at == std::string_view::npos) {
    return Status::InvalidArg("not bitshd's listening line: \"" + std::string(line) + "\"");
  }
  const std::string url(line.substr(kListeningLine.size(), token_at - kListeningLine.size()));
  const std::string path(line.substr(token_at + kTokenFile.size()));
  std::ifstream file(path);
  std::string token;
  if (!std::getline(file, token) || token.empty()) return Failed("cannot read bitshd's token from " + path);
  return Open(url, token);
}

RemoteClient::~RemoteClient() {
  if (apartment_ != 0) static_cast<void>(Post("/v1/close", Json{{"apartment", apartment_}}));
}

std::unique_ptr<Backend> RemoteClient::Connect(const std::string& user) {
  return std::make_unique<RemoteBackend>(*this, user);
}

Result<Json> RemoteClient::Post(const std::string& path, const Json& body) {
  const Result<RpcHttp::Reply> reply = http_->Post(path, body.dump());
  if (!reply.ok()) return Status(reply.status().code(), "POST " + path + ": " + reply.status().message());
  Json answer = Json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
  if (reply->status == 401 || reply->status == 403) {
    return Status::AccessDenied("bitshd at " + url_ + " refused " + path + ": " + reply->body);
  }
  if (reply->status != 200 || answer.is_discarded() || !answer.is_object()) {
    return Failed("POST " + url_ + path + ": HTTP " + std::to_string(reply->status) + ": " + reply->body);
  }
  return answer;
}

Json RemoteClient::Call(const std::string& user, std::string_view method, Json args) {
  Json request = {{"apartment", apartment_}, {"method", method}, {"args", std::move(args)}};
  if (!user.empty()) request["user"] = user;
  return Finish(Post("/v1/call", request), method);
}

Json RemoteClient::Finish(Result<Json> answer, std::string_view method) {
  for (;;) {
    if (!answer.ok()) return StatusToJson(Status(answer.status().code(), std::string(method) + ": " + answer.status().message()));
    if (answer->contains("result")) return (*answer)["result"];
    if (!answer->contains("notification") || !answer->contains("call")) {
      return StatusToJson(Failed(std::string(method) + ": bitshd answered neither a result nor a notification: " +
                                 answer->dump()));
    }
    const Json& notification = (*answer)["notification"];
    const Status replied = RunCallback(notification);
    Json reply = StatusToJson(replied);
    reply["apartment"] = apartment_;
    reply["call"] = (*answer)["call"];
    reply["notification"] = notification.value("id", std::uint64_t{0});
    answer = Post("/v1/reply", reply);
  }
}

Status RemoteClient::RunCallback(const Json& notification) {
  try {
    const auto found = callbacks_.find(notification.at("callback").get<std::uint64_t>());
    if (found == callbacks_.end()) return Failed("no callback numbered " + notification.at("callback").dump());
    JobCallback& callback = *found->second;
    const JobId job = notification.at("job").get<JobId>();
    const std::string method = notification.at("method").get<std::string>();
    if (method == "JobTransferred") return callback.JobTransferred(job);
    if (method == "JobError") return callback.JobError(job, notification.at("error").get<JobError>());
    if (method == "JobModification") return callback.JobModification(job);
    if (method == "FileTransferred") return callback.FileTransferred(job, notification.at("file").get<FileStatus>());
    return Status::NotImplemented("no callback method " + method);
  } catch (const std::exception& error) {
    return Failed("a malformed notification " + notification.dump() + ": " + error.what());
  }
}

std::uint64_t RemoteClient::NumberOf(const std::shared_ptr<JobCallback>& callback) {
  if (const auto found = numbers_.find(callback.get()); found != numbers_.end()) return found->second;
  const std::uint64_t number = callbacks_.size() + 1;
  callbacks_.emplace(number, callback);
  numbers_.emplace(callback.get(), number);
  return number;
}

std::shared_ptr<JobCallback> RemoteClient::CallbackNumbered(std::uint64_t apartment, std::uint64_t number) const {
  if (apartment != apartment_) return nullptr;
  const auto found = callbacks_.find(number);
  return found == callbacks_.end() ? nullptr : found->second;
}

Status RemoteClient::ServiceCall(std::string_view method, Json args) {
  return StatusFromJson(Call("", method, std::move(args)));
}

Result<TimePoint> RemoteClient::Now() {
  const Result<Json> now = ValueOf(Call("", methods::kClockNow, Json::object()));
  if (!now.ok()) return now.status();
  return FromNanoseconds(now->get<std::int64_t>());
}

bool RemoteClient::WaitUntil(const std::function<bool()>& done, Duration limit) {
  const Result<TimePoint> now = Now();
  if (!now.ok()) return done();
  const std::int64_t deadline = ToNanoseconds(*now + limit);
  for (;;) {
    if (done()) return true;
    const Result<Json> step = ValueOf(Call("", methods::kClockStep, Json{{"deadline", deadline}}));
    if (!step.ok() || step->value("events", 0) == 0) return done();
  }
}

Status RemoteClient::AdvanceBy(Duration by) {
  return ServiceCall(methods::kClockAdvance, Json{{"ns", std::chrono::nanoseconds(by).count()}});
}

Status RemoteClient::RunUntilIdle(Duration limit) {
  const Result<TimePoint> now = Now();
  if (!now.ok()) return now.status();
  return ServiceCall(methods::kClockRunUntilIdle, Json{{"deadline", ToNanoseconds(*now + limit)}});
}

Status RemoteClient::AddUser(const std::string& name, bool is_admin, bool logged_on) {
  return ServiceCall(methods::kServiceAddUser, Json{{"name", name}, {"admin", is_admin}, {"logged_on", logged_on}});
}

Status RemoteClient::Restart() { return ServiceCall(methods::kServiceRestart, Json::object()); }

Status RemoteClient::Reset() { return ServiceCall(methods::kServiceReset, Json::object()); }

Status RemoteClient::LoadScenario(const std::string& path) {
  return ServiceCall(methods::kServiceLoadScenario, Json{{"path", path}});
}

Result<std::vector<std::string>> RemoteClient::Trace() {
  const Result<Json> lines = ValueOf(Call("", methods::kServiceTrace, Json::object()));
  if (!lines.ok()) return lines.status();
  try {
    return lines->get<std::vector<std::string>>();
  } catch (const std::exception& error) {
    return Failed(std::string("service.trace: not a list of lines: ") + error.what());
  }
}

Result<std::string> RemoteClient::ServerUrl() {
  const Result<Json> url = ValueOf(Call("", methods::kServerUrl, Json::object()));
  if (!url.ok()) return url.status();
  if (!url->is_string()) return Failed("server.url: not text: " + url->dump());
  return url->get<std::string>();
}

Status RemoteClient::AddServerFile(const std::map<std::string, std::string>& params) {
  return ServiceCall(methods::kServerAddFile, Json(params));
}

Result<int> RemoteClient::AddServerFault(const std::map<std::string, std::string>& params) {
  const Result<Json> id = ValueOf(Call("", methods::kServerAddFault, Json(params)));
  if (!id.ok()) return id.status();
  if (!id->is_number_integer()) return Failed("server.add_fault: not an id: " + id->dump());
  return id->get<int>();
}

Status RemoteClient::SetNetworkAvailable(bool available) {
  return ServiceCall(methods::kNetworkSet, Json{{"available", available}});
}

Status RemoteClient::DropConnections() { return ServiceCall(methods::kNetworkDrop, Json::object()); }

Result<std::string> RemoteClient::ServerRequests() {
  const Result<Json> text = ValueOf(Call("", methods::kServerRequests, Json::object()));
  if (!text.ok()) return text.status();
  if (!text->is_string()) return Failed("server.requests: not text: " + text->dump());
  return text->get<std::string>();
}

Status RemoteClient::Shutdown() {
  Status stopped = ServiceCall(methods::kServiceShutdown, Json::object());
  if (stopped.ok()) apartment_ = 0;  // nothing left to close
  return stopped;
}

Status RemoteClient::Pump(std::chrono::milliseconds wait) {
  // One pump request ends after the first notification it brings: pump again for the rest.
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (Status pumped = ServiceCall(methods::kPump, Json{{"ms", std::max<std::int64_t>(0, left.count())}});
        !pumped.ok() || left.count() <= 0) {
      return pumped;
    }
  }
}

}  // namespace bitsh::remote
