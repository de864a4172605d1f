// ServerObject: what every object the COM server hands out shares - IUnknown's reference count
// (the server's apartment is single-threaded, so a plain count), its place in ServerLifetime, and
// the small helpers for COM's out-parameters. A class implements its interfaces, answers
// QueryInterface with QueryFor<...>, and forwards AddRef and Release here.
#pragma once

// clang-format off
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN  // no winspool.h: its GetJob/EnumJobs macros clash with Backend
#endif
#include <windows.h>
#include <objbase.h>
// clang-format on

#include <string>

#include "com/server_lifetime.h"

namespace bitsh::com {

class ServerObject {
 public:
  ServerObject(const ServerObject&) = delete;
  ServerObject& operator=(const ServerObject&) = delete;

 protected:
  ServerObject() { ServerLifetime::Acquire(); }
  virtual ~ServerObject() { ServerLifetime::Release(); }

  ULONG AddReference() { return ++references_; }
  ULONG ReleaseReference() {
    const ULONG left = --references_;
    if (left == 0) delete this;
    return left;
  }

 private:
  ULONG references_ = 1;  // the creator's
};

// QueryInterface over a list of (IID, interface pointer) pairs: the first whose IID matches is
// handed out with a new reference; E_NOINTERFACE otherwise.
struct InterfaceEntry {
  const IID* iid;
  IUnknown* pointer;
};
template <std::size_t N>
HRESULT QueryFor(const InterfaceEntry (&entries)[N], REFIID iid, void** out) {
  if (out == nullptr) return E_POINTER;
  *out = nullptr;
  for (const InterfaceEntry& entry : entries) {
    if (IsEqualIID(iid, *entry.iid)) {
      entry.pointer->AddRef();
      *out = entry.pointer;
      return S_OK;
    }
  }
  return E_NOINTERFACE;
}

// A UTF-8 string as the caller-owned copy COM's LPWSTR out-parameters are (CoTaskMemAlloc).
HRESULT CopyOut(const std::string& text, LPWSTR* out);
// A caller's LPCWSTR as UTF-8; nullptr reads as "".
std::string FromWide(const wchar_t* text);

}  // namespace bitsh::com
