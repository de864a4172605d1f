#include "conformance/bitshd_machine.h"

#include <stdexcept>

namespace bitsh::conformance {

std::unique_ptr<remote::RemoteClient> OpenedOrThrow(Result<std::unique_ptr<remote::RemoteClient>> client) {
  if (!client.ok()) throw std::runtime_error("cannot reach bitshd: " + client.status().ToString());
  return std::move(client).value();
}

void PrepareSuiteMachine(remote::RemoteClient& client, bool reset) {
  for (const Status& step : {reset ? client.Reset() : Status::Ok(), client.AddUser("user"), client.AddUser("other"),
                             client.AddUser("admin", true)}) {
    if (!step.ok()) throw std::runtime_error("bitshd refused to set up the test: " + step.ToString());
  }
}

}  // namespace bitsh::conformance
