#include "conformance/fake_backend_factory.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/machine.h"

namespace bitsh::conformance {
namespace {

// The suite serves its own files (test_file_server.h), so of the machine it uses the fake BITS,
// three users and the clock.
class FakeBackendUnderTest final : public BackendUnderTest {
 public:
  explicit FakeBackendUnderTest(std::set<Capability> capabilities) : capabilities_(std::move(capabilities)) {
    sim::MachineOptions options;
    options.work_prefix = "bitsh-fake-service";
    options.persistent_queue = true;  // RestartService
    options.bits.flush_snapshot = false;  // a scratch folder, deleted at the end: no power cut to survive
    Result<std::unique_ptr<sim::Machine>> machine = sim::Machine::Start(std::move(options));
    // GoogleTest reports an exception from the fixture's SetUp as that test's failure.
    if (!machine.ok()) throw std::runtime_error("the simulated machine did not start: " + machine.status().ToString());
    machine_ = std::move(machine).value();
    machine_->bits().AddUser("user");
    machine_->bits().AddUser("other");
    machine_->bits().AddUser("admin", /*is_admin=*/true);
  }

  Backend& user() override { return machine_->Connection("user"); }
  Backend& other_user() override { return machine_->Connection("other"); }
  Backend& admin() override { return machine_->Connection("admin"); }

  // Virtual time (sim::Machine::RunUntil): when not done, the clock stands at the deadline, as
  // the wall clock would after a real wait.
  bool WaitUntil(const std::function<bool()>& done, Duration limit) override {
    return machine_->RunUntil(done, machine_->Now() + limit).done();
  }

  // The interface has no way to return a failure; a failed restart fails the running test with
  // the service's Status (it names the snapshot and the bad field), rather than passing silently.
  void RestartService() override {
    if (Status restarted = machine_->Restart(); !restarted.ok()) {
      ADD_FAILURE() << "the fake BITS service did not restart: " << restarted.ToString();
    }
  }
  bool Has(Capability capability) const override { return capabilities_.contains(capability); }

 private:
  std::set<Capability> capabilities_;
  std::unique_ptr<sim::Machine> machine_;
};

}  // namespace

std::unique_ptr<BackendUnderTest> FakeBackendFactory::Create() {
  return std::make_unique<FakeBackendUnderTest>(capabilities_);
}

}  // namespace bitsh::conformance
