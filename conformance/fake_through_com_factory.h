// The fake as the machine's BITS (Windows builds only): the suite's user reaches BITS the way a
// store's program does, through CoCreateInstance(CLSID_BackgroundCopyManager) and the real
// backend (RealBitsBackend over COM), and that class is registered to bitsh-com-server (com/),
// which serves it from a bitshd on the Linux side. The test also opens bitshd directly, as the
// test harness around the program: it resets the machine before each test, drives its virtual
// clock, restarts its service, and acts as the other users (RemoteBackend), so every capability
// of the fake is there and the column "FakeThroughCom" of docs/fidelity.md can be compared with
// the in-process fake test by test.
//
// real_conformance_test.exe uses it when BITSH_BITSHD_URL and BITSH_BITSHD_TOKEN name the bitshd
// the registered server talks to (tools/wine-conformance.sh).
#pragma once

#include <string>

#include "conformance/backend_under_test.h"
#include "conformance/real_backend_factory.h"

namespace bitsh::conformance {

class FakeThroughComFactory final : public BackendFactory {
 public:
  FakeThroughComFactory(std::string bitshd_url, std::string bitshd_token)
      : url_(std::move(bitshd_url)), token_(std::move(bitshd_token)), under_wine_(RunningUnderWine()) {}

  std::string name() const override { return "FakeThroughCom"; }
  std::unique_ptr<BackendUnderTest> Create() override;
  // Under Wine, what its COM cannot carry between processes (wine_com_deviations.h).
  std::string KnownDeviation(std::string_view test_name) const override;

 private:
  std::string url_;
  std::string token_;
  bool under_wine_;
};

}  // namespace bitsh::conformance
