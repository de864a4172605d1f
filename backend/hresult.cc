#include "backend/hresult.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <utility>

namespace bitsh {
namespace {

struct NamedCode {
  HResult code;
  const char* name;
};

constexpr std::array kNames = {
    NamedCode{hr::kOk, "S_OK"},
    NamedCode{hr::kFalse, "S_FALSE"},
    NamedCode{hr::kNotImpl, "E_NOTIMPL"},
    NamedCode{hr::kNoInterface, "E_NOINTERFACE"},
    NamedCode{hr::kFail, "E_FAIL"},
    NamedCode{hr::kPending, "E_PENDING"},
    NamedCode{hr::kFileNotFound, "ERROR_FILE_NOT_FOUND"},
    NamedCode{hr::kPathNotFound, "ERROR_PATH_NOT_FOUND"},
    NamedCode{hr::kAccessDenied, "E_ACCESSDENIED"},
    NamedCode{hr::kOutOfMemory, "E_OUTOFMEMORY"},
    NamedCode{hr::kDiskFull, "ERROR_DISK_FULL"},
    NamedCode{hr::kBadNetPath, "ERROR_BAD_NETPATH"},
    NamedCode{hr::kBadNetName, "ERROR_BAD_NET_NAME"},
    NamedCode{hr::kInvalidArg, "E_INVALIDARG"},
    NamedCode{hr::kFileCorrupt, "ERROR_FILE_CORRUPT"},
    NamedCode{hr::kRedirectFailed, "ERROR_WINHTTP_REDIRECT_FAILED"},
    NamedCode{hr::kCanNotComplete, "ERROR_CAN_NOT_COMPLETE"},
    NamedCode{hr::kNameNotResolved, "ERROR_WINHTTP_NAME_NOT_RESOLVED"},
    NamedCode{hr::kHttpInvalidServerResponse, "ERROR_HTTP_INVALID_SERVER_RESPONSE"},
    NamedCode{hr::kPartialComplete, "BG_S_PARTIAL_COMPLETE"},
    NamedCode{hr::kUnableToDeleteFiles, "BG_S_UNABLE_TO_DELETE_FILES"},
    NamedCode{hr::kNotFound, "BG_E_NOT_FOUND"},
    NamedCode{hr::kInvalidState, "BG_E_INVALID_STATE"},
    NamedCode{hr::kEmpty, "BG_E_EMPTY"},
    NamedCode{hr::kFileNotAvailable, "BG_E_FILE_NOT_AVAILABLE"},
    NamedCode{hr::kProtocolNotAvailable, "BG_E_PROTOCOL_NOT_AVAILABLE"},
    NamedCode{hr::kDestinationLocked, "BG_E_DESTINATION_LOCKED"},
    NamedCode{hr::kVolumeChanged, "BG_E_VOLUME_CHANGED"},
    NamedCode{hr::kErrorInformationUnavailable, "BG_E_ERROR_INFORMATION_UNAVAILABLE"},
    NamedCode{hr::kNetworkDisconnected, "BG_E_NETWORK_DISCONNECTED"},
    NamedCode{hr::kMissingFileSize, "BG_E_MISSING_FILE_SIZE"},
    NamedCode{hr::kInsufficientHttpSupport, "BG_E_INSUFFICIENT_HTTP_SUPPORT"},
    NamedCode{hr::kInsufficientRangeSupport, "BG_E_INSUFFICIENT_RANGE_SUPPORT"},
    NamedCode{hr::kInvalidServerResponse, "BG_E_INVALID_SERVER_RESPONSE"},
    NamedCode{hr::kTooManyFiles, "BG_E_TOO_MANY_FILES"},
    NamedCode{hr::kProxyListTooLarge, "BG_E_PROXY_LIST_TOO_LARGE"},
    NamedCode{hr::kProxyBypassListTooLarge, "BG_E_PROXY_BYPASS_LIST_TOO_LARGE"},
    NamedCode{hr::kLocalFileChanged, "BG_E_LOCAL_FILE_CHANGED"},
    NamedCode{hr::kStringTooLong, "BG_E_STRING_TOO_LONG"},
    NamedCode{hr::kNoProgress, "BG_E_NO_PROGRESS"},
    NamedCode{hr::kUserNameTooLarge, "BG_E_USERNAME_TOO_LARGE"},
    NamedCode{hr::kPasswordTooLarge, "BG_E_PASSWORD_TOO_LARGE"},
    NamedCode{hr::kInvalidAuthTarget, "BG_E_INVALID_AUTH_TARGET"},
    NamedCode{hr::kInvalidAuthScheme, "BG_E_INVALID_AUTH_SCHEME"},
    NamedCode{hr::kInvalidRange, "BG_E_INVALID_RANGE"},
    NamedCode{hr::kOverlappingRanges, "BG_E_OVERLAPPING_RANGES"},
    NamedCode{hr::kConnectFailure, "BG_E_CONNECT_FAILURE"},
    NamedCode{hr::kConnectionClosed, "BG_E_CONNECTION_CLOSED"},
    NamedCode{hr::kKeepAliveFailure, "BG_E_KEEP_ALIVE_FAILURE"},
    NamedCode{hr::kNameResolutionFailure, "BG_E_NAME_RESOLUTION_FAILURE"},
    NamedCode{hr::kProtocolError, "BG_E_PROTOCOL_ERROR"},
    NamedCode{hr::kReceiveFailure, "BG_E_RECEIVE_FAILURE"},
    NamedCode{hr::kSendFailure, "BG_E_SEND_FAILURE"},
    NamedCode{hr::kServerProtocolViolation, "BG_E_SERVER_PROTOCOL_VIOLATION"},
    NamedCode{hr::kTimeout, "BG_E_TIMEOUT"},
    NamedCode{hr::kUnknownError, "BG_E_UNKNOWN_ERROR"},
    NamedCode{hr::kBlockedByPolicy, "BG_E_BLOCKED_BY_POLICY"},
    NamedCode{hr::kInvalidProxyInfo, "BG_E_INVALID_PROXY_INFO"},
    NamedCode{hr::kTooManyJobsPerUser, "BG_E_TOO_MANY_JOBS_PER_USER"},
    NamedCode{hr::kTooManyJobsPerMachine, "BG_E_TOO_MANY_JOBS_PER_MACHINE"},
    NamedCode{hr::kTooManyFilesInJob, "BG_E_TOO_MANY_FILES_IN_JOB"},
    NamedCode{hr::kTooManyRangesInFile, "BG_E_TOO_MANY_RANGES_IN_FILE"},
    NamedCode{hr::kValidationFailed, "BG_E_VALIDATION_FAILED"},
    NamedCode{hr::kMaxDownloadTimeout, "BG_E_MAXDOWNLOAD_TIMEOUT"},
    NamedCode{hr::kUnknownPropertyId, "BG_E_UNKNOWN_PROPERTY_ID"},
    NamedCode{hr::kReadOnlyProperty, "BG_E_READ_ONLY_PROPERTY"},
    NamedCode{hr::kBlockedByCostTransferPolicy, "BG_E_BLOCKED_BY_COST_TRANSFER_POLICY"},
    NamedCode{hr::kPropertySupportedForDownloadJobsOnly, "BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY"},
    NamedCode{hr::kReadOnlyPropertyAfterAddFile, "BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE"},
    NamedCode{hr::kReadOnlyPropertyAfterResume, "BG_E_READ_ONLY_PROPERTY_AFTER_RESUME"},
    NamedCode{hr::kMaxDownloadSizeInvalidValue, "BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE"},
    NamedCode{hr::kMaxDownloadSizeLimitReached, "BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED"},
    NamedCode{hr::kUseStoredCredentialsNotSupported, "BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED"},
    NamedCode{hr::kClassNotRegistered, "REGDB_E_CLASSNOTREG"},
};

}  // namespace

std::string HResultHex(HResult code) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08X", static_cast<unsigned>(code));
  return buffer;
}

