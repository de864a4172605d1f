#include "com/file_object.h"

#include "com/session.h"

namespace bitsh::com {

HRESULT FileObject::QueryInterface(REFIID iid, void** out) {
  IUnknown* self = static_cast<IBackgroundCopyFile*>(this);
  const InterfaceEntry entries[] = {{&IID_IUnknown, self},
                                    {&IID_IBackgroundCopyFile, self},
                                    {&IID_IBackgroundCopyFile2, self},
                                    {&IID_BitshBackgroundCopyFile3, self}};
  return QueryFor(entries, iid, out);
}

std::string FileObject::What(const char* method) const {
  return std::string("IBackgroundCopyFile::") + method + " of file #" + std::to_string(index_) + " of " + job_.ToString();
}

Result<FileStatus> FileObject::Read() {
  Result<std::vector<FileStatus>> files = session_.bits().GetFiles(job_);
  if (!files.ok()) return files.status();
  if (index_ >= files->size()) return Status::InvalidArg("the job has no file #" + std::to_string(index_));
  return (*files)[index_];
}

HRESULT FileObject::GetRemoteName(LPWSTR* name) {
  if (name == nullptr) return E_INVALIDARG;
  *name = nullptr;
  Result<FileStatus> file = Read();
  if (!file.ok()) return session_.Answer(file.status(), What("GetRemoteName"));
  return CopyOut(file->remote_url, name);
}

HRESULT FileObject::GetLocalName(LPWSTR* name) {
  if (name == nullptr) return E_INVALIDARG;
  *name = nullptr;
  Result<FileStatus> file = Read();
  if (!file.ok()) return session_.Answer(file.status(), What("GetLocalName"));
  return CopyOut(file->local_name, name);
}

HRESULT FileObject::GetProgress(BG_FILE_PROGRESS* progress) {
  if (progress == nullptr) return E_INVALIDARG;
  Result<FileStatus> file = Read();
  if (!file.ok()) return session_.Answer(file.status(), What("GetProgress"));
  progress->BytesTotal = file->progress.bytes_total;
  progress->BytesTransferred = file->progress.bytes_transferred;
  progress->Completed = file->progress.completed ? TRUE : FALSE;
  return S_OK;
}

HRESULT FileObject::GetFileRanges(DWORD* count, BG_FILE_RANGE** ranges) {
  if (count == nullptr || ranges == nullptr) return E_INVALIDARG;
  *count = 0;
  *ranges = nullptr;
  Result<std::vector<FileRange>> got = session_.bits().GetFileRanges(job_, index_);
  if (!got.ok()) return session_.Answer(got.status(), What("GetFileRanges"));
  if (got->empty()) return S_OK;
  *ranges = static_cast<BG_FILE_RANGE*>(CoTaskMemAlloc(got->size() * sizeof(BG_FILE_RANGE)));
  if (*ranges == nullptr) return E_OUTOFMEMORY;
  for (std::size_t i = 0; i < got->size(); ++i) (*ranges)[i] = BG_FILE_RANGE{(*got)[i].initial_offset, (*got)[i].length};
  *count = static_cast<DWORD>(got->size());
  return S_OK;
}

HRESULT FileObject::SetRemoteName(LPCWSTR name) {
  return session_.Answer(session_.bits().SetRemoteName(job_, index_, FromWide(name)), What("SetRemoteName"));
}

HRESULT FileObject::GetTemporaryName(LPWSTR* name) {
  if (name == nullptr) return E_INVALIDARG;
  *name = nullptr;
  Result<std::string> got = session_.bits().GetTemporaryName(job_, index_);
  if (!got.ok()) return session_.Answer(got.status(), What("GetTemporaryName"));
  return CopyOut(*got, name);
}

HRESULT FileObject::SetValidationState(BOOL valid) {
  return session_.Answer(session_.bits().SetValidationState(job_, index_, valid != FALSE), What("SetValidationState"));
}

HRESULT FileObject::GetValidationState(BOOL* valid) {
  if (valid == nullptr) return E_INVALIDARG;
  Result<bool> got = session_.bits().GetValidationState(job_, index_);
  if (!got.ok()) return session_.Answer(got.status(), What("GetValidationState"));
  *valid = *got ? TRUE : FALSE;
  return S_OK;
}

HRESULT FileObject::IsDownloadedFromPeer(BOOL* from_peer) {
  if (from_peer == nullptr) return E_INVALIDARG;
  Result<bool> got = session_.bits().IsDownloadedFromPeer(job_, index_);
  if (!got.ok()) return session_.Answer(got.status(), What("IsDownloadedFromPeer"));
  *from_peer = *got ? TRUE : FALSE;
  return S_OK;
}

}  // namespace bitsh::com
