// One HTTP request to a control endpoint, over the platform's client: cpp-httplib on Linux,
// WinHTTP on Windows (Debian's cpp-httplib is a Linux library). Internal to RemoteFileServer.
#pragma once

#include <string>

#include "backend/status.h"

namespace bitsh::server {

struct ControlReply {
  int status = 0;
  std::string body;
};

// `method` "GET" or "POST" (no body); `target` is the path and query, already percent-encoded.
// E_FAIL naming the URL when no answer arrives.
Result<ControlReply> SendControlRequest(const std::string& base_url, const std::string& method,
                                        const std::string& target);

}  // namespace bitsh::server