std::string HResultName(HResult code) {
  std::string name;
  AppendHResultName(name, code);
  return name;
}

void AppendHResultName(std::string& out, HResult code) {
  // The engine names a code in every error line it writes (a retry every few virtual minutes, for
  // weeks): a binary search of the names sorted by code, first name first where two share a code,
  // as the list reads.
  static const auto by_code = [] {
    std::array<NamedCode, kNames.size()> sorted = kNames;
    std::stable_sort(sorted.begin(), sorted.end(), [](const NamedCode& a, const NamedCode& b) { return a.code < b.code; });
    return sorted;
  }();
  const auto found = std::lower_bound(by_code.begin(), by_code.end(), code,
                                      [](const NamedCode& entry, HResult wanted) { return entry.code < wanted; });
  if (found != by_code.end() && found->code == code) {
    out.append(found->name);
  } else if (hr::IsHttpError(code)) {
    char status[8];
    const char* end = std::to_chars(status, status + sizeof status, code - hr::kHttpErrorBase).ptr;
    out.append("BG_E_HTTP_ERROR_").append(status, static_cast<std::size_t>(end - status));
  } else {
    out.append(HResultHex(code));
  }
}

std::optional<HResult> ParseHResult(std::string_view text) {
  for (const NamedCode& entry : kNames) {
    if (text == entry.name) return entry.code;
  }
  constexpr std::string_view kHttp = "BG_E_HTTP_ERROR_";
  const bool http = text.starts_with(kHttp);
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  if (!http && !hex) return std::nullopt;
  const std::string_view digits = text.substr(http ? kHttp.size() : 2);
  if (digits.empty() || digits.size() > (http ? 3u : 8u)) return std::nullopt;
  HResult value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, http ? 10 : 16);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return http ? hr::FromHttpStatus(static_cast<int>(value)) : value;
}

}  // namespace bitsh
