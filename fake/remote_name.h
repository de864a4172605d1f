// RemoteName: the forms a BITS remote name takes, and where a name that is not HTTP points on the
// simulated machine. Microsoft's AddFile and BG_FILE_INFO pages allow http, https and SMB (a UNC
// path, a drive path or a file:// URL); Wine's qmgr tests (job.c, file.c) copy plain local paths
// and file:// URLs like HTTP files, on Windows too. Anything else is E_INVALIDARG at AddFile.
//
// The fake runs on a POSIX machine, so a "local path" is a host path ("/srv/in/a.wma") and the
// Windows forms go through a WindowsPathMap: "C:" or "\\fileserver\music" -> a host folder.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "backend/hresult.h"

namespace bitsh::fake {

enum class RemoteNameForm {
  kHttp,         // http:// or https:// (any case)
  kLocalPath,    // a full host path ("/srv/in/a.wma") or a drive path ("C:\in\a.wma", "C:/in/a.wma")
  kUncPath,      // \\server\share\path
  kFileUrl,      // file:///srv/in/a.wma, file:///C:/in/a.wma, file://server/share/a.wma
  kUnsupported,  // another scheme, a relative path, an empty name
};

RemoteNameForm FormOfRemoteName(std::string_view remote_name);

// Windows path prefixes and the host folders that stand for them: drive letters ("C:") and UNC
// shares ("\\fileserver\music"). Keys compare case-insensitively, as Windows names do.
using WindowsPathMap = std::map<std::string, std::filesystem::path>;

// Where a remote name that is not HTTP points on this machine, or why it points nowhere.
struct LocalSource {
  std::filesystem::path path;  // the host file, when `error` is S_OK
  HResult error = hr::kOk;     // E_INVALIDARG, ERROR_PATH_NOT_FOUND, ERROR_BAD_NETPATH, ...
  std::string detail;          // what went wrong, naming the part of the name
};

// Resolves a local path, UNC path or file:// URL:
//  - a host path is itself; a file URL is percent-decoded first ("%20" -> " "), and a bad escape
//    is E_INVALIDARG;
//  - a drive path or UNC path is looked up in `map` by its drive or \\server\share; an unmapped
//    drive is ERROR_PATH_NOT_FOUND, an unmapped share of a known server ERROR_BAD_NET_NAME, an
//    unknown server ERROR_BAD_NETPATH (what Windows answers for each);
//  - a ".." that would climb out of the drive or share is E_INVALIDARG.
// REQUIRES: FormOfRemoteName(remote_name) is kLocalPath, kUncPath or kFileUrl.
LocalSource ResolveLocalSource(std::string_view remote_name, const WindowsPathMap& map);

}  // namespace bitsh::fake
