// Whether BITS retries an error raised during a transfer: the job goes to TRANSIENT_ERROR and is
// tried again after the minimum retry delay, or to ERROR and waits for its owner. The fake asks
// only these functions; which codes fall where, and why, is in docs/decisions.md.
#pragma once

#include <iosfwd>
#include <string_view>

#include "backend/hresult.h"

namespace bitsh {

enum class ErrorClass { kTransient, kFatal };

std::string_view ToString(ErrorClass error_class);
void PrintTo(ErrorClass error_class, std::ostream* out);

// What BITS records when a download request is answered with an HTTP status it does not accept.
struct HttpStatusOutcome {
  HResult code = hr::kOk;
  ErrorClass error_class = ErrorClass::kTransient;
  friend bool operator==(const HttpStatusOutcome&, const HttpStatusOutcome&) = default;
};

// The one table of HTTP statuses. The code is 0x80190000 + status (BG_E_HTTP_ERROR_404 =
// 0x80190194), as Microsoft's "BITS return values" page gives it, for every three-digit status
// (100-999); anything else is not HTTP and reads as BG_E_INVALID_SERVER_RESPONSE. The class
// follows Microsoft's "Handling server application errors" page, written for upload replies and
// used for downloads too since no page gives one for them: 3xx transient except 300-305 and 307;
// 4xx fatal except 408 and 409; 5xx transient except 501 and 505; anything else transient. Over
// that rule, bitsmsg.h's own text for 200, 205, 304, 402, 415 and 449 says the response was not
// valid and BITS will try again, so those six are transient. Redirects the transport follows
// (301, 302, 303 and 307 under BITS's default policy) never get here.
HttpStatusOutcome ClassifyHttpStatus(int status);

// The class of any code a transfer can fail with: HTTP codes as ClassifyHttpStatus says; the BITS
// and Windows codes listed in docs/decisions.md as listed; any other code transient.
ErrorClass ClassifyTransferError(HResult code);

// False for a code ClassifyTransferError knows nothing about (its class is the default), so that
// the fake can say in its log that a retry rests on the default and not on a source.
bool HasListedClass(HResult code);

}  // namespace bitsh
