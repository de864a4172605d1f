#include "conformance/fake_backend_factory.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "fake/fake_service.h"
#include "fake/http_transport.h"

namespace bitsh::conformance {
namespace {

class FakeBackendUnderTest final : public BackendUnderTest {
 public:
  explicit FakeBackendUnderTest(std::set<Capability> capabilities) : capabilities_(std::move(capabilities)) {
    std::string pattern = (std::filesystem::temp_directory_path() / "bitsh-fake-service-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) state_dir_ = pattern;
    fake::FakeOptions options;
    options.snapshot_path = state_dir_ / "queue.json";
    options.flush_snapshot = false;  // a scratch folder, deleted at the end: no power cut to survive
    service_ = std::make_unique<fake::FakeBitsService>(options, http_);
    if (!service_->startup_status().ok()) {
      ADD_FAILURE() << "the fake BITS service did not start: " << service_->startup_status().ToString();
    }
    service_->AddUser("user");
    service_->AddUser("other");
    service_->AddUser("admin", /*is_admin=*/true);
    user_ = service_->Connect("user");
    other_ = service_->Connect("other");
    admin_ = service_->Connect("admin");
  }
  ~FakeBackendUnderTest() override {
    user_.reset();
    other_.reset();
    admin_.reset();
    service_.reset();
    std::filesystem::remove_all(state_dir_);
  }

  Backend& user() override { return *user_; }
  Backend& other_user() override { return *other_; }
  Backend& admin() override { return *admin_; }

  // Virtual time: runs events until done, or until `limit` has passed (the clock then stands there).
  bool WaitUntil(const std::function<bool()>& done, Duration limit) override {
    const TimePoint deadline = service_->Now() + limit;
    while (!done()) {
      std::optional<TimePoint> next = service_->events().NextEventTime();
      if (!next || *next > deadline) {
        service_->events().RunUntil(deadline);
        return done();
      }
      service_->events().RunNext();
    }
    return true;
  }

  // The interface has no way to return a failure; a failed restart fails the running test with
  // the service's Status (it names the snapshot and the bad field), rather than passing silently.
  void RestartService() override {
    if (Status restarted = service_->Restart(); !restarted.ok()) {
      ADD_FAILURE() << "the fake BITS service did not restart: " << restarted.ToString();
    }
  }
  bool Has(Capability capability) const override { return capabilities_.contains(capability); }

 private:
  std::set<Capability> capabilities_;
  std::filesystem::path state_dir_;
  fake::HttpTransport http_;
  std::unique_ptr<fake::FakeBitsService> service_;
  std::unique_ptr<Backend> user_, other_, admin_;
};

}  // namespace

std::unique_ptr<BackendUnderTest> FakeBackendFactory::Create() {
  return std::make_unique<FakeBackendUnderTest>(capabilities_);
}

}  // namespace bitsh::conformance
