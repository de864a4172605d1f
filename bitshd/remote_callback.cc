#include "bitshd/remote_callback.h"

namespace bitsh::bitshd {

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
  return exchange_.Notify(address_.apartment, std::move(notification), std::chrono::steady_clock::now() + timeout_);
}

}  // namespace bitsh::bitshd
