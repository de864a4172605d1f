#include "com/manager_object.h"

#include "backend/real/com.h"
#include "com/enumerator.h"
#include "com/error_text.h"
#include "com/job_object.h"
#include "com/session.h"

namespace bitsh::com {

HRESULT ManagerObject::QueryInterface(REFIID iid, void** out) {
  const InterfaceEntry entries[] = {{&IID_IUnknown, this}, {&IID_IBackgroundCopyManager, this}};
  return QueryFor(entries, iid, out);
}

HRESULT ManagerObject::CreateJob(LPCWSTR display_name, BG_JOB_TYPE type, GUID* id, IBackgroundCopyJob** job) {
  if (display_name == nullptr || id == nullptr || job == nullptr) return E_INVALIDARG;
  *job = nullptr;
  const std::string name = FromWide(display_name);
  Result<JobId> created = session_.bits().CreateJob(name, static_cast<JobType>(type));
  if (!created.ok()) return session_.Answer(created.status(), "IBackgroundCopyManager::CreateJob '" + name + "'");
  *id = real::ToGuid(*created);
  *job = new JobObject(session_, *created);
  return S_OK;
}

HRESULT ManagerObject::GetJob(REFGUID id, IBackgroundCopyJob** job) {
  if (job == nullptr) return E_INVALIDARG;
  *job = nullptr;
  const JobId wanted = real::FromGuid(id);
  if (Status found = session_.bits().GetJob(wanted); !found.ok()) {
    return session_.Answer(found, "IBackgroundCopyManager::GetJob " + wanted.ToString());
  }
  *job = new JobObject(session_, wanted);
  return S_OK;
}

HRESULT ManagerObject::EnumJobs(DWORD flags, IEnumBackgroundCopyJobs** jobs) {
  if (jobs == nullptr) return E_INVALIDARG;
  *jobs = nullptr;
  if ((flags & ~static_cast<DWORD>(BG_JOB_ENUM_ALL_USERS)) != 0) return E_NOTIMPL;
  Result<std::vector<JobId>> ids =
      session_.bits().EnumJobs(flags == BG_JOB_ENUM_ALL_USERS ? EnumScope::kAllUsers : EnumScope::kCurrentUser);
  if (!ids.ok()) return session_.Answer(ids.status(), "IBackgroundCopyManager::EnumJobs");
  std::vector<real::ComPtr<IBackgroundCopyJob>> items;
  for (const JobId& id : *ids) items.emplace_back(new JobObject(session_, id));
  *jobs = new JobEnumerator(IID_IEnumBackgroundCopyJobs, std::move(items));
  return S_OK;
}

HRESULT ManagerObject::GetErrorDescription(HRESULT code, DWORD language, LPWSTR* description) {
  if (description == nullptr) return E_INVALIDARG;
  *description = nullptr;
  const std::optional<std::string> text = com::ErrorDescription(code, language);
  return text ? CopyOut(*text, description) : kNoDescription;
}

HRESULT ManagerFactory::QueryInterface(REFIID iid, void** out) {
  if (out == nullptr) return E_POINTER;
  if (IsEqualIID(iid, IID_IUnknown) || IsEqualIID(iid, IID_IClassFactory)) {
    *out = static_cast<IClassFactory*>(this);
    AddRef();  // a no-op here, but QueryInterface hands out a reference
    return S_OK;
  }
  *out = nullptr;
  return E_NOINTERFACE;
}

HRESULT ManagerFactory::CreateInstance(IUnknown* outer, REFIID iid, void** out) {
  if (out == nullptr) return E_POINTER;
  *out = nullptr;
  if (outer != nullptr) return CLASS_E_NOAGGREGATION;
  if (const HRESULT connected = session_.Connect(); FAILED(connected)) return connected;
  real::ComPtr<ManagerObject> manager(new ManagerObject(session_));
  return manager->QueryInterface(iid, out);
}

HRESULT ManagerFactory::LockServer(BOOL lock) {
  if (lock) {
    ServerLifetime::Acquire();
  } else {
    ServerLifetime::Release();
  }
  return S_OK;
}

}  // namespace bitsh::com
