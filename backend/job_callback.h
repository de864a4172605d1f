// JobCallback: what a program hears from BITS about its jobs without polling, the
// IBackgroundCopyCallback and IBackgroundCopyCallback2 interfaces (bits.h, bits3_0.h) in portable
// C++. A program registers one per job with Backend::SetNotifyInterface and chooses the events
// with Backend::SetNotifyFlags (notify_flags in job_types.h).
//
// When the methods run: on the thread that uses the Backend, while it lets time pass. The fake
// calls them from its event loop (FakeBitsService::RunUntil, AdvanceBy), at the virtual instant of
// the event, never inside a Backend call. The real backend's apartment is single-threaded, so COM
// delivers them while the thread pumps messages - which includes the wait inside a Backend call
// for the service's answer. A method may call the Backend (Complete from JobTransferred is the
// usual thing to do).
//
// The return value matters, as in COM: anything but S_OK (Status::Ok()) is a failure. A
// JobTransferred or JobError that fails is called again later, or, when the job has a notify
// command line, that runs instead and the method is not called again; a FileTransferred that fails
// is called again later, and the job's own notice waits for it (docs/decisions.md,
// "Notifications"). JobModification should always return Ok.
#pragma once

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh {

class JobCallback {
 public:
  virtual ~JobCallback() = default;

  // Every file of the job has been transferred (the job is TRANSFERRED); flag kJobTransferred.
  virtual Status JobTransferred(const JobId& job) = 0;
  // The job entered ERROR with `error` (never for a transient error); flag kJobError.
  virtual Status JobError(const JobId& job, const bitsh::JobError& error) = 0;
  // The job changed: bytes arrived, a file was added, a property or the state changed (except
  // into ERROR or TRANSFERRED, which have their own methods); flag kJobModification. BITS drops
  // modifications under load and at most one per job arrives per minimum notification interval
  // (500 ms by default), so a program must not count on one per change.
  virtual Status JobModification(const JobId& job) {
    static_cast<void>(job);
    return Status::Ok();
  }
  // One file of the job has been transferred (IBackgroundCopyCallback2); flag kFileTransferred.
  // Called once per file, in the job's order, each only after the one before returned Ok, and
  // before JobTransferred or JobError.
  virtual Status FileTransferred(const JobId& job, const FileStatus& file) {
    static_cast<void>(job);
    static_cast<void>(file);
    return Status::Ok();
  }
};

}  // namespace bitsh
