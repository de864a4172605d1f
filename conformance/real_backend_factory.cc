#include "conformance/real_backend_factory.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <objbase.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "backend/real/bits_backend.h"
#include "conformance/wine_deviations.h"

namespace bitsh::conformance {
namespace {

class RealBackendUnderTest final : public BackendUnderTest {
 public:
  explicit RealBackendUnderTest(std::unique_ptr<Backend> bits) : bits_(std::move(bits)) {
    if (Result<std::vector<JobId>> jobs = bits_->EnumJobs(EnumScope::kCurrentUser); jobs.ok()) before_ = *jobs;
  }
  // The real queue outlives the test: cancel whatever the test left in it, so a failed test does
  // not leave jobs that later tests would see.
  ~RealBackendUnderTest() override {
    Result<std::vector<JobId>> jobs = bits_->EnumJobs(EnumScope::kCurrentUser);
    if (!jobs.ok()) return;
    for (const JobId& job : *jobs) {
      if (std::find(before_.begin(), before_.end(), job) == before_.end()) static_cast<void>(bits_->Cancel(job));
    }
  }

  Backend& user() override { return *bits_; }
  Backend& other_user() override { return Unavailable("other_user()"); }
  Backend& admin() override { return Unavailable("admin()"); }

  // Wall-clock time: polls `done` every 50 ms, and in between pumps the thread's messages, which
  // is how COM delivers BITS's callbacks to the single-threaded apartment the backend lives in
  // (backend/job_callback.h: callbacks run while the thread lets time pass).
  bool WaitUntil(const std::function<bool()>& done, Duration limit) override {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      PumpMessages(50);
    }
    return true;
  }

  void RestartService() override { Unavailable("RestartService()"); }
  bool Has(Capability) const override { return false; }

 private:
  // Tests call these only after BITSH_REQUIRE_CAPABILITY, which a real service never passes.
  [[noreturn]] static Backend& Unavailable(const char* what) {
    std::fprintf(stderr, "real BITS backend: %s needs a capability a real service does not have\n", what);
    std::abort();
  }

  std::unique_ptr<Backend> bits_;
  std::vector<JobId> before_;
};

}  // namespace

void PumpMessages(unsigned long wait_ms) {
  MsgWaitForMultipleObjectsEx(0, nullptr, wait_ms, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
  MSG message;
  while (PeekMessageW(&message, nullptr, 0, 0, PM_REMOVE)) {
    TranslateMessage(&message);
    DispatchMessageW(&message);
  }
}

bool RunningUnderWine() {
  const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

void KeepApartmentForTheRun() {
  static const HRESULT apartment = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
  static_cast<void>(apartment);
}

std::unique_ptr<BackendUnderTest> RealBitsFactory::Create() {
  KeepApartmentForTheRun();
  Result<std::unique_ptr<Backend>> bits = real::ConnectToBits();
  if (!bits.ok()) {
    std::fprintf(stderr, "cannot reach BITS: %s\n", bits.status().ToString().c_str());
    return nullptr;
  }
  return std::make_unique<RealBackendUnderTest>(std::move(bits).value());
}

std::string RealBitsFactory::KnownDeviation(std::string_view test_name) const {
  return under_wine_ ? WineDeviation(test_name) : std::string();
}

}  // namespace bitsh::conformance
