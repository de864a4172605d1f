#include "com/server_lifetime.h"

#include <objbase.h>

namespace bitsh::com {
namespace {

long held = 0;
DWORD linger_ms = 5000;
UINT_PTR linger_timer = 0;
bool expired = false;
DWORD class_cookie = 0;

void CALLBACK LingerEnded(HWND, UINT, UINT_PTR, DWORD) {
  KillTimer(nullptr, linger_timer);
  linger_timer = 0;
  if (held == 0) {
    ServerLifetime::RevokeClass();
    expired = true;
    PostQuitMessage(0);
  }
}

}  // namespace

void ServerLifetime::Acquire() {
  ++held;
  if (linger_timer != 0) {
    KillTimer(nullptr, linger_timer);
    linger_timer = 0;
  }
}

void ServerLifetime::Release() {
  if (--held == 0) StartLinger(linger_ms);
}

void ServerLifetime::SetLinger(DWORD milliseconds) { linger_ms = milliseconds; }

void ServerLifetime::StartLinger(DWORD milliseconds) {
  if (linger_timer != 0) KillTimer(nullptr, linger_timer);
  linger_timer = SetTimer(nullptr, 0, milliseconds, LingerEnded);
}

void ServerLifetime::SetClassRegistration(DWORD cookie) { class_cookie = cookie; }

bool ServerLifetime::Expired() { return expired; }

void ServerLifetime::RevokeClass() {
  if (class_cookie == 0) return;
  CoRevokeClassObject(class_cookie);
  class_cookie = 0;
}

}  // namespace bitsh::com
