// ServerLifetime: when the COM server's process may end. COM starts a LocalServer32 for a client's
// CoCreateInstance and expects it to end by itself once no client holds any of its objects. The
// count here covers every object the server hands out (manager, jobs, files, enumerators, errors)
// and the class factory's LockServer; when it falls to zero a linger timer starts, and the process
// leaves its message loop only if nothing was created meanwhile. The linger spares a test suite
// that creates and drops a manager per test a process start per test.
// Everything here runs on the server's one thread (its single-threaded apartment).
#pragma once

#include <windows.h>

namespace bitsh::com {

class ServerLifetime {
 public:
  // An object or a lock came / went.
  static void Acquire();
  static void Release();
  // How long the process stays after the last object went; set once, before the message loop.
  static void SetLinger(DWORD milliseconds);
  // Starts a linger of `milliseconds` as if the last object had just gone: a server COM started
  // for a client that then never connects must end too. (Release starts the set linger itself.)
  static void StartLinger(DWORD milliseconds);
  // The registration (CoRegisterClassObject's cookie) that ends with the linger.
  static void SetClassRegistration(DWORD cookie);
  // True once the linger ran out with nothing held: the message loop then ends.
  static bool Expired();
  // Withdraws the class registration, if still there. The linger's end does it first thing, so a
  // client's CoCreateInstance from then on starts a new server instead of reaching this one while
  // it leaves its message loop (and failing with RPC_S_CALL_FAILED).
  static void RevokeClass();
};

}  // namespace bitsh::com
