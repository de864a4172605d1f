#include "server/control_handlers.h"

#include <httplib.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "server/control_guard.h"
#include "server/control_protocol.h"
#include "server/file_server.h"

namespace bitsh::server {
namespace {

// The control API changes what the server answers: only a process on this machine may use it,
// even when the files themselves are served on another address.
bool FromLoopback(const httplib::Request& request) {
  const std::string& peer = request.remote_addr;
  return peer.starts_with("127.") || peer == "::1" || peer.starts_with("::ffff:127.");
}

ControlParams ParamsOf(const httplib::Request& request) {
  ControlParams params;
  for (const auto& [name, value] : request.params) params[name] = value;
  return params;
}

// Wraps a control handler: only loopback peers, asking for a loopback host and not from a web page
// (control_guard.h), reach it; others get 403 with the reason.
httplib::Server::Handler LoopbackOnly(httplib::Server::Handler handler) {
  return [handler = std::move(handler)](const httplib::Request& request, httplib::Response& response) {
    std::string refusal = FromLoopback(request) ? ControlRequestRefusal(request.get_header_value("Host"),
                                                                        request.get_header_value("Origin"))
                                                : "the control API answers loopback clients only";
    if (!refusal.empty()) {
      std::fprintf(stderr, "bitsh-serve: control %s refused: %s\n", request.path.c_str(), refusal.c_str());
      response.status = 403;
      response.set_content(refusal + "\n", "text/plain");
      return;
    }
    handler(request, response);
  };
}

void Refuse(const httplib::Request& request, httplib::Response& response, int status, const std::string& message) {
  std::fprintf(stderr, "bitsh-serve: control %s %s: %s\n", request.method.c_str(), request.path.c_str(), message.c_str());
  response.status = status;
  response.set_content(message + "\n", "text/plain");
}

void AnswerJson(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  // A path or header value need not be UTF-8 (a client may ask for /%FF): such bytes are shown as
  // U+FFFD rather than failing the whole answer.
  response.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", "application/json");
}

// A control action: 400 with the action's message when it fails, 204 when it succeeds.
httplib::Server::Handler ControlAction(std::function<Status(const ControlParams&)> action) {
  return LoopbackOnly([action = std::move(action)](const httplib::Request& request, httplib::Response& response) {
    if (Status done = action(ParamsOf(request)); !done.ok()) return Refuse(request, response, 400, done.message());
    response.status = 204;
  });
}

// A fault as the list shows it: what was POSTed to add it (the scenario's names and units), its
// id, and how many requests for its path it has seen since it came and how many it applied to.
nlohmann::json FaultJson(const FaultTable::Entry& entry) {
  nlohmann::json fault = nlohmann::json::object();
  for (const auto& [name, value] : EncodeFault(entry.fault)) fault[name] = value;
  return {{"id", entry.id}, {"requests", entry.requests}, {"fired", entry.fired}, {"fault", fault}};
}

// The request journal: every kept record, field by field.
nlohmann::json JournalJson(const RequestLog& log) {
  nlohmann::json requests = nlohmann::json::array();
  for (const RequestRecord& record : log.Records()) {
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [name, value] : record.headers) headers.push_back({name, value});
    requests.push_back({{"method", record.method}, {"path", record.path}, {"range", record.range},
                        {"if_range", record.if_range}, {"status", record.status}, {"bytes_sent", record.bytes_sent},
                        {"fault", record.fault}, {"note", record.note}, {"headers", headers}});
  }
  return {{"dropped", log.Dropped()}, {"requests", requests}};
}

}  // namespace

void RegisterControlHandlers(httplib::Server& http, FileServer& files) {
  http.Post(kControlFilesPath, ControlAction([&files](const ControlParams& params) {
              Result<GeneratedFileSpec> file = DecodeGeneratedFile(params);
              if (!file.ok()) return file.status();
              files.AddGeneratedFile(file->path, file->size, file->seed);
              return Status::Ok();
            }));
  http.Post(kControlFaultsPath, LoopbackOnly([&files](const httplib::Request& request, httplib::Response& response) {
              Result<ServerFault> fault = DecodeFault(ParamsOf(request));
              if (!fault.ok()) return Refuse(request, response, 400, fault.status().message());
              const std::optional<int> id = files.AddFault(*fault);
              if (!id) return Refuse(request, response, 507, "the server holds its most faults already");
              AnswerJson(response, 201, {{"id", *id}});
            }));
  http.Get(kControlFaultsPath, LoopbackOnly([&files](const httplib::Request&, httplib::Response& response) {
             nlohmann::json list = nlohmann::json::array();
             for (const FaultTable::Entry& entry : files.Faults()) list.push_back(FaultJson(entry));
             AnswerJson(response, 200, list);
           }));
  http.Delete(kControlFaultsPath, LoopbackOnly([&files](const httplib::Request&, httplib::Response& response) {
                files.ClearFaults();
                response.status = 204;
              }));
  http.Delete(std::string(kControlFaultsPath) + R"(/(\d{1,9}))",
              LoopbackOnly([&files](const httplib::Request& request, httplib::Response& response) {
                if (!files.RemoveFault(std::stoi(request.matches[1]))) {
                  return Refuse(request, response, 404, "no fault has id " + std::string(request.matches[1]));
                }
                response.status = 204;
              }));
  http.Get(kControlRequestsPath, LoopbackOnly([&files](const httplib::Request& request, httplib::Response& response) {
             const std::string format = request.get_param_value("format");
             if (format == "json") return AnswerJson(response, 200, JournalJson(files.log()));
             if (!format.empty() && format != "text") {
               return Refuse(request, response, 400, "control parameter 'format': '" + format + "' is not text or json");
             }
             response.set_content(files.log().ToText(), "text/plain");
           }));
}

}  // namespace bitsh::server
