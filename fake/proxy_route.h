// Proxy settings: what SetProxySettings accepts, and which proxy (if any) a request of the job
// goes through. Pure functions, so the rules are tested without sockets; the engine asks
// RouteFor before each HTTP request and hands the answer to the transport.
//
// The rules, from the SetProxySettings page and the WinHTTP proxy lists it points to (decisions
// the pages leave open are in docs/decisions.md, "Proxies"):
//  - a proxy list is entries separated by spaces (or ';'), each "[scheme=][http://]host[:port]":
//    "scheme=" (http or https) limits the entry to URLs of that scheme, the port defaults to 80,
//    and the first entry that applies to the URL is used;
//  - a bypass list is entries separated by spaces (or ';'): a host name or address, with '*'
//    matching any run of characters, compared without case; "<local>" matches every host name
//    without a dot. A bypassed host is reached directly;
//  - PRECONFIG and AUTODETECT use the user's settings (FakeOptions::user_proxy; none: direct).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh::fake {

// The checks SetProxySettings makes when it is called (the lists' contents are checked when used):
// E_NOTIMPL for a usage outside the enumeration, E_INVALIDARG for OVERRIDE without a proxy list
// or for a list given with another usage, BG_E_PROXY_LIST_TOO_LARGE /
// BG_E_PROXY_BYPASS_LIST_TOO_LARGE over limits::kMaxProxyListChars UTF-16 units.
Status CheckProxySettings(const ProxySettings& settings);

// The proxies and bypass list the user's own settings give (Internet Options, or what WPAD finds):
// what PRECONFIG and AUTODETECT use.
struct UserProxySettings {
  std::string proxy_list;   // as in SetProxySettings; empty: no proxy
  std::string bypass_list;
};

// A proxy to send a request through.
struct ProxyEndpoint {
  std::string host;
  int port = 80;
  friend bool operator==(const ProxyEndpoint&, const ProxyEndpoint&) = default;
};

// Where a request for `url` (http or https) goes under `settings`: nullopt for direct, else the
// proxy. BG_E_INVALID_PROXY_INFO, naming the entry, for a list entry that cannot be read, or for
// OVERRIDE with no entry that applies to the URL's scheme and a host the bypass list does not name.
Result<std::optional<ProxyEndpoint>> RouteFor(const ProxySettings& settings, const std::optional<UserProxySettings>& user,
                                              std::string_view url);

// True when `host` matches the bypass list (the rules above). Exposed for tests.
bool IsBypassed(std::string_view bypass_list, std::string_view host);

}  // namespace bitsh::fake
