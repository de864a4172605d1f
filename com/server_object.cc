#include "com/server_object.h"

#include <cstring>

#include "backend/real/com.h"

namespace bitsh::com {

HRESULT CopyOut(const std::string& text, LPWSTR* out) {
  if (out == nullptr) return E_POINTER;
  const std::wstring wide = real::Utf8ToWide(text);
  const std::size_t bytes = (wide.size() + 1) * sizeof(wchar_t);
  *out = static_cast<LPWSTR>(CoTaskMemAlloc(bytes));
  if (*out == nullptr) return E_OUTOFMEMORY;
  std::memcpy(*out, wide.c_str(), bytes);
  return S_OK;
}

std::string FromWide(const wchar_t* text) { return real::WideToUtf8(text); }

}  // namespace bitsh::com
