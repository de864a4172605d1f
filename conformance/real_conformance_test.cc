// The conformance suite against the machine's BITS (Windows, or Wine's under Wine), with its files
// served by the `bitsh-serve --control` named in BITSH_FILE_SERVER. tools/wine-conformance.sh runs
// it in CI; the closing summary counts what ran, passed and was skipped, with reasons.
#include "conformance/backend_conformance.h"
#include "conformance/real_backend_factory.h"

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(Real, std::make_shared<bitsh::conformance::RealBitsFactory>());
