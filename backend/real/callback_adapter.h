// CallbackAdapter: a JobCallback (backend/job_callback.h) dressed as the COM object BITS calls,
// IBackgroundCopyCallback2. RealBitsBackend::SetNotifyInterface hands one to the job; BITS keeps a
// reference to it (and reaches it across processes through COM's marshalling), so it may outlive
// the backend that made it: the backend detaches its adapters when it goes, and a detached adapter
// answers S_OK without calling anything. Windows only; the apartment is the backend's
// (single-threaded), so every method runs on the backend's thread while it pumps messages.
#pragma once

// clang-format off
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <bits.h>
#include <bits3_0.h>  // IBackgroundCopyCallback2
// clang-format on

#include <memory>

#include "backend/backend.h"

namespace bitsh::real {

// What a file says about itself: names and progress (GetFiles and FileTransferred read it alike).
FileStatus FileStatusOf(IBackgroundCopyFile* file);

class CallbackAdapter final : public IBackgroundCopyCallback2 {
 public:
  // Starts with one reference, the caller's. `backend` answers GetError for JobError's argument.
  CallbackAdapter(std::shared_ptr<JobCallback> callback, Backend& backend)
      : callback_(std::move(callback)), backend_(&backend) {}
  CallbackAdapter(const CallbackAdapter&) = delete;
  CallbackAdapter& operator=(const CallbackAdapter&) = delete;

  const std::shared_ptr<JobCallback>& callback() const { return callback_; }
  // The backend is going: from now on every method answers S_OK and calls nothing.
  void Detach() {
    backend_ = nullptr;
    callback_.reset();
  }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override;
  ULONG STDMETHODCALLTYPE AddRef() override;
  ULONG STDMETHODCALLTYPE Release() override;

  HRESULT STDMETHODCALLTYPE JobTransferred(IBackgroundCopyJob* job) override;
  HRESULT STDMETHODCALLTYPE JobError(IBackgroundCopyJob* job, IBackgroundCopyError* error) override;
  HRESULT STDMETHODCALLTYPE JobModification(IBackgroundCopyJob* job, DWORD reserved) override;
  HRESULT STDMETHODCALLTYPE FileTransferred(IBackgroundCopyJob* job, IBackgroundCopyFile* file) override;

 private:
  ~CallbackAdapter() = default;  // through Release only

  LONG references_ = 1;
  std::shared_ptr<JobCallback> callback_;
  Backend* backend_;
};

// The id of a job BITS hands to a callback.
JobId IdOf(IBackgroundCopyJob* job);

}  // namespace bitsh::real
