// The fake BITS through bitshd, as a conformance backend: each test starts the bitshd program
// and drives it over the protocol (remote/remote_client.h), as a program in another process or
// language would. It must pass everything the fake passes in process (issue 20): the suite checks
// the protocol, not only the fake.
#pragma once

#include <string>

#include "conformance/backend_under_test.h"

namespace bitsh::conformance {

class BitshdBackendFactory : public BackendFactory {
 public:
  // `program`: the path of the bitshd executable.
  explicit BitshdBackendFactory(std::string program) : program_(std::move(program)) {}
  std::string name() const override { return "Bitshd"; }
  std::unique_ptr<BackendUnderTest> Create() override;

 private:
  std::string program_;
};

}  // namespace bitsh::conformance
