#include "com/error_object.h"

#include "backend/hresult.h"
#include "com/error_text.h"
#include "com/file_object.h"
#include "com/session.h"

namespace bitsh::com {

HRESULT ErrorObject::QueryInterface(REFIID iid, void** out) {
  const InterfaceEntry entries[] = {{&IID_IUnknown, this}, {&IID_IBackgroundCopyError, this}};
  return QueryFor(entries, iid, out);
}

HRESULT ErrorObject::GetError(BG_ERROR_CONTEXT* context, HRESULT* code) {
  if (context == nullptr || code == nullptr) return E_INVALIDARG;
  *context = static_cast<BG_ERROR_CONTEXT>(error_.context);
  *code = static_cast<HRESULT>(error_.code);
  return S_OK;
}

HRESULT ErrorObject::GetFile(IBackgroundCopyFile** file) {
  if (file == nullptr) return E_INVALIDARG;
  *file = nullptr;
  if (!error_.file_index) return static_cast<HRESULT>(hr::kFileNotAvailable);
  *file = new FileObject(session_, job_, *error_.file_index);
  return S_OK;
}

HRESULT ErrorObject::GetErrorDescription(DWORD language, LPWSTR* description) {
  if (description == nullptr) return E_INVALIDARG;
  *description = nullptr;
  const std::optional<std::string> text = com::ErrorDescription(static_cast<HRESULT>(error_.code), language);
  return text ? CopyOut(*text, description) : kNoDescription;
}

HRESULT ErrorObject::GetErrorContextDescription(DWORD, LPWSTR* description) {
  if (description == nullptr) return E_INVALIDARG;
  return CopyOut(ContextDescription(error_.context), description);
}

HRESULT ErrorObject::GetProtocol(LPWSTR* protocol) {
  if (protocol == nullptr) return E_INVALIDARG;
  *protocol = nullptr;
  if (error_.protocol.empty()) return static_cast<HRESULT>(hr::kProtocolNotAvailable);
  return CopyOut(error_.protocol, protocol);
}

}  // namespace bitsh::com
