// ErrorObject: IBackgroundCopyError for a job's error as it stood when GetError (or the JobError
// callback) asked - the Backend's JobError - with the texts Microsoft's pages give for the codes
// and contexts (error_text.h).
#pragma once

#include "backend/job_types.h"
#include "com/bits_headers.h"
#include "com/server_object.h"

namespace bitsh::com {

class Session;

class ErrorObject final : public ServerObject, public IBackgroundCopyError {
 public:
  ErrorObject(Session& session, JobId job, JobError error) : session_(session), job_(job), error_(std::move(error)) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override;
  ULONG STDMETHODCALLTYPE AddRef() override { return AddReference(); }
  ULONG STDMETHODCALLTYPE Release() override { return ReleaseReference(); }

  HRESULT STDMETHODCALLTYPE GetError(BG_ERROR_CONTEXT* context, HRESULT* code) override;
  // The file the error is about; BG_E_FILE_NOT_AVAILABLE when it is about none.
  HRESULT STDMETHODCALLTYPE GetFile(IBackgroundCopyFile** file) override;
  HRESULT STDMETHODCALLTYPE GetErrorDescription(DWORD language, LPWSTR* description) override;
  HRESULT STDMETHODCALLTYPE GetErrorContextDescription(DWORD language, LPWSTR* description) override;
  // "http" or "file"; BG_E_PROTOCOL_NOT_AVAILABLE when no transfer was under way.
  HRESULT STDMETHODCALLTYPE GetProtocol(LPWSTR* protocol) override;

 private:
  ~ErrorObject() override = default;

  Session& session_;
  const JobId job_;
  const JobError error_;
};

}  // namespace bitsh::com
