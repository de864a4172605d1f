// ManagerObject: IBackgroundCopyManager, what CoCreateInstance(CLSID_BackgroundCopyManager) hands
// a client once the server is registered (registration.h): jobs made, found and listed through
// the Session's Backend, and the text of an error code.
#pragma once

#include "com/bits_headers.h"
#include "com/server_object.h"

namespace bitsh::com {

class Session;

class ManagerObject final : public ServerObject, public IBackgroundCopyManager {
 public:
  explicit ManagerObject(Session& session) : session_(session) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override;
  ULONG STDMETHODCALLTYPE AddRef() override { return AddReference(); }
  ULONG STDMETHODCALLTYPE Release() override { return ReleaseReference(); }

  HRESULT STDMETHODCALLTYPE CreateJob(LPCWSTR display_name, BG_JOB_TYPE type, GUID* id, IBackgroundCopyJob** job) override;
  HRESULT STDMETHODCALLTYPE GetJob(REFGUID id, IBackgroundCopyJob** job) override;
  // flags: 0 or BG_JOB_ENUM_ALL_USERS; any other bit is E_NOTIMPL (the EnumJobs page defines no
  // other flag; what BITS answers to one is not documented).
  HRESULT STDMETHODCALLTYPE EnumJobs(DWORD flags, IEnumBackgroundCopyJobs** jobs) override;
  HRESULT STDMETHODCALLTYPE GetErrorDescription(HRESULT code, DWORD language, LPWSTR* description) override;

 private:
  ~ManagerObject() override = default;

  Session& session_;
};

// The class object COM asks for a manager (CoRegisterClassObject): each CreateInstance connects
// the Session if it is not yet and makes a ManagerObject.
class ManagerFactory final : public IClassFactory {
 public:
  explicit ManagerFactory(Session& session) : session_(session) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override;
  // The factory lives as long as the server's message loop (a local of Serve, revoked before it
  // ends): no count.
  ULONG STDMETHODCALLTYPE AddRef() override { return 2; }
  ULONG STDMETHODCALLTYPE Release() override { return 1; }
  HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown* outer, REFIID iid, void** out) override;
  HRESULT STDMETHODCALLTYPE LockServer(BOOL lock) override;

 private:
  Session& session_;
};

}  // namespace bitsh::com
