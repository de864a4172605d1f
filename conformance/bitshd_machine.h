// Setting up a test on a bitshd's machine, shared by the suite's two ways to it: through
// RemoteBackend (bitshd_backend_factory.h) and through COM (fake_through_com_factory.h).
#pragma once

#include <memory>

#include "backend/status.h"
#include "remote/remote_client.h"

namespace bitsh::conformance {

// The connection, or an exception naming why there is none: a test cannot be set up without it.
std::unique_ptr<remote::RemoteClient> OpenedOrThrow(Result<std::unique_ptr<remote::RemoteClient>> client);

// The suite's users on the machine - "user", "other" and "admin" (an administrator) - after a
// reset when `reset` (a bitshd shared by the run); throws when bitshd refuses a step.
void PrepareSuiteMachine(remote::RemoteClient& client, bool reset);

}  // namespace bitsh::conformance
