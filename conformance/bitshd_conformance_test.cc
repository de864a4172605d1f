// The conformance suite against the fake through bitshd, the fake as a service process: the same
// tests as fake_conformance_test.cc, every call crossing the protocol (remote/protocol.h).
//   Linux: each test starts its own bitshd (the program built beside this test).
//   Windows (under Wine, tools/wine-conformance.sh): the tests share the Linux bitshd named by
//   BITSH_BITSHD_URL and BITSH_BITSHD_TOKEN, resetting its machine before each, through
//   RemoteBackend (its socket client over Winsock).
#include <cstdlib>
#include <string>

#include "conformance/backend_conformance.h"
#include "conformance/bitshd_backend_factory.h"

#ifdef _WIN32
namespace {
std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}
}  // namespace
BITSH_INSTANTIATE_BACKEND_CONFORMANCE(BitshdShared, bitsh::conformance::BitshdBackendFactory::Shared(
                                                        Environment("BITSH_BITSHD_URL"), Environment("BITSH_BITSHD_TOKEN")));
#else
BITSH_INSTANTIATE_BACKEND_CONFORMANCE(Bitshd, bitsh::conformance::BitshdBackendFactory::Spawning(BITSH_BITSHD_PROGRAM));
#endif
