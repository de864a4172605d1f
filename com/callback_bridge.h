// CallbackBridge: the fake's JobCallback (backend/job_callback.h) carried to a client's own
// IBackgroundCopyCallback / IBackgroundCopyCallback2 object, which COM reaches in the client's
// process. JobObject::SetNotifyInterface makes one per registration; the fake (in bitshd) calls
// it through RemoteBackend while the server pumps (Session), and each method calls the client's
// object with a new JobObject (and ErrorObject or FileObject) for the event, returning the client's
// HRESULT unchanged: anything but S_OK makes BITS call again later, as in the fake.
#pragma once

#include "backend/job_callback.h"
#include "backend/real/com.h"
#include "com/bits_headers.h"

namespace bitsh::com {

class Session;

class CallbackBridge final : public JobCallback {
 public:
  CallbackBridge(Session& session, IUnknown* client) : session_(session), client_(client) {
    if (client != nullptr) client->AddRef();
  }

  // The client's object, as the job's GetNotifyInterface hands it back (nullptr once released).
  IUnknown* client() const { return client_.get(); }
  // The job ended (Complete, Cancel) or has another callback now: the client's object is let go
  // at once, as BITS does, though the fake's side may keep this bridge a while.
  void Release() { client_ = real::ComPtr<IUnknown>(); }

  Status JobTransferred(const JobId& job) override;
  Status JobError(const JobId& job, const bitsh::JobError& error) override;
  Status JobModification(const JobId& job) override;
  Status FileTransferred(const JobId& job, const FileStatus& file) override;

 private:
  template <typename Interface>
  real::ComPtr<Interface> As(REFIID iid) const;

  Session& session_;
  real::ComPtr<IUnknown> client_;
};

}  // namespace bitsh::com
