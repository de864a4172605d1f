#include "server/remote_file_server.h"

#include "server/control_http.h"
#include "server/control_protocol.h"

namespace bitsh::server {
namespace {

Status Post(const std::string& base_url, const char* endpoint, const ControlParams& params) {
  Result<ControlReply> reply = SendControlRequest(base_url, "POST", std::string(endpoint) + "?" + ToQueryString(params));
  if (!reply.ok()) return reply.status();
  if (reply->status == 204 || reply->status == 201) return Status::Ok();
  std::string message = reply->body;
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Status::InvalidArg(base_url + endpoint + " answered " + std::to_string(reply->status) + ": " + message);
}

}  // namespace

Status RemoteFileServer::AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed) {
  return Post(base_url_, kControlFilesPath, EncodeGeneratedFile({path, size, seed}));
}

Status RemoteFileServer::AddFault(const ServerFault& fault) {
  return Post(base_url_, kControlFaultsPath, EncodeFault(fault));
}

Result<std::string> RemoteFileServer::RequestLogText() {
  Result<ControlReply> reply = SendControlRequest(base_url_, "GET", kControlRequestsPath);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return Status(hr::kFail, base_url_ + kControlRequestsPath + " answered " + std::to_string(reply->status));
  }
  return reply->body;
}

}  // namespace bitsh::server
