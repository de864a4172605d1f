// The Backend's methods as a CallServer (bitshd, a program's run) serves them: a call's name and JSON arguments in, the answer's
// "result" member out ({"hr", "message", "value"}). One row per Backend method; RemoteBackend
// (remote/remote_backend.cc) is the other end of each row.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "serving/windows_paths.h"
#include "remote/protocol.h"

namespace bitsh::serving {

// A client's callback as the service holds it: its apartment and the number the client gave it.
struct CallbackAddress {
  std::uint64_t apartment = 0;
  std::uint64_t callback = 0;
};

// What a call needs beyond the Backend: how to stand for a client's callback object, and how the
// client names its local files.
struct CallContext {
  // A JobCallback that forwards to the client's callback at `address` (remote_callback.h), for a
  // client whose local names `paths` translates (null: host paths).
  std::function<std::shared_ptr<JobCallback>(CallbackAddress address, const WindowsPaths* paths)> make_callback;
  // Where a callback the service holds forwards to; nullopt for one that is not a client's.
  std::function<std::optional<CallbackAddress>(const std::shared_ptr<JobCallback>& callback)> address_of;
  // The client's drives, when it names files the Windows way: local names are translated to host
  // paths on the way in and back on the way out. Null for a client that uses host paths.
  const WindowsPaths* paths = nullptr;
};

// True for the name of a Backend method ("CreateJob", ...).
bool IsBackendMethod(std::string_view method);

// Runs `method` on `backend`. A malformed argument is E_INVALIDARG naming the method and the
// member. REQUIRES: IsBackendMethod(method).
remote::Json CallBackend(Backend& backend, std::string_view method, const remote::Json& args,
                         const CallContext& context);

// The names, in backend.h's order (the tests walk them).
const std::vector<std::string_view>& BackendMethodNames();

}  // namespace bitsh::serving
