// RealBitsBackend: the Backend interface over the Windows BITS COM API (IBackgroundCopyManager,
// IBackgroundCopyJob), for Windows and for Wine. HRESULTs pass through unchanged; strings are
// converted UTF-8 <-> UTF-16 at this boundary only. The conformance suite runs against it under
// Wine's BITS in CI (docs/wine.md, docs/fidelity.md).
//
// Jobs created or opened through a backend keep their COM pointer in it, so calls by id on a job
// that became final reach it as a client holding the pointer would (a second Cancel is
// BG_E_INVALID_STATE), while GetJob asks the manager afresh (BG_E_NOT_FOUND).
//
// Thread-safety: use from the thread that created it (its COM apartment).
#pragma once

#include <memory>

#include "backend/backend.h"

namespace bitsh::real {

// Initialises COM on this thread and connects to the BITS service. The error names the step.
Result<std::unique_ptr<Backend>> ConnectToBits();

}  // namespace bitsh::real
