// RemoteCallback: the JobCallback bitshd registers with the fake for a client's callback. Each
// method becomes a notification to the client's apartment (exchange.h); the event that called it
// waits, running the service's other calls meanwhile, until the client's callback answers.
#pragma once

#include <chrono>

#include "backend/job_callback.h"
#include "bitshd/backend_calls.h"
#include "bitshd/exchange.h"

namespace bitsh::bitshd {

class RemoteCallback final : public JobCallback {
 public:
  // `timeout`: how long (real time) a client may take to answer before the call counts as failed.
  // `paths`: the client's drives when it names files the Windows way (FileTransferred's local
  // name is translated), else null; it outlives the callback (the daemon holds it).
  RemoteCallback(Exchange& exchange, CallbackAddress address, std::chrono::milliseconds timeout,
                 const WindowsPaths* paths)
      : exchange_(exchange), address_(address), timeout_(timeout), paths_(paths) {}

  Status JobTransferred(const JobId& job) override;
  Status JobError(const JobId& job, const bitsh::JobError& error) override;
  Status JobModification(const JobId& job) override;
  Status FileTransferred(const JobId& job, const FileStatus& file) override;

  const CallbackAddress& address() const { return address_; }

 private:
  Status Send(remote::Json notification);

  Exchange& exchange_;
  CallbackAddress address_;
  std::chrono::milliseconds timeout_;
  const WindowsPaths* paths_;
};

}  // namespace bitsh::bitshd
