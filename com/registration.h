// Registering the COM server as the BITS manager's class, so that an unmodified program's
// CoCreateInstance(CLSID_BackgroundCopyManager, ..., CLSCTX_LOCAL_SERVER) starts this server
// (which reaches bitshd) instead of the BITS service. Per user, no administrator needed:
//   - kCurrentUser writes HKEY_CURRENT_USER\Software\Classes\CLSID\{4991D34B-...}\LocalServer32.
//     Windows reads a user's classes before the machine's (the "merged view of HKEY_CLASSES_ROOT"),
//     and the user's key has no AppID, so COM starts the program rather than the service.
//   - kMachine writes the same under HKEY_LOCAL_MACHINE\Software\Classes. This is for Wine, whose
//     COM (8.0) reads the machine's classes only and whose prefix belongs to the user anyway. The
//     key's AppID value (which names the BITS service) is moved aside to BitshSavedAppID while
//     the server is registered, and back on Unregister.
// Unregister undoes exactly what Register did; both are safe to repeat.
#pragma once

#include <string>

#include "backend/status.h"

namespace bitsh::com {

enum class RegistryScope { kCurrentUser, kMachine };

// `command_line` is what COM runs (it appends -Embedding): the server's path, quoted, and its
// options (--url, --token-file, ...).
Status Register(RegistryScope scope, const std::wstring& command_line);
Status Unregister(RegistryScope scope);
// The command line registered now in `scope`; empty when none.
std::wstring RegisteredCommand(RegistryScope scope);

// True when the machine's BITS service is running. A running service has its class object
// registered with COM, and COM hands a client that running object before it reads the registry:
// the registration then has no effect until the service stops (`net stop BITS`; under Wine, a
// prefix whose BITS was started). False when it is stopped or cannot be asked.
bool BitsServiceRunning();

}  // namespace bitsh::com
