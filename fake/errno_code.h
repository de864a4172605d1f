// The Windows code nearest to an errno from the real file system under the fake's folders, so that
// a caller (and a job's error) can tell a refused write from a missing folder. Internal to fake/.
#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "backend/hresult.h"
#include "backend/status.h"

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

// A step on one of the fake's own files that failed with errno `error`, as a Status with
// CodeOfErrno's code: "journal /q/queue.json.journal: cannot open: Permission denied" for
// `file_kind` "journal".
inline Status FileStepFailed(std::string_view file_kind, const std::filesystem::path& path, const std::string& step,
                             int error) {
  return Status(CodeOfErrno(error, hr::kFail),
                std::string(file_kind) + " " + path.string() + ": " + step + ": " + std::strerror(error));
}

}  // namespace bitsh::fake
