// RpcHttp: the one thing RemoteClient needs from HTTP - a POST of a JSON body on a kept-alive
// connection to bitshd, with its token. One implementation over sockets for Linux and Windows
// (rpc_http_socket.cc says why not cpp-httplib or WinHTTP). Internal to RemoteClient.
#pragma once

#include <memory>
#include <string>

#include "backend/status.h"

namespace bitsh::remote {

class RpcHttp {
 public:
  struct Reply {
    int status = 0;
    std::string body;
  };

  // A client of `base_url` ("http://127.0.0.1:PORT") that sends "Authorization: Bearer <token>".
  static std::unique_ptr<RpcHttp> Connect(const std::string& base_url, const std::string& token);
  virtual ~RpcHttp() = default;

  // POSTs `body` (application/json) to `path`. E_FAIL naming the URL when no answer arrives. A
  // call may take as long as the events it runs: only a service that is gone ends it early.
  virtual Result<Reply> Post(const std::string& path, const std::string& body) = 0;
};

}  // namespace bitsh::remote
