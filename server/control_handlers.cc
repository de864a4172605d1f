#include "server/control_handlers.h"

#include <httplib.h>

#include <cstdio>

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

// A control action: 400 with the action's message when it fails, 204 when it succeeds.
httplib::Server::Handler ControlAction(std::function<Status(const ControlParams&)> action) {
  return LoopbackOnly([action = std::move(action)](const httplib::Request& request, httplib::Response& response) {
    if (Status done = action(ParamsOf(request)); !done.ok()) {
      std::fprintf(stderr, "bitsh-serve: control %s: %s\n", request.path.c_str(), done.message().c_str());
      response.status = 400;
      response.set_content(done.message() + "\n", "text/plain");
      return;
    }
    response.status = 204;
  });
}

}  // namespace

void RegisterControlHandlers(httplib::Server& http, FileServer& files) {
  http.Post(kControlFilesPath, ControlAction([&files](const ControlParams& params) {
              Result<GeneratedFileSpec> file = DecodeGeneratedFile(params);
              if (!file.ok()) return file.status();
              files.AddGeneratedFile(file->path, file->size, file->seed);
              return Status::Ok();
            }));
  http.Post(kControlFaultsPath, ControlAction([&files](const ControlParams& params) {
              Result<ServerFault> fault = DecodeFault(params);
              if (!fault.ok()) return fault.status();
              files.AddFault(*fault);
              return Status::Ok();
            }));
  http.Get(kControlRequestsPath, LoopbackOnly([&files](const httplib::Request&, httplib::Response& response) {
             response.set_content(files.log().ToText(), "text/plain");
           }));
}

}  // namespace bitsh::server
