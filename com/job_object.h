// JobObject: one BITS job as COM shows it - IBackgroundCopyJob through IBackgroundCopyJob5 and
// IBackgroundCopyJobHttpOptions - over the Backend's calls for the job's id. It holds the id only:
// the job lives in bitshd, so a JobObject of a cancelled job answers BG_E_NOT_FOUND like BITS's.
// Calls the Backend does not model answer E_NOTIMPL (docs/com.md lists them).
#pragma once

#include "backend/job_types.h"
#include "com/bits_headers.h"
#include "com/server_object.h"

namespace bitsh::com {

class Session;

class JobObject final : public ServerObject, public IBackgroundCopyJob5, public IBackgroundCopyJobHttpOptions {
 public:
  // A new object with one reference, the caller's.
  JobObject(Session& session, JobId id) : session_(session), id_(id) {}

  // IUnknown
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override;
  ULONG STDMETHODCALLTYPE AddRef() override { return AddReference(); }
  ULONG STDMETHODCALLTYPE Release() override { return ReleaseReference(); }

  // IBackgroundCopyJob
  HRESULT STDMETHODCALLTYPE AddFileSet(ULONG count, BG_FILE_INFO* files) override;
  HRESULT STDMETHODCALLTYPE AddFile(LPCWSTR remote_url, LPCWSTR local_name) override;
  HRESULT STDMETHODCALLTYPE EnumFiles(IEnumBackgroundCopyFiles** files) override;
  HRESULT STDMETHODCALLTYPE Suspend() override;
  HRESULT STDMETHODCALLTYPE Resume() override;
  HRESULT STDMETHODCALLTYPE Cancel() override;
  HRESULT STDMETHODCALLTYPE Complete() override;
  HRESULT STDMETHODCALLTYPE GetId(GUID* id) override;
  HRESULT STDMETHODCALLTYPE GetType(BG_JOB_TYPE* type) override;
  HRESULT STDMETHODCALLTYPE GetProgress(BG_JOB_PROGRESS* progress) override;
  HRESULT STDMETHODCALLTYPE GetTimes(BG_JOB_TIMES* times) override;
  HRESULT STDMETHODCALLTYPE GetState(BG_JOB_STATE* state) override;
  HRESULT STDMETHODCALLTYPE GetError(IBackgroundCopyError** error) override;
  HRESULT STDMETHODCALLTYPE GetOwner(LPWSTR* owner) override;
  HRESULT STDMETHODCALLTYPE SetDisplayName(LPCWSTR name) override;
  HRESULT STDMETHODCALLTYPE GetDisplayName(LPWSTR* name) override;
  HRESULT STDMETHODCALLTYPE SetDescription(LPCWSTR description) override;
  HRESULT STDMETHODCALLTYPE GetDescription(LPWSTR* description) override;
  HRESULT STDMETHODCALLTYPE SetPriority(BG_JOB_PRIORITY priority) override;
  HRESULT STDMETHODCALLTYPE GetPriority(BG_JOB_PRIORITY* priority) override;
  HRESULT STDMETHODCALLTYPE SetNotifyFlags(ULONG flags) override;
  HRESULT STDMETHODCALLTYPE GetNotifyFlags(ULONG* flags) override;
  HRESULT STDMETHODCALLTYPE SetNotifyInterface(IUnknown* callback) override;
  HRESULT STDMETHODCALLTYPE GetNotifyInterface(IUnknown** callback) override;
  HRESULT STDMETHODCALLTYPE SetMinimumRetryDelay(ULONG seconds) override;
  HRESULT STDMETHODCALLTYPE GetMinimumRetryDelay(ULONG* seconds) override;
  HRESULT STDMETHODCALLTYPE SetNoProgressTimeout(ULONG seconds) override;
  HRESULT STDMETHODCALLTYPE GetNoProgressTimeout(ULONG* seconds) override;
  HRESULT STDMETHODCALLTYPE GetErrorCount(ULONG* errors) override;
  HRESULT STDMETHODCALLTYPE SetProxySettings(BG_JOB_PROXY_USAGE usage, const WCHAR* proxy_list,
                                             const WCHAR* bypass_list) override;
  HRESULT STDMETHODCALLTYPE GetProxySettings(BG_JOB_PROXY_USAGE* usage, LPWSTR* proxy_list, LPWSTR* bypass_list) override;
  HRESULT STDMETHODCALLTYPE TakeOwnership() override;

