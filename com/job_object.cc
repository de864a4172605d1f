#include "com/job_object.h"

#include <vector>

#include "backend/hresult.h"
#include "com/callback_bridge.h"
#include "com/enumerator.h"
#include "com/error_object.h"
#include "com/file_object.h"
#include "com/session.h"

namespace bitsh::com {
namespace {

std::optional<std::string> Optional(const wchar_t* text) {
  return text == nullptr ? std::nullopt : std::optional<std::string>(FromWide(text));
}

// An optional string into an out-parameter that may stay NULL (GetProxySettings, GetNotifyCmdLine).
HRESULT CopyOptional(const std::optional<std::string>& text, LPWSTR* out) {
  *out = nullptr;
  return text ? CopyOut(*text, out) : S_OK;
}

// Two strings out, both or neither: a failure leaves both NULL (COM's rule for out-parameters).
HRESULT CopyOptionalPair(const std::optional<std::string>& first_text, LPWSTR* first,
                         const std::optional<std::string>& second_text, LPWSTR* second) {
  HRESULT result = CopyOptional(first_text, first);
  if (SUCCEEDED(result)) result = CopyOptional(second_text, second);
  if (FAILED(result)) {
    CoTaskMemFree(*first);
    *first = nullptr;
  }
  return result;
}

}  // namespace

HRESULT JobObject::QueryInterface(REFIID iid, void** out) {
  IUnknown* job = static_cast<IBackgroundCopyJob*>(this);
  const InterfaceEntry entries[] = {{&IID_IUnknown, job},
                                    {&IID_IBackgroundCopyJob, job},
                                    {&IID_IBackgroundCopyJob2, job},
                                    {&IID_IBackgroundCopyJob3, job},
                                    {&IID_IBackgroundCopyJob4, job},
                                    {&IID_IBackgroundCopyJob5, job},
                                    {&IID_IBackgroundCopyJobHttpOptions, static_cast<IBackgroundCopyJobHttpOptions*>(this)}};
  return QueryFor(entries, iid, out);
}

HRESULT JobObject::Answer(const Status& status, const char* method) {
  return session_.Answer(status, std::string("IBackgroundCopyJob::") + method + " on " + id_.ToString());
}

template <typename T, typename Store>
HRESULT JobObject::Out(const Result<T>& result, const char* method, Store store) {
  if (!result.ok()) return Answer(result.status(), method);
  return store(*result);
}

// --- Files ---------------------------------------------------------------------------------------

HRESULT JobObject::AddFileSet(ULONG count, BG_FILE_INFO* files) {
  if (count == 0 || files == nullptr) return E_INVALIDARG;
  std::vector<FileToAdd> set;
  for (ULONG i = 0; i < count; ++i) set.push_back(FileToAdd{FromWide(files[i].RemoteName), FromWide(files[i].LocalName)});
  return Answer(session_.bits().AddFileSet(id_, set), "AddFileSet");
}

HRESULT JobObject::AddFile(LPCWSTR remote_url, LPCWSTR local_name) {
  if (remote_url == nullptr || local_name == nullptr) return E_INVALIDARG;
  return Answer(session_.bits().AddFile(id_, FromWide(remote_url), FromWide(local_name)), "AddFile");
}

HRESULT JobObject::EnumFiles(IEnumBackgroundCopyFiles** files) {
  if (files == nullptr) return E_INVALIDARG;
  *files = nullptr;
  return Out(session_.bits().GetFiles(id_), "EnumFiles", [&](const std::vector<FileStatus>& got) {
    std::vector<real::ComPtr<IBackgroundCopyFile>> items;
    for (std::size_t i = 0; i < got.size(); ++i) items.emplace_back(new FileObject(session_, id_, i));
    *files = new FileEnumerator(IID_IEnumBackgroundCopyFiles, std::move(items));
    return S_OK;
  });
}

HRESULT JobObject::AddFileWithRanges(LPCWSTR remote_url, LPCWSTR local_name, DWORD range_count, BG_FILE_RANGE ranges[]) {
  if (remote_url == nullptr || local_name == nullptr || (range_count > 0 && ranges == nullptr)) return E_INVALIDARG;
  std::vector<FileRange> wanted;
  for (DWORD i = 0; i < range_count; ++i) wanted.push_back(FileRange{ranges[i].InitialOffset, ranges[i].Length});
  return Answer(session_.bits().AddFileWithRanges(id_, FromWide(remote_url), FromWide(local_name), wanted),
                "AddFileWithRanges");
}

HRESULT JobObject::ReplaceRemotePrefix(LPCWSTR old_prefix, LPCWSTR new_prefix) {
  if (old_prefix == nullptr || new_prefix == nullptr) return E_INVALIDARG;
  return Answer(session_.bits().ReplaceRemotePrefix(id_, FromWide(old_prefix), FromWide(new_prefix)), "ReplaceRemotePrefix");
}

// --- The job's life ------------------------------------------------------------------------------

HRESULT JobObject::Suspend() { return Answer(session_.bits().Suspend(id_), "Suspend"); }
HRESULT JobObject::Resume() { return Answer(session_.bits().Resume(id_), "Resume"); }

// A job that ends lets go of the client's callback object at once (CallbackBridge::Release).
HRESULT JobObject::Cancel() {
  Result<std::shared_ptr<JobCallback>> callback = session_.bits().GetNotifyInterface(id_);
  const HRESULT result = Answer(session_.bits().Cancel(id_), "Cancel");
  if (SUCCEEDED(result) && callback.ok()) {
    if (auto bridge = std::dynamic_pointer_cast<CallbackBridge>(*callback)) bridge->Release();
  }
  return result;
}

HRESULT JobObject::Complete() {
  Result<std::shared_ptr<JobCallback>> callback = session_.bits().GetNotifyInterface(id_);
  const HRESULT result = Answer(session_.bits().Complete(id_), "Complete");
  if (SUCCEEDED(result) && callback.ok()) {
    if (auto bridge = std::dynamic_pointer_cast<CallbackBridge>(*callback)) bridge->Release();
  }
  return result;
}

HRESULT JobObject::TakeOwnership() { return Answer(session_.bits().TakeOwnership(id_), "TakeOwnership"); }

// --- What the job says about itself --------------------------------------------------------------

HRESULT JobObject::GetId(GUID* id) {
  if (id == nullptr) return E_INVALIDARG;
  *id = real::ToGuid(id_);
  return S_OK;
}

HRESULT JobObject::GetType(BG_JOB_TYPE* type) {
  if (type == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetType(id_), "GetType", [&](JobType got) {
    *type = static_cast<BG_JOB_TYPE>(got);
    return S_OK;
  });
}

HRESULT JobObject::GetProgress(BG_JOB_PROGRESS* progress) {
  if (progress == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetProgress(id_), "GetProgress", [&](const JobProgress& got) {
    *progress = BG_JOB_PROGRESS{got.bytes_total, got.bytes_transferred, got.files_total, got.files_transferred};
    return S_OK;
  });
}

HRESULT JobObject::GetTimes(BG_JOB_TIMES* times) {
  if (times == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetTimes(id_), "GetTimes", [&](const JobTimes& got) {
    *times = BG_JOB_TIMES{real::ToFileTime(got.creation), real::ToFileTime(got.modification),
                          real::ToFileTime(got.transfer_completion)};
    return S_OK;
  });
}

HRESULT JobObject::GetState(BG_JOB_STATE* state) {
  if (state == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetState(id_), "GetState", [&](JobState got) {
    *state = static_cast<BG_JOB_STATE>(got);
    return S_OK;
  });
}

HRESULT JobObject::GetError(IBackgroundCopyError** error) {
  if (error == nullptr) return E_INVALIDARG;
  *error = nullptr;
  return Out(session_.bits().GetError(id_), "GetError", [&](const JobError& got) {
    *error = new ErrorObject(session_, id_, got);
    return S_OK;
  });
}

HRESULT JobObject::GetErrorCount(ULONG* errors) {
  if (errors == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetErrorCount(id_), "GetErrorCount", [&](std::uint32_t got) {
    *errors = got;
    return S_OK;
  });
}

HRESULT JobObject::GetOwner(LPWSTR* owner) {
  if (owner == nullptr) return E_INVALIDARG;
  *owner = nullptr;
  return Out(session_.bits().GetOwner(id_), "GetOwner", [&](const std::string& got) { return CopyOut(got, owner); });
}

// --- Properties ----------------------------------------------------------------------------------

HRESULT JobObject::SetDisplayName(LPCWSTR name) {
  if (name == nullptr) return E_INVALIDARG;
  return Answer(session_.bits().SetDisplayName(id_, FromWide(name)), "SetDisplayName");
}

HRESULT JobObject::GetDisplayName(LPWSTR* name) {
  if (name == nullptr) return E_INVALIDARG;
  *name = nullptr;
  return Out(session_.bits().GetDisplayName(id_), "GetDisplayName", [&](const std::string& got) { return CopyOut(got, name); });
}

HRESULT JobObject::SetDescription(LPCWSTR description) {
  if (description == nullptr) return E_INVALIDARG;
  return Answer(session_.bits().SetDescription(id_, FromWide(description)), "SetDescription");
}

HRESULT JobObject::GetDescription(LPWSTR* description) {
  if (description == nullptr) return E_INVALIDARG;
  *description = nullptr;
  return Out(session_.bits().GetDescription(id_), "GetDescription",
             [&](const std::string& got) { return CopyOut(got, description); });
}

HRESULT JobObject::SetPriority(BG_JOB_PRIORITY priority) {
  return Answer(session_.bits().SetPriority(id_, static_cast<JobPriority>(priority)), "SetPriority");
}

HRESULT JobObject::GetPriority(BG_JOB_PRIORITY* priority) {
  if (priority == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetPriority(id_), "GetPriority", [&](JobPriority got) {
    *priority = static_cast<BG_JOB_PRIORITY>(got);
    return S_OK;
  });
}

HRESULT JobObject::SetMinimumRetryDelay(ULONG seconds) {
  return Answer(session_.bits().SetMinimumRetryDelay(id_, seconds), "SetMinimumRetryDelay");
}

HRESULT JobObject::GetMinimumRetryDelay(ULONG* seconds) {
  if (seconds == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetMinimumRetryDelay(id_), "GetMinimumRetryDelay", [&](std::uint32_t got) {
    *seconds = got;
    return S_OK;
  });
}

HRESULT JobObject::SetNoProgressTimeout(ULONG seconds) {
  return Answer(session_.bits().SetNoProgressTimeout(id_, seconds), "SetNoProgressTimeout");
}

HRESULT JobObject::GetNoProgressTimeout(ULONG* seconds) {
  if (seconds == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetNoProgressTimeout(id_), "GetNoProgressTimeout", [&](std::uint32_t got) {
    *seconds = got;
    return S_OK;
  });
}

HRESULT JobObject::SetMaximumDownloadTime(ULONG seconds) {
  return Answer(session_.bits().SetMaximumDownloadTime(id_, seconds), "SetMaximumDownloadTime");
}

HRESULT JobObject::GetMaximumDownloadTime(ULONG* seconds) {
  if (seconds == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetMaximumDownloadTime(id_), "GetMaximumDownloadTime", [&](std::uint32_t got) {
    *seconds = got;
    return S_OK;
  });
}

HRESULT JobObject::SetProxySettings(BG_JOB_PROXY_USAGE usage, const WCHAR* proxy_list, const WCHAR* bypass_list) {
  ProxySettings settings;
  settings.usage = static_cast<ProxyUsage>(usage);
  settings.proxy_list = Optional(proxy_list);
  settings.bypass_list = Optional(bypass_list);
  return Answer(session_.bits().SetProxySettings(id_, settings), "SetProxySettings");
}

HRESULT JobObject::GetProxySettings(BG_JOB_PROXY_USAGE* usage, LPWSTR* proxy_list, LPWSTR* bypass_list) {
  if (usage == nullptr || proxy_list == nullptr || bypass_list == nullptr) return E_INVALIDARG;
  *proxy_list = nullptr;
  *bypass_list = nullptr;
  return Out(session_.bits().GetProxySettings(id_), "GetProxySettings", [&](const ProxySettings& got) {
    *usage = static_cast<BG_JOB_PROXY_USAGE>(got.usage);
    return CopyOptionalPair(got.proxy_list, proxy_list, got.bypass_list, bypass_list);
  });
}

HRESULT JobObject::SetCredentials(BG_AUTH_CREDENTIALS* credentials) {
  if (credentials == nullptr) return E_INVALIDARG;
  AuthCredentials wanted;
  wanted.target = static_cast<AuthTarget>(credentials->Target);
  wanted.scheme = static_cast<AuthScheme>(credentials->Scheme);
  wanted.user_name = Optional(credentials->Credentials.Basic.UserName);
  wanted.password = Optional(credentials->Credentials.Basic.Password);
  return Answer(session_.bits().SetCredentials(id_, wanted), "SetCredentials");
}

HRESULT JobObject::RemoveCredentials(BG_AUTH_TARGET target, BG_AUTH_SCHEME scheme) {
  return Answer(session_.bits().RemoveCredentials(id_, static_cast<AuthTarget>(target), static_cast<AuthScheme>(scheme)),
                "RemoveCredentials");
}

HRESULT JobObject::SetProperty(BITS_JOB_PROPERTY_ID id, BITS_JOB_PROPERTY_VALUE value) {
  const auto property = static_cast<JobPropertyId>(id);
  JobPropertyValue wanted;
  switch (property) {
    case JobPropertyId::kNotificationClsid: {
      wchar_t text[64] = {};
      if (StringFromGUID2(value.ClsID, text, 64) > 0) wanted.clsid = FromWide(text);
      break;
    }
    case JobPropertyId::kDynamicContent:
    case JobPropertyId::kHighPerformance:
    case JobPropertyId::kOnDemandMode: wanted.enable = value.Enable != FALSE; break;
    case JobPropertyId::kMaxDownloadSize: wanted.uint64 = value.Uint64; break;
    case JobPropertyId::kUseStoredCredentials: wanted.target = static_cast<AuthTarget>(value.Target); break;
    default: wanted.dword = value.Dword; break;
  }
  return Answer(session_.bits().SetJobProperty(id_, property, wanted), "SetProperty");
}

HRESULT JobObject::GetProperty(BITS_JOB_PROPERTY_ID id, BITS_JOB_PROPERTY_VALUE* value) {
  if (value == nullptr) return E_INVALIDARG;
  const auto property = static_cast<JobPropertyId>(id);
  return Out(session_.bits().GetJobProperty(id_, property), "GetProperty", [&](const JobPropertyValue& got) {
    *value = BITS_JOB_PROPERTY_VALUE{};
    switch (property) {
      case JobPropertyId::kNotificationClsid:
        if (FAILED(CLSIDFromString(real::Utf8ToWide(got.clsid).c_str(), &value->ClsID))) value->ClsID = GUID{};
        break;
      case JobPropertyId::kDynamicContent:
      case JobPropertyId::kHighPerformance:
      case JobPropertyId::kOnDemandMode: value->Enable = got.enable ? TRUE : FALSE; break;
      case JobPropertyId::kMaxDownloadSize: value->Uint64 = got.uint64; break;
      case JobPropertyId::kUseStoredCredentials: value->Target = static_cast<BG_AUTH_TARGET>(got.target); break;
      default: value->Dword = got.dword; break;
    }
    return S_OK;
  });
}

// --- Notifications -------------------------------------------------------------------------------

HRESULT JobObject::SetNotifyFlags(ULONG flags) { return Answer(session_.bits().SetNotifyFlags(id_, flags), "SetNotifyFlags"); }

HRESULT JobObject::GetNotifyFlags(ULONG* flags) {
  if (flags == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetNotifyFlags(id_), "GetNotifyFlags", [&](std::uint32_t got) {
    *flags = got;
    return S_OK;
  });
}

// The client's object goes to the fake wrapped in a CallbackBridge; the one it replaces is let go.
// A refused call keeps nothing of the client's (COM's rule for a failed call's [in] pointers).
HRESULT JobObject::SetNotifyInterface(IUnknown* callback) {
  Result<std::shared_ptr<JobCallback>> before = session_.bits().GetNotifyInterface(id_);
  std::shared_ptr<CallbackBridge> bridge = callback == nullptr ? nullptr : std::make_shared<CallbackBridge>(session_, id_, callback);
  const HRESULT result = Answer(session_.bits().SetNotifyInterface(id_, bridge), "SetNotifyInterface");
  if (FAILED(result)) {
    if (bridge) bridge->Release();
    return result;
  }
  if (before.ok()) {
    if (auto old = std::dynamic_pointer_cast<CallbackBridge>(*before)) old->Release();
  }
  if (bridge) session_.Track(bridge);
  return result;
}

HRESULT JobObject::GetNotifyInterface(IUnknown** callback) {
  if (callback == nullptr) return E_INVALIDARG;
  *callback = nullptr;
  return Out(session_.bits().GetNotifyInterface(id_), "GetNotifyInterface", [&](const std::shared_ptr<JobCallback>& got) {
    auto bridge = std::dynamic_pointer_cast<CallbackBridge>(got);
    if (bridge && bridge->client() != nullptr) {
      bridge->client()->AddRef();
      *callback = bridge->client();
    }
    return S_OK;
  });
}

HRESULT JobObject::SetNotifyCmdLine(LPCWSTR program, LPCWSTR parameters) {
  return Answer(session_.bits().SetNotifyCmdLine(id_, NotifyCommandLine{Optional(program), Optional(parameters)}),
                "SetNotifyCmdLine");
}

HRESULT JobObject::GetNotifyCmdLine(LPWSTR* program, LPWSTR* parameters) {
  if (program == nullptr || parameters == nullptr) return E_INVALIDARG;
  *program = nullptr;
  *parameters = nullptr;
  return Out(session_.bits().GetNotifyCmdLine(id_), "GetNotifyCmdLine", [&](const NotifyCommandLine& got) {
    return CopyOptionalPair(got.program, program, got.parameters, parameters);
  });
}

// --- HTTP options --------------------------------------------------------------------------------

HRESULT JobObject::SetCustomHeaders(LPCWSTR headers) {
  return Answer(session_.bits().SetCustomHeaders(id_, Optional(headers)), "SetCustomHeaders");
}

// No headers set: S_FALSE and NULL, as Wine's BITS answers.
HRESULT JobObject::GetCustomHeaders(LPWSTR* headers) {
  if (headers == nullptr) return E_INVALIDARG;
  *headers = nullptr;
  return Out(session_.bits().GetCustomHeaders(id_), "GetCustomHeaders", [&](const std::optional<std::string>& got) {
    return got ? CopyOut(*got, headers) : S_FALSE;
  });
}

HRESULT JobObject::SetSecurityFlags(ULONG flags) { return Answer(session_.bits().SetSecurityFlags(id_, flags), "SetSecurityFlags"); }

HRESULT JobObject::GetSecurityFlags(ULONG* flags) {
  if (flags == nullptr) return E_INVALIDARG;
  return Out(session_.bits().GetSecurityFlags(id_), "GetSecurityFlags", [&](std::uint32_t got) {
    *flags = got;
    return S_OK;
  });
}

// --- Not modelled by the Backend: E_NOTIMPL (docs/com.md) ---------------------------------------

HRESULT JobObject::GetReplyProgress(BG_JOB_REPLY_PROGRESS*) { return E_NOTIMPL; }
HRESULT JobObject::GetReplyData(byte**, UINT64*) { return E_NOTIMPL; }
HRESULT JobObject::SetReplyFileName(LPCWSTR) { return E_NOTIMPL; }
HRESULT JobObject::GetReplyFileName(LPWSTR*) { return E_NOTIMPL; }
HRESULT JobObject::SetFileACLFlags(DWORD) { return E_NOTIMPL; }
HRESULT JobObject::GetFileACLFlags(DWORD*) { return E_NOTIMPL; }
HRESULT JobObject::SetPeerCachingFlags(DWORD) { return E_NOTIMPL; }
HRESULT JobObject::GetPeerCachingFlags(DWORD*) { return E_NOTIMPL; }
HRESULT JobObject::GetOwnerIntegrityLevel(ULONG*) { return E_NOTIMPL; }
HRESULT JobObject::GetOwnerElevationState(BOOL*) { return E_NOTIMPL; }
HRESULT JobObject::SetClientCertificateByID(BG_CERT_STORE_LOCATION, LPCWSTR, BYTE*) { return E_NOTIMPL; }
HRESULT JobObject::SetClientCertificateByName(BG_CERT_STORE_LOCATION, LPCWSTR, LPCWSTR) { return E_NOTIMPL; }
HRESULT JobObject::RemoveClientCertificate() { return E_NOTIMPL; }
HRESULT JobObject::GetClientCertificate(BG_CERT_STORE_LOCATION*, LPWSTR*, BYTE**, LPWSTR*) { return E_NOTIMPL; }

}  // namespace bitsh::com
