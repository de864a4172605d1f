// What a backend must offer to run the conformance suite: its connections, a way to let time pass,
// and which capabilities it has. A partner wraps their own backend in these two small classes and
// instantiates the suite with BITSH_INSTANTIATE_BACKEND_CONFORMANCE (backend_conformance.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "backend/backend.h"

namespace bitsh::conformance {

// Things the real service cannot offer a test, so tests needing them are skipped (with the
// reason printed) on backends without them — never passed silently.
enum class Capability {
  kVirtualTime,     // time can be fast-forwarded: exact retry delays, 14-day timeouts in a test
  kMultipleUsers,   // connections as a second standard user and as an administrator
  kServiceRestart,  // the service can be restarted inside a test
};
std::string_view ToString(Capability capability);

// One backend instance for one test.
class BackendUnderTest {
 public:
  virtual ~BackendUnderTest() = default;
  // The connection acting as the test's (ordinary, logged-on) user.
  virtual Backend& user() = 0;
  // Another standard user and an administrator. REQUIRES: Has(kMultipleUsers).
  virtual Backend& other_user() = 0;
  virtual Backend& admin() = 0;
  // Lets time pass until `done()` holds or `limit` has passed; true when done. Virtual time for
  // the fake, the wall clock for a real service.
  virtual bool WaitUntil(const std::function<bool()>& done, Duration limit) = 0;
  // Restarts the service. REQUIRES: Has(kServiceRestart).
  virtual void RestartService() = 0;
  virtual bool Has(Capability capability) const = 0;
};

class BackendFactory {
 public:
  virtual ~BackendFactory() = default;
  // Shown in test names: Fake, WineBits, ...; letters, digits and underscores only.
  virtual std::string name() const = 0;
  virtual std::unique_ptr<BackendUnderTest> Create() = 0;
  // Why this backend cannot pass the test named `test_name` (e.g. "CancelDeletesTemporaryFiles..."),
  // when the backend is known to deviate from documented BITS behaviour there; the test is then
  // skipped with this reason, on this backend only. Empty (the default) when it should pass.
  // Every reason points at its evidence (docs/fidelity.md).
  virtual std::string KnownDeviation(std::string_view test_name) const {
    static_cast<void>(test_name);
    return {};
  }
};

}  // namespace bitsh::conformance
