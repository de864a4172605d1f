// SendControlRequest over WinHTTP: the Windows build (run under Wine) reaches bitsh-serve on the
// Linux side through the loopback interface they share.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winhttp.h>

#include <memory>
#include <type_traits>

#include "server/control_http.h"

namespace bitsh::server {
namespace {

struct CloseInternetHandle {
  void operator()(HINTERNET handle) const { WinHttpCloseHandle(handle); }
};
using InternetHandle = std::unique_ptr<std::remove_pointer_t<HINTERNET>, CloseInternetHandle>;

// Control URLs and targets are ASCII (the protocol percent-encodes everything else).
std::wstring Widen(const std::string& ascii) { return std::wstring(ascii.begin(), ascii.end()); }

Status Failed(const std::string& what, const std::string& url) {
  return Status(hr::kFail, what + " " + url + " failed (Win32 error " + std::to_string(GetLastError()) + ")");
}

}  // namespace

Result<ControlReply> SendControlRequest(const std::string& base_url, const std::string& method,
                                        const std::string& target) {
  const std::string url = base_url + target;
  const std::wstring wide_base = Widen(base_url);
  wchar_t host[256] = {};
  URL_COMPONENTS parts{};
  parts.dwStructSize = sizeof parts;
  parts.lpszHostName = host;
  parts.dwHostNameLength = static_cast<DWORD>(std::size(host));
  if (!WinHttpCrackUrl(wide_base.c_str(), 0, 0, &parts)) return Failed("parsing", base_url);

  const InternetHandle session(
      WinHttpOpen(L"bitsh", WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0));
  if (!session) return Failed("opening a session for", url);
  const InternetHandle connection(WinHttpConnect(session.get(), host, parts.nPort, 0));
  if (!connection) return Failed("connecting to", url);
  const std::wstring wide_method = Widen(method), wide_target = Widen(target);
  const InternetHandle request(WinHttpOpenRequest(connection.get(), wide_method.c_str(), wide_target.c_str(), nullptr,
                                                  WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, 0));
  if (!request) return Failed("opening", url);
  if (!WinHttpSendRequest(request.get(), WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0) ||
      !WinHttpReceiveResponse(request.get(), nullptr)) {
    return Failed(method, url);
  }

  ControlReply reply;
  DWORD status = 0, status_size = sizeof status;
  if (!WinHttpQueryHeaders(request.get(), WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                           WINHTTP_HEADER_NAME_BY_INDEX, &status, &status_size, WINHTTP_NO_HEADER_INDEX)) {
    return Failed("reading the status of", url);
  }
  reply.status = static_cast<int>(status);
  for (;;) {
    char buffer[4096];
    DWORD read = 0;
    if (!WinHttpReadData(request.get(), buffer, sizeof buffer, &read)) return Failed("reading", url);
    if (read == 0) break;
    reply.body.append(buffer, read);
  }
  return reply;
}

}  // namespace bitsh::server
