// The fake BITS through bitshd, as a conformance backend: every call crosses the protocol
// (remote/remote_client.h), as from a program in another process or language. It must pass
// everything the fake passes in process (issue 20): the suite checks the protocol, not only the
// fake. Two ways to get a bitshd for each test:
//   - Spawning(program), Linux: each test starts its own bitshd, which stops when the test ends;
//   - Shared(url, token), any platform: the tests share one running bitshd and reset its machine
//     (service.reset) before each; the Windows build under Wine reaches a Linux bitshd so.
#pragma once

#include <memory>
#include <string>

#include "conformance/backend_under_test.h"

namespace bitsh::conformance {

class BitshdBackendFactory : public BackendFactory {
 public:
#ifndef _WIN32
  static std::shared_ptr<BitshdBackendFactory> Spawning(std::string program);
#endif
  static std::shared_ptr<BitshdBackendFactory> Shared(std::string url, std::string token);

  std::string name() const override { return name_; }
  std::unique_ptr<BackendUnderTest> Create() override;

 private:
  BitshdBackendFactory(std::string name, std::string program, std::string url, std::string token)
      : name_(std::move(name)), program_(std::move(program)), url_(std::move(url)), token_(std::move(token)) {}

  std::string name_;
  std::string program_;     // Spawning
  std::string url_, token_;  // Shared
};

}  // namespace bitsh::conformance
