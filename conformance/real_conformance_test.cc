// The conformance suite against the machine's BITS (Windows, or Wine's under Wine), with its files
// served by the `bitsh-serve --control` named in BITSH_FILE_SERVER. tools/wine-conformance.sh runs
// it in CI; the closing summary counts what ran, passed and was skipped, with reasons.
//
// When BITSH_BITSHD_URL and BITSH_BITSHD_TOKEN are set, the machine's BITS class is the fake
// behind COM (bitsh-com-server registered over the BITS service, talking to that bitshd), and the
// same program tests it as "FakeThroughCom" with the fake's capabilities (fake_through_com_factory.h).
#include <cstdlib>
#include <memory>
#include <string>

#include "conformance/backend_conformance.h"
#include "conformance/fake_through_com_factory.h"
#include "conformance/real_backend_factory.h"

namespace {

std::shared_ptr<bitsh::conformance::BackendFactory> MachinesBits() {
  const char* url = std::getenv("BITSH_BITSHD_URL");
  const char* token = std::getenv("BITSH_BITSHD_TOKEN");
  if (url != nullptr && token != nullptr && *url != '\0') {
    return std::make_shared<bitsh::conformance::FakeThroughComFactory>(url, token);
  }
  return std::make_shared<bitsh::conformance::RealBitsFactory>();
}

}  // namespace

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(Real, MachinesBits());
