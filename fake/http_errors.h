// The one place HTTP outcomes become BITS errors: a status becomes the code ClassifyHttpStatus
// gives it (0x80190000 + status) in the remote-file context, and the engine later asks the same
// table for its class; a failure of cpp-httplib's client becomes the BG_E_* code BITS reports for
// the same network event.
#pragma once

#include <string>

#include "fake/transport.h"

namespace httplib {
enum class Error;
}

namespace bitsh::fake {

TransferError FromHttpStatus(int status, const std::string& url);
TransferError FromHttpError(httplib::Error error, const std::string& url);

}  // namespace bitsh::fake
