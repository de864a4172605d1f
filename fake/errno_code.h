// The Windows code nearest to an errno from the real file system under the fake's folders, so that
// a caller (and a job's error) can tell a refused write from a missing folder. Internal to fake/.
#pragma once

#include <cerrno>

#include "backend/hresult.h"

namespace bitsh::fake {

// E_ACCESSDENIED for a refusal (EACCES, EPERM, EROFS), ERROR_PATH_NOT_FOUND for a missing folder
// (ENOENT, ENOTDIR), `otherwise` for anything else.
inline HResult CodeOfErrno(int error, HResult otherwise) {
  switch (error) {
    case EACCES:
    case EPERM:
    case EROFS:
      return hr::kAccessDenied;
    case ENOENT:
    case ENOTDIR:
      return hr::kPathNotFound;
    default:
      return otherwise;
  }
}

}  // namespace bitsh::fake
