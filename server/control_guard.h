// Who may use the control API (bitsh-serve --control): a process on this machine, and never a web
// page. A page in a local browser can send a cross-site form POST to 127.0.0.1, and a DNS-rebinding
// page can even read the answer, so checking that the peer is loopback is not enough. Decision
// (docs/decisions.md): the request's Host must name a loopback address, and an Origin, when the
// client sends one (browsers do; our clients never do), must be a loopback origin too. No token:
// the tools that drive the API (RemoteFileServer over cpp-httplib and WinHTTP) stay as simple as
// curl, and these two checks are what a browser cannot forge.
#pragma once

#include <string>
#include <string_view>

namespace bitsh::server {

// True for "127.0.0.1", "localhost", "[::1]", each optionally with ":port" (any 127.x.y.z too).
bool IsLoopbackAuthority(std::string_view authority);

// Empty when a control request with these Host and Origin header values (empty when absent) may
// proceed; otherwise why it is refused (the 403's text).
std::string ControlRequestRefusal(std::string_view host, std::string_view origin);

}  // namespace bitsh::server