  // IBackgroundCopyJob2
  HRESULT STDMETHODCALLTYPE SetNotifyCmdLine(LPCWSTR program, LPCWSTR parameters) override;
  HRESULT STDMETHODCALLTYPE GetNotifyCmdLine(LPWSTR* program, LPWSTR* parameters) override;
  HRESULT STDMETHODCALLTYPE GetReplyProgress(BG_JOB_REPLY_PROGRESS* progress) override;
  HRESULT STDMETHODCALLTYPE GetReplyData(byte** buffer, UINT64* length) override;
  HRESULT STDMETHODCALLTYPE SetReplyFileName(LPCWSTR file_name) override;
  HRESULT STDMETHODCALLTYPE GetReplyFileName(LPWSTR* file_name) override;
  HRESULT STDMETHODCALLTYPE SetCredentials(BG_AUTH_CREDENTIALS* credentials) override;
  HRESULT STDMETHODCALLTYPE RemoveCredentials(BG_AUTH_TARGET target, BG_AUTH_SCHEME scheme) override;

  // IBackgroundCopyJob3
  HRESULT STDMETHODCALLTYPE ReplaceRemotePrefix(LPCWSTR old_prefix, LPCWSTR new_prefix) override;
  HRESULT STDMETHODCALLTYPE AddFileWithRanges(LPCWSTR remote_url, LPCWSTR local_name, DWORD range_count,
                                              BG_FILE_RANGE ranges[]) override;
  HRESULT STDMETHODCALLTYPE SetFileACLFlags(DWORD flags) override;
  HRESULT STDMETHODCALLTYPE GetFileACLFlags(DWORD* flags) override;

  // IBackgroundCopyJob4
  HRESULT STDMETHODCALLTYPE SetPeerCachingFlags(DWORD flags) override;
  HRESULT STDMETHODCALLTYPE GetPeerCachingFlags(DWORD* flags) override;
  HRESULT STDMETHODCALLTYPE GetOwnerIntegrityLevel(ULONG* level) override;
  HRESULT STDMETHODCALLTYPE GetOwnerElevationState(BOOL* elevated) override;
  HRESULT STDMETHODCALLTYPE SetMaximumDownloadTime(ULONG seconds) override;
  HRESULT STDMETHODCALLTYPE GetMaximumDownloadTime(ULONG* seconds) override;

  // IBackgroundCopyJob5
  HRESULT STDMETHODCALLTYPE SetProperty(BITS_JOB_PROPERTY_ID id, BITS_JOB_PROPERTY_VALUE value) override;
  HRESULT STDMETHODCALLTYPE GetProperty(BITS_JOB_PROPERTY_ID id, BITS_JOB_PROPERTY_VALUE* value) override;

  // IBackgroundCopyJobHttpOptions
  HRESULT STDMETHODCALLTYPE SetClientCertificateByID(BG_CERT_STORE_LOCATION location, LPCWSTR store,
                                                     BYTE* hash) override;
  HRESULT STDMETHODCALLTYPE SetClientCertificateByName(BG_CERT_STORE_LOCATION location, LPCWSTR store,
                                                       LPCWSTR subject) override;
  HRESULT STDMETHODCALLTYPE RemoveClientCertificate() override;
  HRESULT STDMETHODCALLTYPE GetClientCertificate(BG_CERT_STORE_LOCATION* location, LPWSTR* store, BYTE** hash,
                                                 LPWSTR* subject) override;
  HRESULT STDMETHODCALLTYPE SetCustomHeaders(LPCWSTR headers) override;
  HRESULT STDMETHODCALLTYPE GetCustomHeaders(LPWSTR* headers) override;
  HRESULT STDMETHODCALLTYPE SetSecurityFlags(ULONG flags) override;
  HRESULT STDMETHODCALLTYPE GetSecurityFlags(ULONG* flags) override;

 private:
  ~JobObject() override = default;  // through Release only

  // The Backend's answer for this job as the method's HRESULT (Session::Answer).
  HRESULT Answer(const Status& status, const char* method);
  // A Result's value through `store` into an out-parameter, or the failure.
  template <typename T, typename Store>
  HRESULT Out(const Result<T>& result, const char* method, Store store);

  Session& session_;
  const JobId id_;
};

}  // namespace bitsh::com
