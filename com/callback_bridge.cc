#include "com/callback_bridge.h"

#include "com/error_object.h"
#include "com/file_object.h"
#include "com/job_object.h"
#include "com/server_lifetime.h"
#include "com/session.h"

namespace bitsh::com {
namespace {

// No object implements it: a proxy does not cache a refusal, so every QueryInterface for it
// goes to the client's process.
constexpr IID kNoSuchInterface = {0x6b1f3c52, 0x0d2a, 0x4c8e, {0x9a, 0x41, 0x3e, 0x27, 0x5d, 0x90, 0xb4, 0x1c}};

Status FromClient(HRESULT result, const char* method) {
  const auto code = static_cast<HResult>(result);
  return Status(code, Succeeded(code) ? "" : std::string("the client's ") + method + " failed");
}

// The answers COM gives for an object whose process has ended.
bool ClientProcessGone(HRESULT result) {
  return result == RPC_E_DISCONNECTED || result == CO_E_OBJNOTCONNECTED ||
         result == HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE) || result == HRESULT_FROM_WIN32(RPC_S_CALL_FAILED) ||
         result == HRESULT_FROM_WIN32(RPC_S_CALL_FAILED_DNE);
}

}  // namespace

CallbackBridge::CallbackBridge(Session& session, const JobId& job, IUnknown* client)
    : session_(session), job_(job), client_(client) {
  if (client == nullptr) return;
  client->AddRef();
  ServerLifetime::Acquire();
}

void CallbackBridge::Release() {
  if (!client_) return;
  client_ = real::ComPtr<IUnknown>();
  ServerLifetime::Release();
}

// The call failed either way (BITS calls again later); a program that is gone is let go now, so it
// does not hold the server.
Status CallbackBridge::Answered(HRESULT result, const char* method) {
  if (ClientProcessGone(result)) {
    session_.Log(std::string("the client of ") + job_.ToString() + "'s callback is gone (" + method +
                 " failed); its callback is let go");
    Release();
  }
  return FromClient(result, method);
}

bool CallbackBridge::ClientGone() const {
  if (!client_) return false;
  real::ComPtr<IUnknown> nothing;
  const HRESULT asked = client_->QueryInterface(kNoSuchInterface, reinterpret_cast<void**>(nothing.Receive()));
  return ClientProcessGone(asked);
}

template <typename Interface>
Result<real::ComPtr<Interface>> CallbackBridge::As(REFIID iid) {
  real::ComPtr<Interface> wanted;
  if (!client_) return wanted;
  const HRESULT asked = client_->QueryInterface(iid, reinterpret_cast<void**>(wanted.Receive()));
  if (asked == E_NOINTERFACE) return real::ComPtr<Interface>();
  if (FAILED(asked)) return Answered(asked, "QueryInterface");
  return wanted;
}

Status CallbackBridge::JobTransferred(const JobId& job) {
  Result<real::ComPtr<IBackgroundCopyCallback>> callback = As<IBackgroundCopyCallback>(IID_IBackgroundCopyCallback);
  if (!callback.ok()) return callback.status();
  if (!*callback) return Status::Ok();  // released, or an object that is not a callback
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  return Answered((*callback)->JobTransferred(object.get()), "JobTransferred");
}

Status CallbackBridge::JobError(const JobId& job, const bitsh::JobError& error) {
  Result<real::ComPtr<IBackgroundCopyCallback>> callback = As<IBackgroundCopyCallback>(IID_IBackgroundCopyCallback);
  if (!callback.ok()) return callback.status();
  if (!*callback) return Status::Ok();
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  real::ComPtr<ErrorObject> error_object(new ErrorObject(session_, job, error));
  return Answered((*callback)->JobError(object.get(), error_object.get()), "JobError");
}

Status CallbackBridge::JobModification(const JobId& job) {
  Result<real::ComPtr<IBackgroundCopyCallback>> callback = As<IBackgroundCopyCallback>(IID_IBackgroundCopyCallback);
  if (!callback.ok()) return callback.status();
  if (!*callback) return Status::Ok();
  real::ComPtr<JobObject> object(new JobObject(session_, job));
  return Answered((*callback)->JobModification(object.get(), 0), "JobModification");
}

// Only a client whose object is an IBackgroundCopyCallback2 hears of single files, as in BITS.
Status CallbackBridge::FileTransferred(const JobId& job, const FileStatus& file) {
  Result<real::ComPtr<IBackgroundCopyCallback2>> callback = As<IBackgroundCopyCallback2>(IID_IBackgroundCopyCallback2);
  if (!callback.ok()) return callback.status();
  if (!*callback) return Status::Ok();
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
  return Answered((*callback)->FileTransferred(object.get(), file_object.get()), "FileTransferred");
}

}  // namespace bitsh::com
