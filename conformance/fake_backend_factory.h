// The fake BITS as a conformance backend: every capability, virtual time, the HTTP transport.
// `capabilities` can be narrowed to see how the suite behaves on a backend that lacks some.
#pragma once

#include <set>

#include "conformance/backend_under_test.h"

namespace bitsh::conformance {

class FakeBackendFactory : public BackendFactory {
 public:
  explicit FakeBackendFactory(std::string name = "Fake",
                              std::set<Capability> capabilities = {Capability::kVirtualTime, Capability::kMultipleUsers,
                                                                   Capability::kServiceRestart})
      : name_(std::move(name)), capabilities_(std::move(capabilities)) {}

  std::string name() const override { return name_; }
  std::unique_ptr<BackendUnderTest> Create() override;

 private:
  std::string name_;
  std::set<Capability> capabilities_;
};

}  // namespace bitsh::conformance
