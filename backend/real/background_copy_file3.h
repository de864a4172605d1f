// IBackgroundCopyFile3 (bits3_0.h, Windows Vista and later), declared here because MinGW-w64's
// bits3_0.h leaves it out. The IID and the order of the methods are Microsoft's (the
// IBackgroundCopyFile3 page; the interface follows IBackgroundCopyFile2's five methods). Include
// after <initguid.h> and <bits2_0.h>, as bits_backend.cc does, so that the IID is defined once.
#pragma once

// clang-format off
#include <windows.h>
#include <bits.h>
#include <bits2_0.h>  // IBackgroundCopyFile2
// clang-format on

// {659CDEAA-489E-11D9-A9CD-000D56965251}
DEFINE_GUID(IID_BitshBackgroundCopyFile3, 0x659cdeaa, 0x489e, 0x11d9, 0xa9, 0xcd, 0x00, 0x0d, 0x56, 0x96, 0x52, 0x51);

namespace bitsh::real {

struct BackgroundCopyFile3 : public IBackgroundCopyFile2 {
  virtual HRESULT STDMETHODCALLTYPE GetTemporaryName(LPWSTR* file_name) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetValidationState(BOOL state) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetValidationState(BOOL* state) = 0;
  virtual HRESULT STDMETHODCALLTYPE IsDownloadedFromPeer(BOOL* from_peer) = 0;
};

}  // namespace bitsh::real
