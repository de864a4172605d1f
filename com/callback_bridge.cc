#include "com/callback_bridge.h"

#include "com/error_object.h"
#include "com/file_object.h"
#include "com/job_object.h"
#include "com/session.h"

namespace bitsh::com {
namespace {

Status FromClient(HRESULT result, const char* method) {
  const auto code = static_cast<HResult>(result);
  return Status(code, Succeeded(code) ? "" : std::string("the client's ") + method + " failed");
}

}  // namespace

template <typename Interface>
real::ComPtr<Interface> CallbackBridge::As(REFIID iid) const {
  real::ComPtr<Interface> wanted;
  if (client_) client_->QueryInterface(iid, reinterpret_cast<void**>(wanted.Receive()));
  return wanted;
}

Status CallbackBridge::JobTransferred(const JobId& job) {
  real::ComPtr<IBackgroundCopyCallback> callback = As<IBackgroundCopyCallback>(IID_IBackgroundCopyCallback);
  if (!callback) return Status::Ok();  // released, or an object that is not a callback
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  return FromClient(callback->JobTransferred(object.get()), "JobTransferred");
}

Status CallbackBridge::JobError(const JobId& job, const bitsh::JobError& error) {
  real::ComPtr<IBackgroundCopyCallback> callback = As<IBackgroundCopyCallback>(IID_IBackgroundCopyCallback);
  if (!callback) return Status::Ok();
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  real::ComPtr<ErrorObject> error_object(new ErrorObject(session_, job, error));
  return FromClient(callback->JobError(object.get(), error_object.get()), "JobError");
}

Status CallbackBridge::JobModification(const JobId& job) {
  real::ComPtr<IBackgroundCopyCallback> callback = As<IBackgroundCopyCallback>(IID_IBackgroundCopyCallback);
  if (!callback) return Status::Ok();
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  return FromClient(callback->JobModification(object.get(), 0), "JobModification");
}

// Only a client whose object is an IBackgroundCopyCallback2 hears of single files, as in BITS.
Status CallbackBridge::FileTransferred(const JobId& job, const FileStatus& file) {
  real::ComPtr<IBackgroundCopyCallback2> callback = As<IBackgroundCopyCallback2>(IID_IBackgroundCopyCallback2);
  if (!callback) return Status::Ok();
  Result<std::vector<FileStatus>> files = session_.bits().GetFiles(job);
  if (!files.ok()) return files.status();
  std::size_t index = 0;
  while (index < files->size() && ((*files)[index].local_name != file.local_name ||
                                   (*files)[index].remote_url != file.remote_url)) {
    ++index;
  }
  if (index == files->size()) return Status::InvalidArg("FileTransferred: " + file.local_name + " is not a file of the job");
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  real::ComPtr<FileObject> file_object(new FileObject(session_, job, index));
  return FromClient(callback->FileTransferred(object.get(), file_object.get()), "FileTransferred");
}

}  // namespace bitsh::com
