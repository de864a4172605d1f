// FileObject: one file of a job as COM shows it - IBackgroundCopyFile, IBackgroundCopyFile2 and
// IBackgroundCopyFile3 - over the Backend's calls for (job, index in the job's order). It reads
// the file anew on each call, as BITS's own file object shows live progress.
#pragma once

#include <cstddef>

#include "backend/job_types.h"
#include "com/bits_headers.h"
#include "com/server_object.h"

namespace bitsh::com {

class Session;

class FileObject final : public ServerObject, public real::BackgroundCopyFile3 {
 public:
  FileObject(Session& session, JobId job, std::size_t index) : session_(session), job_(job), index_(index) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override;
  ULONG STDMETHODCALLTYPE AddRef() override { return AddReference(); }
  ULONG STDMETHODCALLTYPE Release() override { return ReleaseReference(); }

  // IBackgroundCopyFile
  HRESULT STDMETHODCALLTYPE GetRemoteName(LPWSTR* name) override;
  HRESULT STDMETHODCALLTYPE GetLocalName(LPWSTR* name) override;
  HRESULT STDMETHODCALLTYPE GetProgress(BG_FILE_PROGRESS* progress) override;
  // IBackgroundCopyFile2
  HRESULT STDMETHODCALLTYPE GetFileRanges(DWORD* count, BG_FILE_RANGE** ranges) override;
  HRESULT STDMETHODCALLTYPE SetRemoteName(LPCWSTR name) override;
  // IBackgroundCopyFile3
  HRESULT STDMETHODCALLTYPE GetTemporaryName(LPWSTR* name) override;
  HRESULT STDMETHODCALLTYPE SetValidationState(BOOL valid) override;
  HRESULT STDMETHODCALLTYPE GetValidationState(BOOL* valid) override;
  HRESULT STDMETHODCALLTYPE IsDownloadedFromPeer(BOOL* from_peer) override;

 private:
  ~FileObject() override = default;

  // The file as the Backend reports it now.
  Result<FileStatus> Read();
  std::string What(const char* method) const;

  Session& session_;
  const JobId job_;
  const std::size_t index_;
};

}  // namespace bitsh::com
