// RemoteFileServer: the client of a file server running in another process (`bitsh-serve
// --control`, see control_protocol.h). A Windows test program under Wine cannot host the Linux
// server, so it adds its files and faults through this instead of a FileServer.
//
//   RemoteFileServer files("http://127.0.0.1:8080");
//   Status added = files.AddGeneratedFile("/t/a.wma", 100'000, /*seed=*/7);
#pragma once

#include <cstdint>
#include <string>

#include "backend/status.h"
#include "server/server_faults.h"

namespace bitsh::server {

class RemoteFileServer {
 public:
  // `base_url` as bitsh-serve prints it: "http://127.0.0.1:PORT".
  explicit RemoteFileServer(std::string base_url) : base_url_(std::move(base_url)) {}

  const std::string& base_url() const { return base_url_; }

  // Each call is one HTTP request. E_FAIL naming the URL when the server cannot be reached;
  // E_INVALIDARG with the server's message when it refuses the call.
  Status AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed);
  Status AddFault(const ServerFault& fault);
  // The server's request log so far, one line per request (RequestLog::ToText()).
  Result<std::string> RequestLogText();

 private:
  std::string base_url_;
};

}  // namespace bitsh::server
