// The one place HTTP outcomes become BITS errors: a status becomes the code ClassifyHttpStatus
// gives it (0x80190000 + status) in the remote-file context, and the engine later asks the same
// table for its class; a failure of the connection (fake/http_connection.h) becomes the BG_E_*
// code BITS reports for the same network event.
#pragma once

#include <optional>
#include <string>

#include "fake/http_connection.h"
#include "fake/transport.h"

namespace bitsh::fake {

TransferError FromHttpStatus(int status, const std::string& url);
// `head_received`: whether a response head had been read when the failure came. A connection that
// ends before a head could be read (nothing sent, a status line that does not parse, a head cut
// short) is a server that broke the protocol, BG_E_INVALID_SERVER_RESPONSE; one that ends in the
// body is BG_E_CONNECTION_CLOSED. Bytes that are not HTTP (a head or a chunk size that does not
// parse) are BG_E_INVALID_SERVER_RESPONSE wherever they come.
TransferError FromHttpError(const HttpError& error, const std::string& url, bool head_received);
// An answer whose status line says HTTP/1.0: BG_E_INSUFFICIENT_HTTP_SUPPORT ("The server does not
// support the HTTP 1.1 protocol", bitsmsg.h); nullopt for HTTP/1.1.
std::optional<TransferError> FromHttpVersion(const std::string& version, const std::string& url);

}  // namespace bitsh::fake
