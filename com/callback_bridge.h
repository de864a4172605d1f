// CallbackBridge: the fake's JobCallback (backend/job_callback.h) carried to a client's own
// IBackgroundCopyCallback / IBackgroundCopyCallback2 object, which COM reaches in the client's
// process. JobObject::SetNotifyInterface makes one per registration; the fake (in bitshd) calls
// it through RemoteBackend while the server pumps (Session), and each method calls the client's
// object with a new JobObject (and ErrorObject or FileObject) for the event, returning the client's
// HRESULT unchanged: anything but S_OK makes BITS call again later, as in the fake. A call that
// cannot reach the client (its process gone: QueryInterface fails with an RPC error) fails the
// same way; an object that is not a callback at all (E_NOINTERFACE) is not called.
//
// While it holds the client's object the bridge keeps the server running (ServerLifetime), as
// BITS keeps calling a program that let go of all its BITS objects and waits in a message loop.
#pragma once

#include "backend/job_callback.h"
#include "backend/real/com.h"
#include "com/bits_headers.h"

namespace bitsh::com {

class Session;

class CallbackBridge final : public JobCallback {
 public:
  CallbackBridge(Session& session, const JobId& job, IUnknown* client);
  ~CallbackBridge() override { Release(); }
  CallbackBridge(const CallbackBridge&) = delete;
  CallbackBridge& operator=(const CallbackBridge&) = delete;

  const JobId& job() const { return job_; }
  // The client's object, as the job's GetNotifyInterface hands it back (nullptr once released).
  IUnknown* client() const { return client_.get(); }
  // The job ended (Complete, Cancel, or elsewhere: Session's sweep) or has another callback now:
  // the client's object is let go at once, as BITS does, though the fake's side may keep this
  // bridge a while. Safe to repeat.
  void Release();
  // True when the client's process is known to be gone: a question its object cannot answer from
  // the proxy's cache (QueryInterface for an interface no object has) fails with an RPC error. One
  // call to the client; false once released. Under Wine 8 the proxy answers E_NOINTERFACE even
  // then (seen 2026-12-04), so there a program's end is noticed at the next callback that fails,
  // or when bitshd goes.
  bool ClientGone() const;

  Status JobTransferred(const JobId& job) override;
  Status JobError(const JobId& job, const bitsh::JobError& error) override;
  Status JobModification(const JobId& job) override;
  Status FileTransferred(const JobId& job, const FileStatus& file) override;

 private:
  // The client's object as `Interface`; nullptr with Ok when it is not one (or was released),
  // nullptr with the failure when COM could not ask it.
  template <typename Interface>
  Result<real::ComPtr<Interface>> As(REFIID iid);
  // The client's answer as a Status; a client whose process is gone is released first.
  Status Answered(HRESULT result, const char* method);

  Session& session_;
  JobId job_;
  real::ComPtr<IUnknown> client_;
};

}  // namespace bitsh::com
