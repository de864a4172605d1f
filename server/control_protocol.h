// The file server's control API: how a process other than the server's (a Windows test program
// under Wine, which cannot host the Linux server, or a script with curl) adds generated files and
// faults to a running `bitsh-serve --control`, lists and removes them, and reads its request log.
// Parameters have the names and units of a scenario file's `server:` section (docs/scenarios.md),
// in the query string or a form body. Served to loopback clients only.
//
//   POST   /_bitsh/control/files?path=/t/a.wma&size=1MiB[&seed=7]           -> 204
//   POST   /_bitsh/control/faults?path=/t/a.wma&kind=status&status=503      -> 201 {"id": 1}
//   GET    /_bitsh/control/faults                -> 200 [{"id", "requests", "fired", "fault": {...}}]
//   DELETE /_bitsh/control/faults/1              -> 204 (404: no such fault)
//   DELETE /_bitsh/control/faults                -> 204, every fault removed
//   GET    /_bitsh/control/requests[?format=json] -> 200, RequestLog::ToText() or the JSON journal
//
// A fault counts its path's requests from when it is added: `request=1` is the next one. A bad or
// unknown parameter is answered 400 with a message naming it. docs/control-api.md has the whole
// reference. This file is the one definition of the parameters: the server decodes with it and
// every client encodes with it. Standard library only, so the Windows build shares it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "backend/status.h"
#include "server/server_faults.h"

namespace bitsh::server {

inline constexpr const char* kControlFilesPath = "/_bitsh/control/files";
inline constexpr const char* kControlFaultsPath = "/_bitsh/control/faults";
inline constexpr const char* kControlRequestsPath = "/_bitsh/control/requests";

// Query parameters, already percent-decoded.
using ControlParams = std::map<std::string, std::string>;

struct GeneratedFileSpec {
  std::string path;
  std::uint64_t size = 0;
  std::uint64_t seed = 0;
};

ControlParams EncodeGeneratedFile(const GeneratedFileSpec& file);
// E_INVALIDARG naming the parameter that is missing, unknown or not a number.
Result<GeneratedFileSpec> DecodeGeneratedFile(const ControlParams& params);

// Only the fields that differ from a default ServerFault are sent.
ControlParams EncodeFault(const ServerFault& fault);
Result<ServerFault> DecodeFault(const ControlParams& params);

// "a=1&b=%2Fx": names and values percent-encoded (RFC 3986 unreserved characters and '/' kept).
std::string ToQueryString(const ControlParams& params);

}  // namespace bitsh::server
