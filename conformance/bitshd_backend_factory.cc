#include "conformance/bitshd_backend_factory.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "conformance/bitshd_machine.h"
#include "remote/remote_client.h"
#ifndef _WIN32
#include "conformance/bitshd_process.h"
#endif

namespace bitsh::conformance {
namespace {

class BitshdBackendUnderTest final : public BackendUnderTest {
 public:
  // `process`: the bitshd this test started (asked to stop at the end, then let go), or null for
  // a shared one, whose machine is reset instead.
  BitshdBackendUnderTest(std::shared_ptr<void> process, std::unique_ptr<remote::RemoteClient> client)
      : process_(std::move(process)), client_(std::move(client)) {
    PrepareSuiteMachine(*client_, /*reset=*/!process_);
    user_ = client_->Connect("user");
    other_ = client_->Connect("other");
    admin_ = client_->Connect("admin");
  }
  ~BitshdBackendUnderTest() override {
    user_.reset();
    other_.reset();
    admin_.reset();
    if (process_) static_cast<void>(client_->Shutdown());
    client_.reset();  // closes the apartment (of a shared bitshd)
    process_.reset();
  }

  Backend& user() override { return *user_; }
  Backend& other_user() override { return *other_; }
  Backend& admin() override { return *admin_; }
  bool WaitUntil(const std::function<bool()>& done, Duration limit) override { return client_->WaitUntil(done, limit); }
  void RestartService() override {
    if (Status restarted = client_->Restart(); !restarted.ok()) {
      ADD_FAILURE() << "bitshd's service did not restart: " << restarted.ToString();
    }
  }
  bool Has(Capability) const override { return true; }  // virtual time, users, restart: all served

 private:
  std::shared_ptr<void> process_;
  std::unique_ptr<remote::RemoteClient> client_;
  std::unique_ptr<Backend> user_, other_, admin_;
};

}  // namespace

#ifndef _WIN32
std::shared_ptr<BitshdBackendFactory> BitshdBackendFactory::Spawning(std::string program) {
  return std::shared_ptr<BitshdBackendFactory>(new BitshdBackendFactory("Bitshd", std::move(program), "", ""));
}
#endif

std::shared_ptr<BitshdBackendFactory> BitshdBackendFactory::Shared(std::string url, std::string token) {
  return std::shared_ptr<BitshdBackendFactory>(
      new BitshdBackendFactory("BitshdShared", "", std::move(url), std::move(token)));
}

std::unique_ptr<BackendUnderTest> BitshdBackendFactory::Create() {
  if (program_.empty()) {
    if (url_.empty() || token_.empty()) {
      throw std::runtime_error("a shared bitshd needs its URL and token: set BITSH_BITSHD_URL and BITSH_BITSHD_TOKEN");
    }
    return std::make_unique<BitshdBackendUnderTest>(nullptr, OpenedOrThrow(remote::RemoteClient::Open(url_, token_)));
  }
#ifdef _WIN32
  throw std::logic_error("no bitshd program on Windows");
#else
  auto process = std::make_shared<BitshdProcess>(program_);
  auto client = OpenedOrThrow(remote::RemoteClient::FromListeningLine(process->listening_line()));
  return std::make_unique<BitshdBackendUnderTest>(std::move(process), std::move(client));
#endif
}

}  // namespace bitsh::conformance
