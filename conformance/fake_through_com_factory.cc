#include "conformance/fake_through_com_factory.h"

#include <gtest/gtest.h>
#include <windows.h>

#include <chrono>
#include <future>
#include <stdexcept>

#include "backend/real/bits_backend.h"
#include "conformance/bitshd_machine.h"
#include "conformance/real_backend_factory.h"
#include "conformance/wine_com_deviations.h"
#include "remote/remote_client.h"

namespace bitsh::conformance {
namespace {

// Runs `work` on a worker thread while this thread dispatches its messages (COM delivers the
// program's callbacks to it), and returns work's answer. The thread wakes the moment the work ends
// or a message arrives, not on a polling interval: a 14-day test steps through 2,000 events.
bool WhilePumping(const std::function<bool()>& work) {
  const HANDLE finished = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (finished == nullptr) throw std::runtime_error("CreateEvent failed");
  std::future<bool> answer = std::async(std::launch::async, [&] {
    struct Signal {
      HANDLE event;
      ~Signal() { SetEvent(event); }  // also when `work` throws: the waiting thread must wake
    } signal{finished};
    return work();
  });
  for (;;) {
    const DWORD woke = MsgWaitForMultipleObjectsEx(1, &finished, INFINITE, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
    if (woke == WAIT_OBJECT_0) break;
    if (woke == WAIT_FAILED) {  // cannot happen with a valid handle; never spin on it
      answer.wait();
      break;
    }
    PumpMessages(0);
  }
  CloseHandle(finished);
  return answer.get();
}

class FakeThroughComUnderTest final : public BackendUnderTest {
 public:
  FakeThroughComUnderTest(const std::string& url, const std::string& token)
      : clock_(OpenedOrThrow(remote::RemoteClient::Open(url, token))),
        others_(OpenedOrThrow(remote::RemoteClient::Open(url, token))) {
    // A new machine per test, its users added again; then the program's way in: COM.
    PrepareSuiteMachine(*clock_, /*reset=*/true);
    Result<std::unique_ptr<Backend>> bits = real::ConnectToBits();
    if (!bits.ok()) throw std::runtime_error("CoCreateInstance(BackgroundCopyManager): " + bits.status().ToString());
    user_ = std::move(bits).value();
    other_ = others_->Connect("other");
    admin_ = others_->Connect("admin");
  }

  Backend& user() override { return *user_; }
  Backend& other_user() override { return *other_; }
  Backend& admin() override { return *admin_; }

  // Virtual time, one event at a time as the in-process fake's RunUntil. Each step is a request
  // on the clock's own bitshd connection, made on a worker thread while this thread pumps
  // messages: an event may call the program's callback, which COM delivers to this thread through
  // the server, and the step returns only once the callback has answered (bitshd waits for it).
  bool WaitUntil(const std::function<bool()>& done, Duration limit) override {
    const Result<TimePoint> start = clock_->Now();
    if (!start.ok()) {
      ADD_FAILURE() << "bitshd's clock: " << start.status().ToString();
      return false;
    }
    const TimePoint deadline = *start + limit;
    for (;;) {
      PumpMessages(0);
      if (done()) return true;
      const Result<TimePoint> now = clock_->Now();
      if (!now.ok()) {
        ADD_FAILURE() << "bitshd's clock: " << now.status().ToString();
        return false;
      }
      if (*now >= deadline) return false;
      const bool stepped = WhilePumping([&] {
        int asked = 0;
        return clock_->WaitUntil([&] { return ++asked > 1; }, deadline - *now);
      });
      if (!stepped) {  // no event before the deadline: the clock stands there
        PumpMessages(0);
        return done();
      }
    }
  }

  void RestartService() override {
    if (Status restarted = clock_->Restart(); !restarted.ok()) {
      ADD_FAILURE() << "bitshd's service did not restart: " << restarted.ToString();
    }
  }
  bool Has(Capability) const override { return true; }

 private:
  // The clock's bitshd connection is used by one thread at a time: the test's, or a step's worker
  // while the test's thread only pumps messages.
  std::unique_ptr<remote::RemoteClient> clock_;
  std::unique_ptr<remote::RemoteClient> others_;
  std::unique_ptr<Backend> user_, other_, admin_;
};

}  // namespace

std::unique_ptr<BackendUnderTest> FakeThroughComFactory::Create() {
  KeepApartmentForTheRun();
  return std::make_unique<FakeThroughComUnderTest>(url_, token_);
}

std::string FakeThroughComFactory::KnownDeviation(std::string_view test_name) const {
  return under_wine_ ? WineComDeviation(test_name) : std::string();
}

}  // namespace bitsh::conformance
