#include "backend/real/callback_adapter.h"

#include "backend/real/com.h"

namespace bitsh::real {

namespace {

// The callback's answer as it is: BITS calls again unless it is S_OK (S_FALSE included), as the fake does.
HRESULT ToHresult(const Status& status) { return static_cast<HRESULT>(status.code()); }

}  // namespace

JobId IdOf(IBackgroundCopyJob* job) {
  GUID guid{};
  if (job == nullptr || FAILED(job->GetId(&guid))) return JobId();
  return FromGuid(guid);
}

FileStatus FileStatusOf(IBackgroundCopyFile* file) {
  FileStatus status;
  wchar_t* text = nullptr;
  if (SUCCEEDED(file->GetRemoteName(&text))) status.remote_url = TakeCoTaskString(text);
  if (SUCCEEDED(file->GetLocalName(&text))) status.local_name = TakeCoTaskString(text);
  BG_FILE_PROGRESS progress{};
  if (SUCCEEDED(file->GetProgress(&progress))) {
    status.progress = FileProgress{progress.BytesTotal, progress.BytesTransferred, progress.Completed != FALSE};
  }
  return status;
}

HRESULT STDMETHODCALLTYPE CallbackAdapter::QueryInterface(REFIID iid, void** out) {
  if (out == nullptr) return E_POINTER;
  if (IsEqualIID(iid, IID_IUnknown) || IsEqualIID(iid, IID_IBackgroundCopyCallback) ||
      IsEqualIID(iid, IID_IBackgroundCopyCallback2)) {
    *out = static_cast<IBackgroundCopyCallback2*>(this);
    AddRef();
    return S_OK;
  }
  *out = nullptr;
  return E_NOINTERFACE;
}

ULONG STDMETHODCALLTYPE CallbackAdapter::AddRef() { return static_cast<ULONG>(InterlockedIncrement(&references_)); }

ULONG STDMETHODCALLTYPE CallbackAdapter::Release() {
  const LONG left = InterlockedDecrement(&references_);
  if (left == 0) delete this;
  return static_cast<ULONG>(left);
}

HRESULT STDMETHODCALLTYPE CallbackAdapter::JobTransferred(IBackgroundCopyJob* job) {
  const std::shared_ptr<JobCallback> callback = callback_;  // held: the call may replace it
  if (!callback) return S_OK;
  return ToHresult(callback->JobTransferred(IdOf(job)));
}

HRESULT STDMETHODCALLTYPE CallbackAdapter::JobError(IBackgroundCopyJob* job, IBackgroundCopyError* error) {
  const std::shared_ptr<JobCallback> callback = callback_;
  if (!callback || backend_ == nullptr) return S_OK;
  const JobId id = IdOf(job);
  // The backend's GetError names the file by index, as everywhere else; the error BITS passed is
  // the fallback should the job have moved on already.
  Result<bitsh::JobError> read = backend_->GetError(id);
  bitsh::JobError reported;
  if (read.ok()) {
    reported = *read;
  } else if (error != nullptr) {
    BG_ERROR_CONTEXT context{};
    HRESULT code = S_OK;
    if (SUCCEEDED(error->GetError(&context, &code))) {
      reported.context = static_cast<ErrorContext>(context);
      reported.code = static_cast<HResult>(code);
    }
  }
  return ToHresult(callback->JobError(id, reported));
}

HRESULT STDMETHODCALLTYPE CallbackAdapter::JobModification(IBackgroundCopyJob* job, DWORD) {
  const std::shared_ptr<JobCallback> callback = callback_;
  if (!callback) return S_OK;
  return ToHresult(callback->JobModification(IdOf(job)));
}

HRESULT STDMETHODCALLTYPE CallbackAdapter::FileTransferred(IBackgroundCopyJob* job, IBackgroundCopyFile* file) {
  const std::shared_ptr<JobCallback> callback = callback_;
  if (!callback) return S_OK;
  return ToHresult(callback->FileTransferred(IdOf(job), file != nullptr ? FileStatusOf(file) : FileStatus{}));
}

}  // namespace bitsh::real
