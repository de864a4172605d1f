// The conformance suite against the fake through bitshd, the fake as a service process: the
// same tests as fake_conformance_test.cc, every call crossing the protocol (remote/protocol.h).
#include "conformance/backend_conformance.h"
#include "conformance/bitshd_backend_factory.h"

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(Bitshd, std::make_shared<bitsh::conformance::BitshdBackendFactory>(BITSH_BITSHD_PROGRAM));
