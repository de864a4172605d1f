// The text SetCustomHeaders takes ("Name: value" lines ending in CR LF), split into the header
// fields a transport sends. Public: the scenario loader checks a job's headers with it, so a bad
// line is reported at its place in the file.
#pragma once

#include <string_view>

#include "backend/status.h"
#include "fake/transport.h"

namespace bitsh::fake {

// The fields of `text`, in order. Lines end in CR LF (a bare LF is taken too, and the last line
// may lack one); empty lines are skipped; the value is trimmed of spaces and tabs. E_INVALIDARG,
// naming the line (1-based) and why, for a line without a colon, a name that is not an HTTP token
// (RFC 9110 §5.1), a control character in the value, or a field the transfer sets itself (Host,
// Content-Length, Transfer-Encoding, Range, If-Range): docs/decisions.md, "Custom headers".
Result<HeaderFields> ParseCustomHeaders(std::string_view text);

}  // namespace bitsh::fake
