// RemoteCallback: the JobCallback bitshd registers with the fake for a client's callback. Each
// method becomes a notification to the client's apartment (exchange.h); the event that called it
// waits, running the service's other calls meanwhile, until the client's callback answers. It may
// outlive the server that made it (the fake keeps a job's callback after a program under test has
// gone, as BITS keeps a COM proxy): then every call fails RPC_S_SERVER_UNAVAILABLE, as a call to a
// proxy whose process has ended does.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "backend/job_callback.h"
#include "serving/backend_calls.h"
#include "serving/exchange.h"

namespace bitsh::serving {

class RemoteCallback final : public JobCallback {
 public:
  // `timeout`: how long (real time) a client may take to answer before the call counts as failed.
  // `paths`: the client's drives when it names files the Windows way (FileTransferred's local
  // name is translated), else null (copied).
  RemoteCallback(std::weak_ptr<Exchange> exchange, CallbackAddress address, std::chrono::milliseconds timeout,
                 const WindowsPaths* paths)
      : exchange_(std::move(exchange)), address_(address), timeout_(timeout) {
    if (paths != nullptr) paths_ = *paths;
  }

  Status JobTransferred(const JobId& job) override;
  Status JobError(const JobId& job, const bitsh::JobError& error) override;
  Status JobModification(const JobId& job) override;
  Status FileTransferred(const JobId& job, const FileStatus& file) override;

  const CallbackAddress& address() const { return address_; }

 private:
  Status Send(remote::Json notification);

  std::weak_ptr<Exchange> exchange_;
  CallbackAddress address_;
  std::chrono::milliseconds timeout_;
  std::optional<WindowsPaths> paths_;
};

}  // namespace bitsh::serving
