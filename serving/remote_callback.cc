#include "serving/remote_callback.h"

namespace bitsh::serving {
namespace {

constexpr HResult kServerGone = 0x800706BA;  // RPC_S_SERVER_UNAVAILABLE (winerror.h)

}  // namespace

Status RemoteCallback::JobTransferred(const JobId& job) {
  return Send({{"method", "JobTransferred"}, {"job", job}});
}

Status RemoteCallback::JobError(const JobId& job, const bitsh::JobError& error) {
  return Send({{"method", "JobError"}, {"job", job}, {"error", error}});
}

Status RemoteCallback::JobModification(const JobId& job) {
  return Send({{"method", "JobModification"}, {"job", job}});
}

Status RemoteCallback::FileTransferred(const JobId& job, const FileStatus& file) {
  FileStatus as_named = file;
  if (paths_) as_named.local_name = paths_->ToWindows(file.local_name);
  return Send({{"method", "FileTransferred"}, {"job", job}, {"file", as_named}});
}

Status RemoteCallback::Send(remote::Json notification) {
  notification["callback"] = address_.callback;
  const std::shared_ptr<Exchange> exchange = exchange_.lock();
  if (!exchange) return Status(kServerGone, "the client's server has stopped");
  return exchange->Notify(address_.apartment, std::move(notification), std::chrono::steady_clock::now() + timeout_);
}

}  // namespace bitsh::serving
