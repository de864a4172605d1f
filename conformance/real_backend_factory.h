// The machine's own BITS as a conformance backend (Windows builds only): Windows' BITS, or Wine's
// (its qmgr service) when the program runs under Wine. Under Wine the backend is named WineBits
// and declares Wine's known deviations from documented BITS behaviour (docs/fidelity.md), so
// those tests are skipped there, with the reason, and only there.
//
// A real service offers no test hooks: one user, wall-clock time, no restart inside a test.
#pragma once

#include "conformance/backend_under_test.h"

namespace bitsh::conformance {

// True when this Windows program runs under Wine (ntdll exports wine_get_version).
bool RunningUnderWine();

// Waits up to `wait_ms` for a message and dispatches every one that came: how COM delivers calls
// into this thread's single-threaded apartment (BITS's callbacks) while a test lets time pass.
void PumpMessages(unsigned long wait_ms);

// Gives the calling thread one single-threaded apartment for the rest of the process, as a
// program has: each test's backend then joins it instead of making and ending its own. Under
// Wine 8, an apartment ended and made again on one thread loses the RPC interfaces its callback
// objects were reached through (BITS's next call fails with RPC_S_UNKNOWN_IF), and handing such
// an object back aborts the process in combase. Idempotent.
void KeepApartmentForTheRun();

class RealBitsFactory final : public BackendFactory {
 public:
  RealBitsFactory() : under_wine_(RunningUnderWine()) {}

  std::string name() const override { return under_wine_ ? "WineBits" : "WindowsBits"; }
  std::unique_ptr<BackendUnderTest> Create() override;
  std::string KnownDeviation(std::string_view test_name) const override;

 private:
  bool under_wine_;
};

}  // namespace bitsh::conformance
